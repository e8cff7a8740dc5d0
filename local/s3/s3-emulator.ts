import type { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import S3rver from 's3rver';
import {
  toObjectCreatedEntry,
  type ObjectCreatedEntry,
  type S3NotificationRecord,
} from './object-created-event';

export interface S3EmulatorOptions {
  readonly buckets: readonly string[];
  readonly accountId: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Where objects are kept; a fresh temporary folder (removed on stop) by default. */
  readonly directory?: string;
  /** Called for every object created, with the event S3 would put on the default bus. */
  readonly onObjectCreated?: (entry: ObjectCreatedEntry) => void;
}

/** s3rver accepts requests signed with this key pair only; the local runtime hands it to every client. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface S3Emulator {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/**
 * The real S3 REST API on 127.0.0.1 through s3rver, with the template's buckets, and an "Object
 * Created" event for every upload (PUT, multipart completion, copy). Clients must use path-style URLs.
 */
export async function startS3Emulator(options: S3EmulatorOptions): Promise<S3Emulator> {
  const ownDirectory = options.directory === undefined;
  const directory = options.directory ?? mkdtempSync(path.join(tmpdir(), 'product-pipeline-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port ?? 0,
    silent: true,
    directory,
    configureBuckets: options.buckets.map((name) => ({ name, configs: [] })),
  });
  // s3rver closes its (silent) winston logger when the server closes, but logs each response once it
  // has finished: a response still streaming when the runtime stops (a Lambda reading an upload of an
  // execution just stopped) then makes winston print "Attempt to write logs with no transports" to the
  // console, after the test that caused it (jest: "Cannot log after tests are done", a failed run). The
  // logger is kept open instead: silent, it writes nothing either way.
  const logger = (server as unknown as { logger: { close: () => unknown } }).logger;
  logger.close = () => logger;
  // S3rver is a Koa app and so an EventEmitter; @types/s3rver leaves that out.
  (server as unknown as EventEmitter).on('event', (event: { Records: S3NotificationRecord[] }) => {
    for (const record of event.Records) {
      const entry = toObjectCreatedEntry(record, options.accountId);
      if (entry) options.onObjectCreated?.(entry);
    }
  });
  const address = (await server.run()) as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    async stop() {
      await server.close();
      if (ownDirectory) rmSync(directory, { recursive: true, force: true });
    },
  };
}
