import { randomInt, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type Redis from 'ioredis';
import { Logger } from 'nestjs-pino';
import { request } from 'undici';
import { PimcoreSimulator } from '../../../local/pimcore-simulator';
import { loadWorkerConfig } from '../../../nest-worker/src/config/worker-config';
import { EVENT_BRIDGE, REDIS } from '../../../nest-worker/src/config/injection-tokens';
import { signPimcoreWebhook } from '../../../nest-worker/src/webhook/pimcore-signature';
import { MAX_WEBHOOK_BODY_BYTES } from '../../../nest-worker/src/webhook/pimcore-webhook.controller';
import { PimcoreWebhookService } from '../../../nest-worker/src/webhook/pimcore-webhook.service';
import { WORKER_APP_OPTIONS, WorkerModule } from '../../../nest-worker/src/worker.module';
import { connectTestRedis } from '../redis-helpers';
import { TEST_WEBHOOK_SECRETS, workerEnv } from '../worker-fixture';
import { LOCAL_AWS_ENV, startWorkQueues, waitUntil, type WorkQueues } from '../worker-harness';

/**
 * What a webhook request writes to the worker's log, with the worker's own logger configuration
 * (WorkerModule.register, its lines captured instead of going to stdout): one line per request with its
 * `outcome` (the record the stack's metric filters count), each line with the request's id, and none with
 * the request's headers (≈ 750 bytes a line, and credentials). EventBridge is stubbed: the bus is not
 * what this is about (pimcore-webhook.test.ts puts real events on a local one).
 */
const [SECRET] = TEST_WEBHOOK_SECRETS;
const DATAHUB_TOKEN = 'datahub-webhooks-token-0123456789abcdef';
const USER_AGENT = 'pimcore-webhook-listener/1.0 (log test)';

interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly [field: string]: unknown;
}
const logTexts: string[] = [];
const logStream = new Writable({
  write(chunk: Buffer, _encoding, done) {
    logTexts.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  },
});

const runId = `webhook-logs-${Date.now()}-${randomInt(1000, 10_000)}`;
let deliveries = 0;
const nextDeliveryId = () => `${runId}-${++deliveries}`;
const deliveryKey = (deliveryId: string) => `pipeline:{webhook:pimcore:${runId}:${deliveryId}}:delivery`;
/** Every key of this run: deliveries and the relay's pending marks. */
const RUN_KEYS = `pipeline:{*:${runId}:*`;

let queues: WorkQueues;
let pimcore: PimcoreSimulator;
let app: INestApplication;
let baseUrl: string;
let redis: Redis;

beforeAll(async () => {
  queues = await startWorkQueues({ visibilityTimeout: 30, maxReceiveCount: 3 });
  pimcore = await PimcoreSimulator.start();
  const env = workerEnv({ ...queues, server: queues.server }, pimcore, {
    LOG_LEVEL: 'info',
    REDIS_KEY_NAMESPACE: runId,
    PIMCORE_WEBHOOK_TOKENS: DATAHUB_TOKEN,
  });
  for (const name of [...Object.keys(LOCAL_AWS_ENV), 'AWS_ENDPOINT_URL']) process.env[name] = env[name];
  app = await NestFactory.create(WorkerModule.register(loadWorkerConfig(env), { logStream }), {
    ...WORKER_APP_OPTIONS,
    bufferLogs: true,
  });
  // As main.ts does: Nest's own lines (its exception handler's too) go to the app's logger.
  app.useLogger(app.get(Logger));
  await app.listen(0, '127.0.0.1');
  baseUrl = await app.getUrl();
  const workerRedis = app.get<Redis>(REDIS);
  await waitUntil('the worker is connected to Redis', () => workerRedis.status === 'ready');
  redis = connectTestRedis();
});

afterAll(async () => {
  await app?.close();
  await pimcore?.stop();
  await queues?.server.close();
  if (redis !== undefined) {
    const keys: string[] = [];
    for await (const batch of redis.scanStream({ match: RUN_KEYS })) keys.push(...(batch as string[]));
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  }
});

beforeEach(() => {
  // The bus always takes the event, unless a test says otherwise.
  jest.spyOn(app.get<EventBridgeClient>(EVENT_BRIDGE), 'send').mockImplementation((async () => ({
    FailedEntryCount: 0,
    Entries: [{ EventId: randomUUID() }],
  })) as never);
});
afterEach(() => jest.restoreAllMocks());

/** The lines a request wrote: those of the webhook, Nest's exception handler, and pino-http's access line. */
function isRequestLine(line: LogLine): boolean {
  return (
    line.context === 'PimcoreWebhook' ||
    line.context === 'ExceptionsHandler' ||
    /^request (completed|errored|aborted)$/.test(line.msg)
  );
}

interface Logged {
  readonly texts: string[];
  readonly lines: LogLine[];
}

/** Runs one request and returns the lines it logged (waiting for an access line, which follows the reply). */
async function loggedBy(send: () => Promise<unknown>): Promise<Logged> {
  const from = logTexts.length;
  await send();
  await sleep(150);
  const texts = logTexts.slice(from).filter((text) => isRequestLine(JSON.parse(text) as LogLine));
  return { texts, lines: texts.map((text) => JSON.parse(text) as LogLine) };
}

function signedHeaders(raw: string, deliveryId = nextDeliveryId()): Record<string, string> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  return {
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
    'x-pimcore-timestamp': timestamp,
    'x-pimcore-delivery': deliveryId,
    'x-pimcore-signature': signPimcoreWebhook(SECRET, { timestamp, deliveryId, rawBody: raw }),
  };
}

async function post(headers: Record<string, string>, body: string): Promise<number> {
  const response = await request(`${baseUrl}/webhooks/pimcore`, { method: 'POST', headers, body });
  await response.body.dump();
  return response.statusCode;
}

const published = (id: number) => JSON.stringify({ event: 'product.published', id });
const datahubPublished = (id: number) =>
  JSON.stringify({
    general: {
      eventName: 'pimcore.dataobject.postUpdate',
      timestamp: Math.floor(Date.now() / 1000),
      subjectType: 'object',
      versionOnly: false,
    },
    subject: { id, 'External ID (externalId)': `shein:${id}`, published: true, type: 'Product' },
  });

/**
 * The request wrote one line with `outcome` (and no other line with one), every line carries the
 * request's id and nothing of its headers, and none is pino-http's access line.
 */
function expectOneOutcomeLine({ texts, lines }: Logged, outcome: string): LogLine {
  expect(lines.filter((line) => line.outcome !== undefined).map((line) => line.outcome)).toEqual([outcome]);
  expect(lines.filter((line) => /^request /.test(line.msg))).toEqual([]);
  for (const line of lines) {
    expect(line).toEqual(expect.objectContaining({ reqId: expect.any(String) }));
    expect(line).not.toHaveProperty('req');
    expect(line).not.toHaveProperty('res');
  }
  expect(new Set(lines.map((line) => line.reqId)).size).toBe(1);
  for (const text of texts) {
    for (const leaked of ['headers', 'user-agent', 'authorization', 'x-pimcore-signature', USER_AGENT]) {
      expect(text.toLowerCase()).not.toContain(leaked.toLowerCase());
    }
    expect(text).not.toContain(DATAHUB_TOKEN);
  }
  return lines.find((line) => line.outcome === outcome)!;
}

describe('what a webhook request logs', () => {
  it('accepted, then duplicate: one line each, with the delivery id, and different request ids', async () => {
    const raw = published(11);
    const deliveryId = nextDeliveryId();
    const accepted = await loggedBy(() => post(signedHeaders(raw, deliveryId), raw));
    const duplicate = await loggedBy(() => post(signedHeaders(raw, deliveryId), raw));

    expect(expectOneOutcomeLine(accepted, 'accepted')).toMatchObject({
      msg: 'webhook accepted',
      deliveryId,
      pimcoreId: 11,
    });
    expect(expectOneOutcomeLine(duplicate, 'duplicate')).toMatchObject({ deliveryId });
    expect(accepted.lines[0].reqId).not.toBe(duplicate.lines[0].reqId);
    // What the stack's WebhookAccepted filter reads ({ $.outcome = "accepted" && $.deliveryId exists }).
    expect(accepted.lines).toHaveLength(1);
  });

  it('a second webhook of an object the relay has not read yet: one coalesced line, with the delivery id', async () => {
    const raw = published(19);
    await post(signedHeaders(raw), raw);
    const deliveryId = nextDeliveryId();
    let status = 0;
    const coalesced = await loggedBy(async () => (status = await post(signedHeaders(raw, deliveryId), raw)));

    expect(status).toBe(202);
    expect(expectOneOutcomeLine(coalesced, 'coalesced')).toMatchObject({
      msg: 'webhook coalesced',
      level: 30,
      deliveryId,
      pimcoreId: 19,
    });
    const metrics = await (await request(`${baseUrl}/metrics`)).body.text();
    expect(metrics).toContain('pipeline_webhook_requests_total{outcome="coalesced"} 1');
  });

  it('accepted with a Datahub token: the token and the Authorization header stay out', async () => {
    const logged = await loggedBy(() =>
      post(
        {
          'content-type': 'application/json',
          'user-agent': USER_AGENT,
          authorization: `Bearer ${DATAHUB_TOKEN}`,
        },
        datahubPublished(12),
      ),
    );
    expect(expectOneOutcomeLine(logged, 'accepted')).toMatchObject({ scheme: 'token' });
  });

  it.each<[string, () => Promise<unknown>, string]>([
    [
      'an event it does not handle',
      () => post(signedHeaders('{"event":"product.archived","id":1}'), '{"event":"product.archived","id":1}'),
      'ignored',
    ],
    [
      'a wrong signature',
      () =>
        post(
          { ...signedHeaders(published(13)), 'x-pimcore-signature': `sha256=${'0'.repeat(64)}` },
          published(13),
        ),
      'unauthorized',
    ],
    ['a body that is not JSON', () => post(signedHeaders('not json'), 'not json'), 'invalid'],
    [
      'an invalid delivery id',
      () => post(signedHeaders(published(14), 'not a delivery id!'), published(14)),
      'invalid',
    ],
    [
      'another Content-Type',
      () => post({ ...signedHeaders(published(15)), 'content-type': 'text/plain' }, published(15)),
      'unsupported-media-type',
    ],
    [
      'a body over the limit',
      () => {
        const raw = 'x'.repeat(MAX_WEBHOOK_BODY_BYTES + 1);
        return post(signedHeaders(raw), raw);
      },
      'too-large',
    ],
  ])('%s: one line, its outcome', async (_name, send, outcome) => {
    expectOneOutcomeLine(await loggedBy(send), outcome);
  });

  it('a delivery another request is processing: one in-progress line', async () => {
    const deliveryId = nextDeliveryId();
    await redis.set(deliveryKey(deliveryId), 'pending:another-request', 'PX', 30_000);
    const logged = await loggedBy(() => post(signedHeaders(published(16), deliveryId), published(16)));
    expect(expectOneOutcomeLine(logged, 'in-progress')).toMatchObject({ deliveryId });
  });

  it('PutEvents failing: one unavailable line, with the delivery id', async () => {
    jest
      .spyOn(app.get<EventBridgeClient>(EVENT_BRIDGE), 'send')
      .mockImplementation((() => Promise.reject(new Error('connect ECONNREFUSED'))) as never);
    const deliveryId = nextDeliveryId();
    const logged = await loggedBy(() => post(signedHeaders(published(17), deliveryId), published(17)));
    expect(expectOneOutcomeLine(logged, 'unavailable')).toMatchObject({ deliveryId, level: 50 });
  });

  it('a sender that hangs up mid-body: one aborted line', async () => {
    const server = app.getHttpServer() as Server;
    const logged = await loggedBy(async () => {
      const arrived = once(server, 'request');
      const socket = connect(((server.address() as AddressInfo) ?? {}).port, '127.0.0.1', () =>
        socket.write(
          'POST /webhooks/pimcore HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n' +
            `User-Agent: ${USER_AGENT}\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"eve\r\n`,
        ),
      );
      socket.on('error', () => undefined);
      await arrived;
      socket.destroy();
      await waitUntil('the request is logged', () =>
        logTexts.some((text) => (JSON.parse(text) as LogLine).outcome === 'aborted'),
      );
    });
    expectOneOutcomeLine(logged, 'aborted');
  });

  it('an unexpected exception: one error line, with its stack, answered 500', async () => {
    jest.spyOn(app.get(PimcoreWebhookService), 'handle').mockRejectedValueOnce(new Error('unexpected'));
    let status = 0;
    const logged = await loggedBy(
      async () => (status = await post(signedHeaders(published(18)), published(18))),
    );
    expect(status).toBe(500);
    expect(expectOneOutcomeLine(logged, 'error')).toMatchObject({
      level: 50,
      msg: 'webhook failed',
      err: expect.objectContaining({ message: 'unexpected', stack: expect.any(String) }),
    });
    // Not a second line from Nest's exception handler.
    expect(logged.lines).toHaveLength(1);
  });
});
