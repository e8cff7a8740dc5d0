import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Cluster } from 'ioredis';
import pino from 'pino';
import { request } from 'undici';
import { provideRedis, type StackRedis } from '../../../local/whole-pipeline/redis';
import { freePort } from '../../../local/whole-pipeline/ports';
import { PimcoreSimulator } from '../../../local/pimcore-simulator';
import {
  connectCluster,
  isRedisReady,
  openRedisConnection,
  REDIS_MODES,
  type RedisConnection,
  type RedisMode,
} from '../../../nest-worker/src/idempotency/redis-connection';
import { useRedisCluster } from '../redis-cluster';
import { workerEnv } from '../worker-fixture';
import { startWorkQueues, waitUntil, type WorkQueues } from '../worker-harness';

const PROJECT_ROOT = join(__dirname, '..', '..', '..');

type LogLine = Record<string, unknown>;

/** A pino logger whose JSON lines the test reads, as the app's logger writes them to stdout. */
function jsonLog() {
  const lines: LogLine[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(
        ...chunk
          .toString()
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as LogLine),
      );
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

const events = (lines: readonly LogLine[]) =>
  lines.filter((line) => 'event' in line).map((line) => line.event);
const IOREDIS_STDERR = /\[ioredis\]|Unhandled error event/;

const cluster = useRedisCluster();

describe('the Redis connection’s state, logged (a Redis the test kills and restarts)', () => {
  let standalone: StackRedis;
  let logDir: string;
  beforeAll(async () => {
    logDir = mkdtempSync(join(tmpdir(), 'redis-connection-'));
    standalone = await provideRedis({ logDir });
  });
  afterAll(async () => {
    await standalone?.stop();
    rmSync(logDir, { recursive: true, force: true });
  });
  const server = (mode: RedisMode) => (mode === 'cluster' ? cluster() : standalone);

  let connection: RedisConnection | undefined;
  let stderr: jest.SpyInstance;
  let consoleError: jest.SpyInstance;
  beforeEach(() => {
    stderr = jest.spyOn(process.stderr, 'write');
    consoleError = jest.spyOn(console, 'error');
  });
  afterEach(async () => {
    connection?.disconnect();
    jest.restoreAllMocks();
  });

  it.each(REDIS_MODES)(
    '%s: one redis-unavailable line however many reconnects fail, redis-ready when it is back',
    async (mode) => {
      const { logger, lines } = jsonLog();
      const redis = openRedisConnection({ url: server(mode).url, mode }, logger);
      connection = redis;
      let reconnects = 0;
      redis.on('reconnecting', () => reconnects++);
      await waitUntil('the connection is ready', () => events(lines).includes('redis-ready'));

      await server(mode).kill();
      // The worker keeps sending (probes, consumers); every command fails at once, none waits for Redis:
      // it is refused before the client's next reconnect attempt (a queued command is failed only by a
      // reconnect attempt, or answered once Redis is back), however slowly this machine runs.
      const probe = async () => {
        let stopWatching = () => {};
        const nextAttempt = new Promise<string>((resolve) => {
          const tried = () => resolve('still waiting when the client next tried to reach Redis');
          for (const event of ['reconnecting', 'error']) redis.once(event, tried);
          stopWatching = () => {
            for (const event of ['reconnecting', 'error']) redis.off(event, tried);
          };
        });
        const ping = redis.ping().then(
          () => 'answered',
          () => 'refused',
        );
        const first = await Promise.race([ping, nextAttempt]);
        stopWatching();
        expect(first).toBe('refused');
      };
      await waitUntil('Redis is found gone', () => {
        // Only to make the client notice; how a command fails meanwhile is the probe's to assert.
        redis.ping().catch(() => undefined);
        return events(lines).includes('redis-unavailable');
      });
      await waitUntil('reconnecting has failed three times more', async () => {
        await probe();
        return reconnects >= 4;
      });
      expect(isRedisReady(redis)).toBe(false);

      await server(mode).restart();
      await waitUntil('the connection is ready again', () => events(lines).length === 3, 30_000);
      expect(await redis.set('after-restart', '1')).toBe('OK');
      expect(isRedisReady(redis)).toBe(true);

      expect(events(lines)).toEqual(['redis-ready', 'redis-unavailable', 'redis-ready']);
      const [ready, unavailable] = lines.filter((line) => 'event' in line);
      expect(ready).toMatchObject({ level: 30, mode, msg: 'Redis ready' });
      expect(unavailable).toMatchObject({
        level: 50,
        mode,
        msg: 'Redis unavailable',
        error: expect.any(String),
      });
      expect(unavailable!.error).not.toBe('');
      const printed = [...stderr.mock.calls, ...consoleError.mock.calls].map((call) => String(call[0]));
      expect(printed.filter((text) => IOREDIS_STDERR.test(text))).toEqual([]);
    },
  );
});

describe('the worker app (node nest-worker/src/main.ts) with Redis down from the start', () => {
  let queues: WorkQueues;
  let pimcore: PimcoreSimulator;
  beforeAll(async () => {
    queues = await startWorkQueues({ visibilityTimeout: 10, maxReceiveCount: 3 });
    pimcore = await PimcoreSimulator.start();
  });
  afterAll(async () => {
    await pimcore?.stop();
    await queues?.server.close();
  });

  /** Runs the worker for `ms` against REDIS_URL, then SIGTERM: its stdout JSON lines, its stderr, /ready. */
  async function runWorker(mode: RedisMode, redisUrl: string, ms: number) {
    const port = await freePort();
    const env = workerEnv(queues, pimcore, { REDIS_MODE: mode, REDIS_URL: redisUrl, LOG_LEVEL: 'info' });
    const child = spawn(process.execPath, ['--import', 'tsx', 'nest-worker/src/main.ts'], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = once(child, 'exit');
    try {
      const url = `http://127.0.0.1:${port}`;
      await waitUntil(
        'the worker serves /health',
        () =>
          request(`${url}/health`).then(
            (response) => response.statusCode === 200,
            () => false,
          ),
        60_000,
      );
      await new Promise((resolve) => setTimeout(resolve, ms));
      const ready = await request(`${url}/ready`);
      const readiness = { status: ready.statusCode, body: await ready.body.json() };
      child.kill('SIGTERM');
      const [code] = await exited;
      const lines = stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as LogLine);
      return { lines, stderr, readiness, code };
    } finally {
      child.kill('SIGKILL');
    }
  }

  it('logs redis-unavailable once as JSON (not a stack per reconnect on stderr) and is not ready, in both modes', async () => {
    const nobody = `redis://127.0.0.1:${await freePort()}`;
    // Two seconds: the client retries after 200, 400, 600 and 800 ms.
    const runs = await Promise.all(REDIS_MODES.map((mode) => runWorker(mode, nobody, 2000)));
    for (const [index, run] of runs.entries()) {
      const mode = REDIS_MODES[index];
      const redisLines = run.lines.filter((line) => 'event' in line);
      expect(redisLines).toEqual([
        expect.objectContaining({ event: 'redis-unavailable', level: 50, mode, error: expect.any(String) }),
      ]);
      expect(redisLines[0]).toMatchObject({ context: 'Redis' });
      expect(run.stderr).not.toMatch(IOREDIS_STDERR);
      expect(run.stderr).not.toMatch(/^\s+at /m);
      expect(run.readiness).toMatchObject({ status: 503, body: { error: { redis: { status: 'down' } } } });
      expect(run.code).toBe(0);
    }
    expect(runs[0]!.lines.find((line) => 'event' in line)?.error).toMatch(/ECONNREFUSED/);
  });
});

describe('cluster mode’s connection options', () => {
  it('seeds from the URL’s host and port, with TLS for rediss://, its credentials, and no DNS lookup', () => {
    const redis = connectCluster('rediss://worker:p%40ss@cache.example.com:6380');
    redis.on('error', () => undefined).on('node error', () => undefined);
    redis.disconnect();
    const options = (redis as Cluster).options;
    expect(options.enableOfflineQueue).toBe(false);
    expect(options.redisOptions).toEqual({
      maxRetriesPerRequest: 1,
      tls: {},
      username: 'worker',
      password: 'p@ss',
    });
    const looked: unknown[] = [];
    options.dnsLookup!('cache.example.com', (...answer) => looked.push(answer));
    expect(looked).toEqual([[null, 'cache.example.com']]);
    expect((redis as unknown as { startupNodes: unknown }).startupNodes).toEqual([
      { host: 'cache.example.com', port: 6380 },
    ]);
  });

  it('speaks plain TCP without credentials for redis://', () => {
    const redis = connectCluster(cluster().url);
    redis.disconnect();
    expect(redis.options.redisOptions).toEqual({ maxRetriesPerRequest: 1 });
  });
});
