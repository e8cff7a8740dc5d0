import { mkdtemp, open, readFile, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { JsonObject, JsonValue } from '../../aws-json/json';
import { resultWriterFailed, s3Call } from './errors';

export type ResultStatus = 'SUCCEEDED' | 'FAILED' | 'PENDING';

/** "Step Functions supports individual result files of up to 5 GB" (ResultWriter (Map)). */
export const RESULT_FILE_LIMIT_BYTES = 5 * 1024 ** 3;

/**
 * Files over this go up in parts of this size (a multipart upload, as the IAM policy the guide gives for
 * ResultWriter implies: s3:ListMultipartUploadParts, s3:AbortMultipartUpload), so no file is held whole.
 */
const UPLOAD_PART_BYTES = 8 * 1024 ** 2;

interface OpenFile {
  readonly handle: FileHandle;
  readonly file: string;
  size: number;
  entries: number;
}

/**
 * A Map Run's exported results (ResultWriter (Map), "Exporting to Amazon S3"): entries of each status
 * go to `<STATUS>_<n>.json` (a JSON array, or JSON Lines with WriterConfig.OutputType JSONL), a new file
 * when one would pass 5 GB; then `manifest.json` lists them. AWS writes at the end of the Map Run;
 * locally the entries stream to temporary files as children finish, so memory stays flat, and are
 * uploaded at the end.
 */
export class ResultFiles {
  private readonly open = new Map<ResultStatus, OpenFile>();
  private readonly closed: { status: ResultStatus; file: string; size: number }[] = [];
  private files = 0;
  private writes: Promise<void> = Promise.resolve();

  private constructor(
    private readonly directory: string,
    private readonly jsonLines: boolean,
    private readonly limitBytes: number,
  ) {}

  static async create(jsonLines: boolean, limitBytes = RESULT_FILE_LIMIT_BYTES): Promise<ResultFiles> {
    const directory = await mkdtemp(path.join(tmpdir(), 'map-run-results-'));
    return new ResultFiles(directory, jsonLines, limitBytes);
  }

  /** Appends an entry; calls are written one after the other, in the order they were made. */
  add(status: ResultStatus, entry: JsonValue): Promise<void> {
    const written = this.writes.then(() => this.write(status, JSON.stringify(entry)));
    this.writes = written.catch(() => undefined);
    return written;
  }

  private async write(status: ResultStatus, json: string): Promise<void> {
    let current = this.open.get(status);
    if (current && current.size + Buffer.byteLength(json) + 2 > this.limitBytes) {
      await this.close(status, current);
      current = undefined;
    }
    current ??= await this.start(status);
    const text = this.jsonLines ? `${json}\n` : `${current.entries === 0 ? '[' : ','}${json}`;
    await current.handle.write(text);
    current.size += Buffer.byteLength(text);
    current.entries += 1;
  }

  /** Uploads the files and the manifest; the result is the Map's output, as AWS gives it. */
  async upload(
    s3: S3Client,
    destination: { readonly bucket: string; readonly prefix: string },
    mapRun: { readonly arn: string; readonly id: string },
  ): Promise<JsonObject> {
    await this.writes;
    for (const [status, current] of [...this.open]) await this.close(status, current);
    // As AWS (and LocalStack's recording of it) form the keys: Prefix, a slash, the Map Run id.
    const base = `${destination.prefix}${destination.prefix && !destination.prefix.endsWith('/') ? '/' : ''}${mapRun.id}/`;
    const resultFiles: Record<ResultStatus, JsonObject[]> = { FAILED: [], PENDING: [], SUCCEEDED: [] };
    const counters: Record<ResultStatus, number> = { FAILED: 0, PENDING: 0, SUCCEEDED: 0 };
    for (const { status, file, size } of this.closed) {
      const key = `${base}${status}_${counters[status]++}.json`;
      await s3Call(() => uploadFile(s3, destination.bucket, key, file, size), resultWriterFailed);
      resultFiles[status].push({ Key: key, Size: size });
    }
    const manifest = {
      DestinationBucket: destination.bucket,
      MapRunArn: mapRun.arn,
      ResultFiles: resultFiles,
    };
    const key = `${base}manifest.json`;
    const body = JSON.stringify(manifest);
    await s3Call(
      () =>
        s3.send(
          new PutObjectCommand({ Bucket: destination.bucket, Key: key, Body: body, ContentType: JSON_TYPE }),
        ),
      resultWriterFailed,
    );
    return { MapRunArn: mapRun.arn, ResultWriterDetails: { Bucket: destination.bucket, Key: key } };
  }

  async discard(): Promise<void> {
    await this.writes;
    for (const current of this.open.values()) await current.handle.close();
    this.open.clear();
    await rm(this.directory, { recursive: true, force: true });
  }

  private async start(status: ResultStatus): Promise<OpenFile> {
    const file = path.join(this.directory, `${this.files++}.json`);
    const current = { handle: await open(file, 'w'), file, size: 0, entries: 0 };
    this.open.set(status, current);
    return current;
  }

  private async close(status: ResultStatus, current: OpenFile): Promise<void> {
    if (!this.jsonLines) {
      await current.handle.write(']');
      current.size += 1;
    }
    await current.handle.close();
    this.open.delete(status);
    this.closed.push({ status, file: current.file, size: current.size });
  }
}

const JSON_TYPE = 'application/json';

async function uploadFile(
  s3: S3Client,
  bucket: string,
  key: string,
  file: string,
  size: number,
): Promise<void> {
  if (size <= UPLOAD_PART_BYTES) {
    const body = await readFile(file);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: JSON_TYPE }));
    return;
  }
  const { UploadId } = await s3.send(
    new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ContentType: JSON_TYPE }),
  );
  const handle = await open(file, 'r');
  try {
    const parts: { ETag?: string; PartNumber: number }[] = [];
    for (let offset = 0, PartNumber = 1; offset < size; offset += UPLOAD_PART_BYTES, PartNumber++) {
      const part = Buffer.alloc(Math.min(UPLOAD_PART_BYTES, size - offset));
      await handle.read(part, 0, part.length, offset);
      const { ETag } = await s3.send(
        new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber, Body: part }),
      );
      parts.push({ ETag, PartNumber });
    }
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        UploadId,
        MultipartUpload: { Parts: parts },
      }),
    );
  } finally {
    await handle.close();
  }
}
