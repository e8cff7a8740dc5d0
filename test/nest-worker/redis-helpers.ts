import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';

/** The machine's Redis (README: tests need one); REDIS_URL overrides. */
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export function connectTestRedis(): Redis {
  return new Redis(TEST_REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 1 });
}

/** A key namespace of its own for each test, so parallel test files never see each other's keys. */
export const uniqueScope = (label: string) => `test-${label}-${randomUUID()}`;

/** Removes every key a test wrote under its scope. */
export async function deleteScope(redis: Redis, scope: string): Promise<void> {
  const keys: string[] = [];
  for await (const batch of redis.scanStream({ match: `pipeline:${scope}:*`, count: 500 }))
    keys.push(...(batch as string[]));
  if (keys.length > 0) await redis.del(...keys);
}
