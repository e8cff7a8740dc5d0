import { join } from 'node:path';
import Redis from 'ioredis';
import { ManagedProcess } from './child-process';
import { freePort } from './ports';
import { waitFor } from './wait';

/** Neither a configured Redis nor a redis-server binary: the message says how to get one. */
export class RedisUnavailable extends Error {
  override readonly name = 'RedisUnavailable';
}

export interface StackRedis {
  readonly url: string;
  /** True when this stack started the server (and so may restart it); false for REDIS_URL's. */
  readonly owned: boolean;
  /** Kills the own server (SIGKILL) and leaves it down until restart(), as a crash. */
  kill(): Promise<void>;
  /**
   * Kills the own server (if it still runs) and starts an empty one on the same port, as after a crash
   * without persistence.
   */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface RedisOptions {
  /** A Redis to use (REDIS_URL); it must answer PING. Without it, an own redis-server is started. */
  readonly url?: string;
  /** Where the own server's log goes. */
  readonly logDir: string;
  /** The redis-server binary; default `redis-server` on PATH. */
  readonly binary?: string;
}

const HOW_TO_GET_REDIS =
  'Set REDIS_URL=redis://<host>:<port> to use a running Redis, or install redis-server so the stack can ' +
  'start its own (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis).';

/** The configured Redis when it answers, else a redis-server of the stack's own on a free port. */
export async function provideRedis(options: RedisOptions): Promise<StackRedis> {
  if (options.url !== undefined) {
    await assertAnswers(options.url);
    return {
      url: options.url,
      owned: false,
      kill: () => notOwned(options.url!),
      restart: () => notOwned(options.url!),
      stop: async () => {},
    };
  }
  const port = await freePort();
  const logFile = join(options.logDir, 'redis.log');
  const binary = options.binary ?? 'redis-server';
  let server = await startServer(binary, port, logFile);
  return {
    url: `redis://127.0.0.1:${port}`,
    owned: true,
    kill: async () => {
      await server.kill('SIGKILL');
    },
    restart: async () => {
      await server.kill('SIGKILL');
      server = await startServer(binary, port, logFile);
    },
    stop: async () => {
      await server.stop(2000);
    },
  };
}

async function notOwned(url: string): Promise<never> {
  throw new Error(`${url} is not the stack's own Redis: it is never killed or restarted`);
}

/** No persistence: a restart comes back empty, the worst case for the pipeline's ledgers. */
async function startServer(binary: string, port: number, logFile: string): Promise<ManagedProcess> {
  const server = ManagedProcess.spawn({
    command: binary,
    args: ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    logFile,
  });
  const url = `redis://127.0.0.1:${port}`;
  try {
    await waitFor(
      `redis-server on port ${port} answers PING (log: ${logFile})`,
      async () => {
        if (!server.running) {
          const exit = await server.exited;
          if (exit.error && (exit.error as NodeJS.ErrnoException).code === 'ENOENT') {
            throw new RedisUnavailable(
              `No Redis: REDIS_URL is not set and ${binary} is not installed. ${HOW_TO_GET_REDIS}`,
            );
          }
          throw new Error(`redis-server exited (${exit.code ?? exit.signal}); see ${logFile}`);
        }
        return answers(url);
      },
      10_000,
    );
  } catch (error) {
    await server.kill('SIGKILL');
    throw error;
  }
  return server;
}

async function assertAnswers(url: string): Promise<void> {
  if (await answers(url)) return;
  throw new RedisUnavailable(`REDIS_URL=${url} does not answer PING. ${HOW_TO_GET_REDIS}`);
}

async function answers(url: string): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

/** Deletes the keys matching these patterns (a run's own namespace in a shared Redis). */
export async function forgetKeys(url: string, patterns: readonly string[]): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    for (const pattern of patterns) {
      for await (const keys of redis.scanStream({ match: pattern, count: 1000 })) {
        if ((keys as string[]).length > 0) await redis.del(...(keys as string[]));
      }
    }
  } finally {
    redis.disconnect();
  }
}
