import { randomInt } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { request } from 'undici';
import type { CanonicalProduct } from '../../contracts/canonical-product';
import {
  PimcoreSimulator,
  type PimcoreSimulatorOptions,
  type SimulatedObject,
} from '../../local/pimcore-simulator';
import { loadWorkerConfig } from '../../nest-worker/src/config/worker-config';
import { WORKER_APP_OPTIONS, WorkerModule } from '../../nest-worker/src/worker.module';
import { connectTestRedis, TEST_REDIS_URL } from './redis-helpers';
import { LOCAL_AWS_ENV, startWorkQueues, type WorkQueues } from './worker-harness';

/** The webhook secrets the test workers accept: the current one and, as during a rotation, a retiring one. */
export const TEST_WEBHOOK_SECRETS = [
  'test-webhook-secret-current-0123456789abcdef',
  'test-webhook-secret-retiring-0123456789abcdef',
] as const;

/** Where the worker's queues are: the local SQS of WorkQueues, or the local AWS runtime's. */
export type WorkerQueueLocation = Pick<WorkQueues, 'queueUrl' | 'deadLetterQueueUrl'> & {
  readonly server: { readonly endpoint: string };
};

/**
 * The worker's environment for these queues and this simulator, with timings short enough for tests;
 * `overrides` wins. Both the in-process app and a child-process worker take it.
 */
export function workerEnv(
  queues: WorkerQueueLocation,
  pimcore: PimcoreSimulator,
  overrides: Readonly<Record<string, string>> = {},
): Record<string, string> {
  return {
    ...LOCAL_AWS_ENV,
    AWS_ENDPOINT_URL: queues.server.endpoint,
    // The relay's tests add medusa-sync with its queues and Medusa (medusaSyncEnv).
    WORKER_CONSUMERS: 'product-ingest',
    PRODUCT_INGEST_QUEUE_URL: queues.queueUrl,
    PRODUCT_INGEST_DLQ_URL: queues.deadLetterQueueUrl,
    REDIS_URL: TEST_REDIS_URL,
    WORKER_MAX_IN_FLIGHT: '8',
    WORKER_HANDLER_TIMEOUT_SECONDS: '5',
    WORKER_WAIT_TIME_SECONDS: '1',
    WORKER_SHUTDOWN_DEADLINE_SECONDS: '5',
    WORKER_RETRY_BASE_MS: '20',
    WORKER_RETRY_CAP_MS: '2000',
    LOG_LEVEL: 'silent',
    PIMCORE_BASE_URL: pimcore.url,
    PIMCORE_API_KEY: pimcore.apiKey,
    PIMCORE_DATAHUB_ENDPOINT: pimcore.endpoint,
    PIMCORE_WEBHOOK_SECRETS: TEST_WEBHOOK_SECRETS.join(','),
    PRODUCTS_EVENT_BUS_NAME: 'products-test',
    ...overrides,
  };
}

/** The worker's NestJS app in this process, listening on a free port. */
export interface WorkerApp {
  readonly app: INestApplication;
  readonly baseUrl: string;
  /** The sum of a metric's series whose labels include `labels` (0 when there is none). */
  metric(name: string, labels?: Readonly<Record<string, string>>): Promise<number>;
}

export async function startWorkerApp(env: Readonly<Record<string, string>>): Promise<WorkerApp> {
  // The app's SQS client reads its endpoint and credentials from the environment, as in production.
  for (const name of [...Object.keys(LOCAL_AWS_ENV), 'AWS_ENDPOINT_URL']) process.env[name] = env[name];
  const app = await NestFactory.create(WorkerModule.register(loadWorkerConfig(env)), {
    ...WORKER_APP_OPTIONS,
    logger: false,
  });
  await app.listen(0, '127.0.0.1');
  const baseUrl = await app.getUrl();
  return {
    app,
    baseUrl,
    metric: async (name, labels = {}) => sumSeries(await scrape(baseUrl), name, labels),
  };
}

async function scrape(baseUrl: string): Promise<string> {
  return (await request(`${baseUrl}/metrics`)).body.text();
}

/** Adds up the Prometheus text-format samples of `name` whose labels include `labels`. */
function sumSeries(text: string, name: string, labels: Readonly<Record<string, string>>): number {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  return text
    .split('\n')
    .map((line) => /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line))
    .filter((match): match is RegExpExecArray => match?.[1] === name)
    .filter((match) => wanted.every((label) => (match[2] ?? '').split(',').includes(label)))
    .reduce((sum, match) => sum + Number(match[3]), 0);
}

/** Work queues, a Pimcore simulator and the worker app consuming them: what most worker tests need. */
export interface WorkerFixture {
  readonly queues: WorkQueues;
  readonly pimcore: PimcoreSimulator;
  readonly worker: WorkerApp;
  stop(): Promise<void>;
}

export interface WorkerFixtureOptions {
  readonly queues: Parameters<typeof startWorkQueues>[0];
  readonly simulator?: PimcoreSimulatorOptions;
  readonly env?: Readonly<Record<string, string>>;
}

export async function startWorkerFixture(options: WorkerFixtureOptions): Promise<WorkerFixture> {
  const queues = await startWorkQueues(options.queues);
  const pimcore = await PimcoreSimulator.start(options.simulator);
  const worker = await startWorkerApp(workerEnv(queues, pimcore, options.env));
  return {
    queues,
    pimcore,
    worker,
    stop: async () => {
      await worker.app.close();
      await pimcore.stop();
      await queues.server.close();
    },
  };
}

/** Pimcore's objects by externalId: a product applied exactly once has a list of one. */
export function objectsByExternalId(pimcore: PimcoreSimulator): Map<string, SimulatedObject[]> {
  const byId = new Map<string, SimulatedObject[]>();
  for (const object of pimcore.objects()) {
    const externalId = object.values.externalId ?? '';
    byId.set(externalId, [...(byId.get(externalId) ?? []), object]);
  }
  return byId;
}

/** Asserts Pimcore holds exactly one object for each of these products, with that product's content. */
export function expectExactlyOnceInPimcore(
  pimcore: PimcoreSimulator,
  products: readonly CanonicalProduct[],
): void {
  const byId = objectsByExternalId(pimcore);
  const held = products.map((product) => ({
    externalId: product.externalId,
    contentHashes: (byId.get(product.externalId) ?? []).map((object) => object.values.contentHash),
  }));
  const expected = products.map((product) => ({
    externalId: product.externalId,
    contentHashes: [product.contentHash],
  }));
  expect(held).toEqual(expected);
}

/**
 * Starts the fixture before the file's tests and stops it after them. `options` may be a function, to
 * read what earlier beforeAll hooks set up (e.g. a Redis of the test's own).
 */
export function useWorkerFixture(
  options: WorkerFixtureOptions | (() => WorkerFixtureOptions),
): WorkerFixture {
  let started: WorkerFixture | undefined;
  beforeAll(async () => {
    started = await startWorkerFixture(typeof options === 'function' ? options() : options);
  });
  afterAll(() => started?.stop());
  const current = () => {
    if (started === undefined) throw new Error('the worker fixture is used before beforeAll started it');
    return started;
  };
  return {
    get queues() {
      return current().queues;
    },
    get pimcore() {
      return current().pimcore;
    },
    get worker() {
      return current().worker;
    },
    stop: () => current().stop(),
  };
}

/**
 * Goods ids of this test file's own: the ledger in the shared Redis remembers what earlier runs (and
 * other files) applied. After the file, the ledger keys of these products are removed.
 */
export function useUniqueGoodsIds(): (suffix: string) => string {
  const runId = `${Date.now() % 10_000_000}${randomInt(100, 1000)}`;
  afterAll(async () => {
    const redis = connectTestRedis();
    const keys: string[] = [];
    for await (const batch of redis.scanStream({ match: `pipeline:{pimcore*:shein:${runId}*`, count: 500 }))
      keys.push(...(batch as string[]));
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });
  return (suffix) => `${runId}${suffix}`;
}
