import { randomUUID } from 'node:crypto';
import type { CanonicalProduct } from '../../../contracts/canonical-product';
import { DETAIL_TYPES, EVENT_SOURCES } from '../../../contracts/events';
import type { ProductPublicationDetail } from '../../../contracts/product-publication';
import {
  MedusaSimulator,
  type MedusaSimulatorOptions,
} from '../../../local/medusa-simulator/medusa-simulator';
import { PimcoreSimulator } from '../../../local/pimcore-simulator';
import type { PimcoreClient } from '../../../nest-worker/src/pimcore';
import { clientFor } from '../pimcore/fixtures';
import { connectTestRedis } from '../redis-helpers';
import { startWorkerApp, workerEnv, type WorkerApp } from '../worker-fixture';
import { sendBodies, startWorkQueues, waitUntilQueueIsEmpty, type WorkQueues } from '../worker-harness';

/** The worker's medusa-sync settings for this simulator and these queues (secret-key auth). */
export function medusaSyncEnv(
  queues: Pick<WorkQueues, 'queueUrl' | 'deadLetterQueueUrl'>,
  medusa: MedusaSimulator,
): Record<string, string> {
  return {
    WORKER_CONSUMERS: 'medusa-sync',
    MEDUSA_SYNC_QUEUE_URL: queues.queueUrl,
    MEDUSA_SYNC_DLQ_URL: queues.deadLetterQueueUrl,
    MEDUSA_BASE_URL: medusa.url,
    MEDUSA_SECRET_API_KEY: medusa.secretApiKey,
    MEDUSA_SALES_CHANNEL_ID: medusa.salesChannel.id,
    // Ends what Medusa never answers (the tests' hangs) within a test's time, yet leaves a slow answer on
    // a loaded machine (a second and more) alone: that would be an attempt more than the tests count.
    MEDUSA_TIMEOUT_MS: '3000',
  };
}

/** The SQS body EventBridge delivers for a ProductPublished / ProductUnpublished event. */
export function publicationBody(
  pimcoreId: number,
  detailType: 'ProductPublished' | 'ProductUnpublished' = DETAIL_TYPES.productPublished,
  externalId?: string,
): string {
  const detail: ProductPublicationDetail = {
    pimcoreId,
    ...(externalId === undefined ? {} : { externalId }),
    deliveryId: randomUUID(),
    receivedAt: new Date().toISOString(),
  };
  return JSON.stringify({
    version: '0',
    id: randomUUID(),
    'detail-type': detailType,
    source: EVENT_SOURCES.pimcore,
    account: '000000000000',
    time: new Date().toISOString(),
    region: 'us-east-1',
    resources: [],
    detail,
  });
}

/** The medusa-sync queue, Pimcore and Medusa simulators, and a worker that drains only that queue. */
export interface RelayFixture {
  readonly queues: WorkQueues;
  readonly pimcore: PimcoreSimulator;
  readonly medusa: MedusaSimulator;
  readonly worker: WorkerApp;
  /** Writes the products as the ingest consumer would; returns their Pimcore ids. */
  putInPimcore(products: readonly CanonicalProduct[]): Promise<number[]>;
  stop(): Promise<void>;
}

export interface RelayFixtureOptions {
  readonly medusa?: MedusaSimulatorOptions;
  /** Overrides of the worker's environment (e.g. e-mail/password auth, currencies). */
  readonly env?: (medusa: MedusaSimulator) => Readonly<Record<string, string>>;
}

/** Its own Redis key namespace per fixture: Pimcore ids restart at 1 in every simulator. */
export async function startRelayFixture(options: RelayFixtureOptions = {}): Promise<RelayFixture> {
  const queues = await startWorkQueues({ visibilityTimeout: 10, maxReceiveCount: 3 });
  const pimcore = await PimcoreSimulator.start();
  const medusa = await MedusaSimulator.start(options.medusa);
  const namespace = `relay-test-${randomUUID().slice(0, 8)}`;
  const env = workerEnv(queues, pimcore, {
    ...medusaSyncEnv(queues, medusa),
    REDIS_KEY_NAMESPACE: namespace,
    ...options.env?.(medusa),
  });
  const worker = await startWorkerApp(env);
  const writer: PimcoreClient = clientFor(pimcore, 'datahub');
  return {
    queues,
    pimcore,
    medusa,
    worker,
    putInPimcore: async (products) => {
      const ids: number[] = [];
      for (const product of products) ids.push((await writer.upsertProduct(product)).pimcoreId);
      return ids;
    },
    stop: async () => {
      await worker.app.close();
      await writer.close();
      await Promise.all([pimcore.stop(), medusa.stop(), queues.server.close()]);
      await deleteNamespace(namespace);
    },
  };
}

/** Removes the keys a worker wrote under REDIS_KEY_NAMESPACE=namespace from the shared Redis. */
export async function deleteNamespace(namespace: string): Promise<void> {
  const redis = connectTestRedis();
  const keys: string[] = [];
  for await (const batch of redis.scanStream({ match: `pipeline:{*:${namespace}:*`, count: 500 }))
    keys.push(...(batch as string[]));
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
}

/** Starts the fixture before the file's tests and stops it after them. */
export function useRelayFixture(options: RelayFixtureOptions = {}): () => RelayFixture {
  let started: RelayFixture | undefined;
  beforeAll(async () => {
    started = await startRelayFixture(options);
  });
  afterAll(() => started?.stop());
  return () => {
    if (started === undefined) throw new Error('the relay fixture is used before beforeAll started it');
    return started;
  };
}

/** Sends the bodies to medusa-sync and waits until every one is deleted or dead-lettered. */
export async function relayAndSettle(fixture: RelayFixture, bodies: readonly string[]): Promise<void> {
  await sendBodies(fixture.queues, bodies);
  await waitUntilQueueIsEmpty(fixture.queues);
}
