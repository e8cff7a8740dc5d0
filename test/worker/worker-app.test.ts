import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { request } from 'undici';
import { loadWorkerConfig } from '../../nest-worker/src/config/worker-config';
import { WorkerModule } from '../../nest-worker/src/worker.module';
import { PimcoreSimulator } from '../../local/pimcore';
import { canonicalProduct } from '../pimcore/fixtures';
import { TEST_REDIS_URL } from './redis-helpers';
import {
  drainDeadLetters,
  LOCAL_AWS_ENV,
  productIngestedBody,
  queueCounts,
  sendBodies,
  startWorkQueues,
  waitUntil,
  type WorkQueues,
} from './worker-harness';

let queues: WorkQueues;
let pimcore: PimcoreSimulator;
let app: INestApplication;
let baseUrl: string;

beforeAll(async () => {
  queues = await startWorkQueues({ visibilityTimeout: 10, maxReceiveCount: 3 });
  pimcore = await PimcoreSimulator.start();
  Object.assign(process.env, LOCAL_AWS_ENV, { AWS_ENDPOINT_URL: queues.server.endpoint });
  const config = loadWorkerConfig({
    PRODUCT_INGEST_QUEUE_URL: queues.queueUrl,
    PRODUCT_INGEST_DLQ_URL: queues.deadLetterQueueUrl,
    REDIS_URL: TEST_REDIS_URL,
    WORKER_MAX_IN_FLIGHT: '8',
    WORKER_HANDLER_TIMEOUT_SECONDS: '5',
    WORKER_WAIT_TIME_SECONDS: '1',
    WORKER_SHUTDOWN_DEADLINE_SECONDS: '5',
    LOG_LEVEL: 'silent',
    PIMCORE_BASE_URL: pimcore.url,
    PIMCORE_API_KEY: pimcore.apiKey,
    PIMCORE_DATAHUB_ENDPOINT: pimcore.endpoint,
  });
  app = await NestFactory.create(WorkerModule.register(config), { logger: false });
  await app.listen(0, '127.0.0.1');
  baseUrl = await app.getUrl();
});

afterAll(async () => {
  await app?.close();
  await pimcore?.stop();
  await queues?.server.close();
});

describe('the worker (NestJS app, local SQS, Pimcore simulator, real Redis)', () => {
  // Unique ids per run: the ledger in the shared Redis remembers what earlier runs applied.
  const runId = String(Date.now()).slice(-7);
  const products = Array.from({ length: 12 }, (_, index) =>
    canonicalProduct(`${runId}${String(index).padStart(2, '0')}`),
  );

  it('upserts every product once, drops duplicates and dead-letters a poison message with its reason', async () => {
    const bodies = products.map((product) => productIngestedBody(product));
    await sendBodies(queues, [...bodies, bodies[0], bodies[5], '{"not":"an event"']);

    await waitUntil('every message is settled', async () => {
      const counts = await queueCounts(queues, queues.queueUrl);
      return counts.visible === 0 && counts.inFlight === 0;
    });
    const externalIds = pimcore
      .objects()
      .map((object) => object.values.externalId)
      .sort();
    expect(externalIds).toEqual(products.map((product) => product.externalId).sort());

    const letters = await drainDeadLetters(queues);
    expect(letters).toEqual([
      { body: '{"not":"an event"', reason: 'InvalidJson', detail: expect.stringContaining('not JSON') },
    ]);
  });

  it('is ready, and exposes what it did as Prometheus metrics', async () => {
    const ready = await request(`${baseUrl}/ready`);
    expect(ready.statusCode).toBe(200);
    expect(await ready.body.json()).toMatchObject({
      status: 'ok',
      info: { redis: { status: 'up' }, sqs: { status: 'up' } },
    });

    const metrics = await (await request(`${baseUrl}/metrics`)).body.text();
    const value = (series: string) => Number(new RegExp(`^${series} (\\S+)$`, 'm').exec(metrics)?.[1]);
    expect(value('pipeline_messages_received_total{queue="product-ingest"}')).toBe(15);
    expect(value('pipeline_messages_succeeded_total{queue="product-ingest",result="applied"}')).toBe(12);
    expect(value('pipeline_duplicates_skipped_total{queue="product-ingest"}')).toBe(2);
    expect(value('pipeline_messages_dead_lettered_total{queue="product-ingest",reason="InvalidJson"}')).toBe(
      1,
    );
    expect(metrics).toContain('pipeline_handler_duration_seconds_bucket');
  });

  it('answers /health', async () => {
    const health = await request(`${baseUrl}/health`);
    expect(health.statusCode).toBe(200);
  });
});
