import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import Redis from 'ioredis';
import {
  openRedisConnection,
  type RedisConnection,
  type RedisMode,
  type RedisStateLog,
} from '../../nest-worker/src/idempotency/redis-connection';
import type { LocalRedisCluster } from './redis-cluster';

/** The machine's Redis (README: tests need one); REDIS_URL overrides. */
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export function connectTestRedis(): Redis {
  return new Redis(TEST_REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 1 });
}

/** A key namespace of its own for each test, so parallel test files never see each other's keys. */
const uniqueScope = (label: string) => `test-${label}-${randomUUID()}`;

/** Removes every key a test wrote under its scope (keys are `pipeline:{<scope>:<entity>}:<kind>`). */
async function deleteScope(redis: Redis, scope: string): Promise<void> {
  const keys: string[] = [];
  for await (const batch of redis.scanStream({ match: `pipeline:{${scope}:*`, count: 500 }))
    keys.push(...(batch as string[]));
  if (keys.length > 0) await redis.del(...keys);
}

const QUIET: RedisStateLog = { info: () => undefined, error: () => undefined };

/** The Redis URL of a mode: the machine's standalone Redis, or the test file's own cluster. */
export const redisUrlOf = (mode: RedisMode, cluster: () => LocalRedisCluster) =>
  mode === 'cluster' ? cluster().url : TEST_REDIS_URL;

/** The worker's own connection in `mode`, once it is ready (it refuses commands before). */
export async function openTestConnection(
  mode: RedisMode,
  cluster: () => LocalRedisCluster,
): Promise<RedisConnection> {
  const redis = openRedisConnection({ url: redisUrlOf(mode, cluster), mode }, QUIET);
  await once(redis, 'ready');
  return redis;
}

/**
 * For a `describe.each(REDIS_MODES)` block: the worker's connection in `mode`, and scopes of the tests'
 * own. Afterwards the scopes' keys are deleted from the machine's Redis (a cluster goes with its file).
 */
export function useRedisInMode(
  mode: RedisMode,
  cluster: () => LocalRedisCluster,
): { readonly redis: RedisConnection; scope(label: string): string } {
  let redis: RedisConnection | undefined;
  const scopes: string[] = [];
  beforeAll(async () => {
    redis = await openTestConnection(mode, cluster);
  });
  afterAll(async () => {
    await redis?.quit();
    if (mode !== 'standalone') return;
    const shared = connectTestRedis();
    for (const scope of scopes) await deleteScope(shared, scope);
    await shared.quit();
  });
  return {
    get redis() {
      if (redis === undefined) throw new Error('the connection is used before beforeAll opened it');
      return redis;
    },
    scope: (label) => {
      const scope = uniqueScope(label);
      scopes.push(scope);
      return scope;
    },
  };
}
