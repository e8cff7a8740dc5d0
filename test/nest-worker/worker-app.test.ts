import { request } from 'undici';
import { REDIS_MODES, type RedisConnection } from '../../nest-worker/src/idempotency/redis-connection';
import { REDIS } from '../../nest-worker/src/config/injection-tokens';
import { canonicalProduct } from './pimcore/fixtures';
import { useRedisCluster } from './redis-cluster';
import { redisUrlOf } from './redis-helpers';
import { useUniqueGoodsIds, useWorkerFixture } from './worker-fixture';
import { drainDeadLetters, productIngestedBody, queueCounts, sendBodies, waitUntil } from './worker-harness';

const cluster = useRedisCluster();

describe.each(REDIS_MODES)(
  'the worker (NestJS app, local SQS, Pimcore simulator, real Redis, %s)',
  (mode) => {
    const fixture = useWorkerFixture(() => ({
      queues: { visibilityTimeout: 10, maxReceiveCount: 3 },
      env: { REDIS_MODE: mode, REDIS_URL: redisUrlOf(mode, cluster) },
    }));
    const goodsId = useUniqueGoodsIds();
    const products = Array.from({ length: 12 }, (_, index) =>
      canonicalProduct(goodsId(String(index).padStart(2, '0'))),
    );

    it('upserts every product once, drops duplicates and dead-letters a poison message with its reason', async () => {
      const bodies = products.map((product) => productIngestedBody(product));
      const settled = () =>
        waitUntil('every message is settled', async () => {
          const counts = await queueCounts(fixture.queues, fixture.queues.queueUrl);
          return counts.visible === 0 && counts.inFlight === 0;
        });
      await sendBodies(fixture.queues, bodies);
      await settled();
      // The copies come once the originals are applied, so each is a plain duplicate. (A copy worked on
      // while its original still holds the product's claim is handed back as ProductBusy and dropped on
      // its next delivery: delivery-semantics.test.ts covers that race; the metrics below count receives.)
      await sendBodies(fixture.queues, [bodies[0], bodies[5], '{"not":"an event"']);
      await settled();
      const externalIds = fixture.pimcore
        .objects()
        .map((object) => object.values.externalId)
        .sort();
      expect(externalIds).toEqual(products.map((product) => product.externalId).sort());
      // Each product's ledger, under its hash tag, in this mode's Redis.
      const redis = fixture.worker.app.get<RedisConnection>(REDIS);
      const ledgers = products.map((product) => `pipeline:{pimcore:${product.externalId}}:ledger`);
      expect(await Promise.all(ledgers.map((key) => redis.exists(key)))).toEqual(ledgers.map(() => 1));

      const letters = await drainDeadLetters(fixture.queues);
      expect(letters).toEqual([
        { body: '{"not":"an event"', reason: 'InvalidJson', detail: expect.stringContaining('not JSON') },
      ]);
    });

    it('is ready, and exposes what it did as Prometheus metrics', async () => {
      const ready = await request(`${fixture.worker.baseUrl}/ready`);
      expect(ready.statusCode).toBe(200);
      expect(await ready.body.json()).toMatchObject({
        status: 'ok',
        info: { redis: { status: 'up' }, sqs: { status: 'up' } },
      });

      const metrics = await (await request(`${fixture.worker.baseUrl}/metrics`)).body.text();
      const value = (series: string) => Number(new RegExp(`^${series} (\\S+)$`, 'm').exec(metrics)?.[1]);
      expect(value('pipeline_messages_received_total{queue="product-ingest"}')).toBe(15);
      expect(value('pipeline_messages_succeeded_total{queue="product-ingest",result="applied"}')).toBe(12);
      expect(value('pipeline_duplicates_skipped_total{queue="product-ingest"}')).toBe(2);
      expect(
        value('pipeline_messages_dead_lettered_total{queue="product-ingest",reason="InvalidJson"}'),
      ).toBe(1);
      expect(metrics).toContain('pipeline_handler_duration_seconds_bucket');
    });

    // After the metrics test, which counts what the first test did.
    it('converges to an update when a product’s ledger is lost: one object, the new content, no dead letter', async () => {
      const before = canonicalProduct(goodsId('99'), { brand: 'Before' });
      const settled = () =>
        waitUntil('every message is settled', async () => {
          const counts = await queueCounts(fixture.queues, fixture.queues.queueUrl);
          return counts.visible === 0 && counts.inFlight === 0;
        });
      await sendBodies(fixture.queues, [productIngestedBody(before)]);
      await settled();
      // A Redis restart, a second deployment, an object created by hand: the worker no longer knows it.
      const redis = fixture.worker.app.get<RedisConnection>(REDIS);
      expect(await redis.del(`pipeline:{pimcore:${before.externalId}}:ledger`)).toBe(1);

      // Its create meets Pimcore's "Duplicate full path [ … ] - cannot save object": look up, update.
      await sendBodies(fixture.queues, [
        productIngestedBody(canonicalProduct(goodsId('99'), { brand: 'After' })),
      ]);
      await settled();

      const objects = fixture.pimcore
        .objects()
        .filter((object) => object.values.externalId === before.externalId);
      expect(objects.map((object) => object.values.brand)).toEqual(['After']);
      expect(await drainDeadLetters(fixture.queues)).toEqual([]);
    });

    it('answers /health', async () => {
      const health = await request(`${fixture.worker.baseUrl}/health`);
      expect(health.statusCode).toBe(200);
    });
  },
);
