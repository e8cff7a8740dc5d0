import { Cluster, Redis } from 'ioredis';

/** `standalone`: one Redis. `cluster`: a Redis Cluster, or ElastiCache Serverless (which acts as one). */
export const REDIS_MODES = ['standalone', 'cluster'] as const;
export type RedisMode = (typeof REDIS_MODES)[number];

/**
 * The worker's Redis in either mode: both clients take the same commands, scripts and pipelines. In
 * cluster mode a script or pipeline must keep its keys in one slot, which redis-keys.ts sees to.
 */
export type RedisConnection = Redis | Cluster;

/** Where the connection's state changes are logged (the app's pino logger). */
export interface RedisStateLog {
  info(fields: object, msg: string): void;
  error(fields: object, msg: string): void;
}

export interface RedisConnectionOptions {
  readonly url: string;
  readonly mode: RedisMode;
}

const reconnectDelayMs = (attempt: number) => Math.min(attempt * 200, 2000);

/**
 * The worker's connection in its mode, its state changes logged. Commands fail at once while Redis is
 * down (no offline queue), so no message is acknowledged on a state we could not record; the client
 * keeps reconnecting, and the consumers pause polling until it is back (README: Operations).
 */
export function openRedisConnection(options: RedisConnectionOptions, log: RedisStateLog): RedisConnection {
  const connection = options.mode === 'cluster' ? connectCluster(options.url) : connectRedis(options.url);
  logStateChanges(connection, options.mode, log);
  return connection;
}

/** A standalone Redis, with the failure behaviour above. */
export function connectRedis(url: string): Redis {
  return new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: reconnectDelayMs,
  });
}

/** A Redis Cluster, with the failure behaviour above: the URL's host and port are the seed node. */
export function connectCluster(url: string): Cluster {
  const { protocol, hostname, port, username, password } = new URL(url);
  return new Cluster([{ host: hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(port || 6379) }], {
    enableOfflineQueue: false,
    clusterRetryStrategy: reconnectDelayMs,
    // The TLS certificate names the endpoint: connect by that name, not a resolved IP (AWS's advice).
    dnsLookup: (address, callback) => callback(null, address),
    redisOptions: {
      maxRetriesPerRequest: 1,
      ...(protocol === 'rediss:' ? { tls: {} } : {}),
      ...(username === '' ? {} : { username: decodeURIComponent(username) }),
      ...(password === '' ? {} : { password: decodeURIComponent(password) }),
    },
  });
}

/**
 * One `redis-unavailable` line (error) when the connection fails, however many reconnect attempts fail
 * after it, and one `redis-ready` line (info) when commands run again: CloudWatch counts the former.
 * Listening to `error` also keeps ioredis from printing every failure to stderr.
 */
function logStateChanges(connection: RedisConnection, mode: RedisMode, log: RedisStateLog): void {
  let available: boolean | undefined;
  const unavailable = (error: Error, node?: string) => {
    if (available === false) return;
    available = false;
    const fields = {
      event: 'redis-unavailable',
      mode,
      error: error.message,
      ...(node === undefined ? {} : { node }),
    };
    log.error(fields, 'Redis unavailable');
  };
  connection.on('error', (error: Error) => unavailable(error));
  // A cluster reports its nodes' failures as `node error`: while it (re)connects, they mean it is down;
  // while it is ready, only that node's commands failed (and it reconnects when all are lost).
  if (mode === 'cluster') {
    connection.on('node error', (error: Error, node: string) => {
      if (connection.status !== 'ready') unavailable(error, node);
    });
  }
  connection.on('ready', () => {
    if (available === true) return;
    available = true;
    log.info({ event: 'redis-ready', mode }, 'Redis ready');
  });
}

export const isRedisReady = (redis: RedisConnection) => redis.status === 'ready';
