import Redis from 'ioredis';

/**
 * The worker's Redis connection. Commands fail at once while it is down (no offline queue), so no
 * message is acknowledged on a state we could not record; the client keeps reconnecting, and the
 * consumers pause polling until it is back (README: Operations).
 */
export function connectRedis(url: string): Redis {
  return new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
}

export const isRedisReady = (redis: Redis) => redis.status === 'ready';
