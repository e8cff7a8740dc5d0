import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { provideRedis, type StackRedis } from '../../local/whole-pipeline/redis';
import { REDIS_MODES, type RedisMode } from '../../nest-worker/src/idempotency/redis-connection';
import { canonicalProduct } from './pimcore/fixtures';
import { startRedisCluster, type LocalRedisCluster } from './redis-cluster';
import { expectExactlyOnceInPimcore, useWorkerFixture } from './worker-fixture';
import {
  drainDeadLetters,
  productIngestedBody,
  queueCounts,
  sendBodies,
  waitUntil,
  waitUntilQueueIsEmpty,
} from './worker-harness';

/**
 * A Redis of the test's own, without persistence, so the test may kill and restart it (the machine's
 * shared Redis is never touched): a redis-server on a free port, or a cluster of three. A restart comes
 * back empty, like a Redis that lost its data.
 */
const ownRedis = (mode: RedisMode, logDir: string): Promise<StackRedis | LocalRedisCluster> =>
  mode === 'cluster' ? startRedisCluster() : provideRedis({ logDir });

/** Checks `invariant` every 100 ms for `ms`: what must not happen while a dependency is down. */
async function holdsFor(ms: number, invariant: () => Promise<void>): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end;) {
    await invariant();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.each(REDIS_MODES)(
  'a Redis restart (own %s Redis, NestJS app, local SQS, Pimcore simulator)',
  (mode) => {
    let redis: StackRedis | LocalRedisCluster;
    let logDir: string;
    beforeAll(async () => {
      logDir = mkdtempSync(join(tmpdir(), 'redis-restart-'));
      redis = await ownRedis(mode, logDir);
    });
    afterAll(async () => {
      await redis?.stop();
      rmSync(logDir, { recursive: true, force: true });
    });

    const fixture = useWorkerFixture(() => ({
      queues: { visibilityTimeout: 10, maxReceiveCount: 5 },
      env: { REDIS_URL: redis.url, REDIS_MODE: mode, WORKER_MAX_IN_FLIGHT: '4' },
    }));

    const readiness = async () => {
      const response = await request(`${fixture.worker.baseUrl}/ready`);
      return { status: response.statusCode, body: (await response.body.json()) as Record<string, unknown> };
    };
    const totalInQueue = async () => {
      const counts = await queueCounts(fixture.queues, fixture.queues.queueUrl);
      return counts.visible + counts.inFlight;
    };

    /** Messages deleted (done, dead-lettered) or handed back, each counted once it was. */
    const settled = async () => {
      const [done, handedBack, deadLettered] = await Promise.all([
        fixture.worker.metric('pipeline_messages_succeeded_total'),
        fixture.worker.metric('pipeline_messages_retried_total', { kind: 'redelivery' }),
        fixture.worker.metric('pipeline_messages_dead_lettered_total'),
      ]);
      return done + handedBack + deadLettered;
    };

    it('stops consuming and acknowledging while Redis is down, reports not ready, and completes every product exactly once after', async () => {
      const products = Array.from({ length: 12 }, (_, index) =>
        canonicalProduct(`77${String(index).padStart(3, '0')}`),
      );
      // Pimcore serves three creates, then holds the next ones until Redis is gone: messages are in
      // flight when Redis goes away, however fast or slowly this machine works through them.
      let redisGone = false;
      let held = 0;
      let releaseHeld = () => {};
      const whileRedisIsUp = new Promise<void>((resolve) => (releaseHeld = resolve));
      for (const [index] of products.entries()) {
        fixture.pimcore.beforeNext('createProduct', async () => {
          if (index < 3 || redisGone) return;
          held += 1;
          await whileRedisIsUp;
        });
      }
      await sendBodies(
        fixture.queues,
        products.map((product) => productIngestedBody(product)),
      );
      await waitUntil(
        'three products are applied and more are in flight',
        () => fixture.pimcore.count() >= 3 && held > 0,
      );

      await redis.kill();
      await waitUntil('/ready reports Redis down', async () => (await readiness()).status === 503);
      expect((await readiness()).body).toMatchObject({ error: { redis: { status: 'down' } } });
      redisGone = true;
      releaseHeld();
      // What was in flight fails to record its application and is handed back, not deleted.
      await waitUntil('every received message is settled', async () => {
        const received = await fixture.worker.metric('pipeline_messages_received_total');
        return (await settled()) === received;
      });
      const received = await fixture.worker.metric('pipeline_messages_received_total');
      const left = await totalInQueue();
      // Only the three creates Pimcore served before Redis went can have been acknowledged.
      expect(left).toBeGreaterThanOrEqual(products.length - 3);
      await holdsFor(1500, async () => {
        expect(await fixture.worker.metric('pipeline_messages_received_total')).toBe(received);
        expect(await totalInQueue()).toBe(left);
      });

      // Back empty, as a Redis that lost its data: the keyed upsert still never makes a second object.
      await redis.restart();
      await waitUntilQueueIsEmpty(fixture.queues);
      expectExactlyOnceInPimcore(fixture.pimcore, products);
      expect(fixture.pimcore.count()).toBe(products.length);
      expect(await drainDeadLetters(fixture.queues)).toEqual([]);
      await waitUntil('/ready is up again', async () => (await readiness()).status === 200);
    });
  },
);
