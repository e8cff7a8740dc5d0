import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { freePort } from '../../../local/whole-pipeline/ports';
import { provideRedis, type StackRedis } from '../../../local/whole-pipeline/redis';
import { IdempotencyLedger } from '../../../nest-worker/src/idempotency/idempotency-ledger';
import {
  connectCluster,
  connectRedis,
  type RedisConnection,
} from '../../../nest-worker/src/idempotency/redis-connection';
import type { PimcoreClient, UpsertResult } from '../../../nest-worker/src/pimcore';
import { ProductIngestHandler } from '../../../nest-worker/src/pimcore/product-ingest-handler';
import type { ConsumerObserver } from '../../../nest-worker/src/queue/consumer-observer';
import type { HandlerOutcome } from '../../../nest-worker/src/queue/consumed-message';
import { QueueConsumer } from '../../../nest-worker/src/queue/queue-consumer';
import { singleMessageConsumerOptions } from './single-consumer-options';
import { canonicalProduct } from '../pimcore/fixtures';
import { productIngestedBody, startWorkQueues, waitUntil, type WorkQueues } from '../worker-harness';

/**
 * The reason a message is handed back with when Redis is lost under it: its log line's `reason` and the
 * `pipeline_messages_retried_total` label. ioredis fails a command on a lost connection with a plain
 * `Error`, which the consumer used to report as the reason "Error".
 */

/** A Pimcore whose upserts wait until the test lets them finish. */
class GatedPimcore {
  upserts = 0;
  private open: () => void = () => undefined;
  private readonly gate = new Promise<void>((resolve) => (this.open = resolve));

  readonly client = {
    upsertProduct: async (): Promise<UpsertResult> => {
      this.upserts += 1;
      await this.gate;
      return { pimcoreId: 4242, created: true, skippedLocales: [] };
    },
  } as unknown as PimcoreClient;

  release(): void {
    this.open();
  }
}

/** Records every settled outcome and every error report. */
function recordingObserver() {
  const settled: HandlerOutcome[] = [];
  const errors: { what: string; error: unknown }[] = [];
  const observer: ConsumerObserver = {
    received() {},
    inFlight() {},
    settled: (_queue, _message, outcome) => settled.push(outcome),
    error: (_queue, what, error) => errors.push({ what, error }),
  };
  return { observer, settled, errors };
}

describe('the hand-back reason when Redis is lost (QueueConsumer, ProductIngestHandler, local SQS)', () => {
  let queues: WorkQueues;
  let consumer: QueueConsumer | undefined;
  let redis: RedisConnection | undefined;
  beforeEach(async () => {
    queues = await startWorkQueues({ visibilityTimeout: 600, maxReceiveCount: 5 });
  });
  afterEach(async () => {
    await consumer?.stop(1000);
    consumer = undefined;
    redis?.disconnect();
    redis = undefined;
    queues.sqs.destroy();
    await queues.server.close();
  });

  function startConsumer(connection: RedisConnection, pimcore: PimcoreClient, observer: ConsumerObserver) {
    const ledger = new IdempotencyLedger(connection, {
      scope: `hand-back-test-${randomUUID().slice(0, 8)}`,
      claimTtlMs: 30_000,
      appliedTtlSeconds: 60,
    });
    const handler = new ProductIngestHandler(ledger, pimcore, {
      retry: { baseMs: 1, capMs: 1, maxAttempts: 1 },
      busyRetryDelaySeconds: 5,
    });
    consumer = new QueueConsumer(queues.sqs, handler, observer, singleMessageConsumerOptions(queues));
    consumer.start();
  }

  const sendProduct = (goodsId: string) =>
    queues.sqs.send(
      new SendMessageCommand({
        QueueUrl: queues.queueUrl,
        MessageBody: productIngestedBody(canonicalProduct(goodsId)),
      }),
    );

  it('names a Redis killed while the product was being written RedisUnavailable, not "Error"', async () => {
    const logDir = mkdtempSync(join(tmpdir(), 'hand-back-reason-'));
    let server: StackRedis | undefined;
    try {
      server = await provideRedis({ logDir });
      const connection = connectRedis(server.url);
      connection.on('error', () => undefined);
      redis = connection;
      await waitUntil('Redis is ready', () => connection.status === 'ready');
      const pimcore = new GatedPimcore();
      const { observer, settled, errors } = recordingObserver();
      await sendProduct('93001');
      startConsumer(connection, pimcore.client, observer);

      // Claimed and read in Redis, now writing to Pimcore: Redis goes away before the ledger records it.
      await waitUntil('the upsert started', () => pimcore.upserts === 1);
      await server.kill();
      pimcore.release();
      await waitUntil('the message is settled', () => settled.length === 1);

      expect(settled[0]).toMatchObject({ kind: 'retry-later', reason: 'RedisUnavailable' });
      // The handler's error line keeps what ioredis said.
      const handlerError = errors.find((entry) => entry.what === 'handler')?.error as Error;
      expect(handlerError.name).toBe('RedisUnavailable');
      expect(handlerError.message).toMatch(/^Redis unavailable: \S/);
    } finally {
      await server?.stop();
      rmSync(logDir, { recursive: true, force: true });
    }
  });

  it('names a Redis Cluster that is not reachable RedisUnavailable too', async () => {
    const connection = connectCluster(`redis://127.0.0.1:${await freePort()}`);
    connection.on('error', () => undefined);
    connection.on('node error', () => undefined);
    redis = connection;
    const { observer, settled } = recordingObserver();
    await sendProduct('93002');
    startConsumer(connection, new GatedPimcore().client, observer);

    await waitUntil('the message is settled', () => settled.length === 1);
    expect(settled[0]).toMatchObject({ kind: 'retry-later', reason: 'RedisUnavailable' });
  });

  it('names any other plain Error HandlerError, never "Error"', async () => {
    const { observer, settled } = recordingObserver();
    await sendProduct('93003');
    consumer = new QueueConsumer(
      queues.sqs,
      {
        handle: async () => {
          throw new Error('something unexpected');
        },
      },
      observer,
      singleMessageConsumerOptions(queues),
    );
    consumer.start();
    await waitUntil('the message is settled', () => settled.length === 1);
    expect(settled[0]).toMatchObject({ kind: 'retry-later', reason: 'HandlerError' });
  });
});
