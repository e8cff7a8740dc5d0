import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { PimcoreSimulator } from '../../../local/pimcore-simulator';
import { WorkerChild } from '../../../local/whole-pipeline/worker';
import { canonicalProduct } from '../pimcore/fixtures';
import { useUniqueGoodsIds, workerEnv } from '../worker-fixture';
import {
  productIngestedBody,
  queueCounts,
  sendBodies,
  startWorkQueues,
  waitUntilQueueIsEmpty,
  type WorkQueues,
} from '../worker-harness';

const PROJECT_ROOT = join(__dirname, '..', '..', '..');

/** How long the worker gets to give up before the test stops waiting: a guard, not an assertion. */
const EXIT_GUARD_MS = 60_000;

let queues: WorkQueues;
let pimcore: PimcoreSimulator;
let held: Server | undefined;
let logDir: string;

beforeEach(async () => {
  queues = await startWorkQueues({ visibilityTimeout: 30, maxReceiveCount: 5 });
  pimcore = await PimcoreSimulator.start();
  logDir = mkdtempSync(join(tmpdir(), 'worker-port-'));
});

afterEach(async () => {
  if (held) await new Promise((resolve) => held!.close(resolve));
  held = undefined;
  await pimcore.stop();
  await queues.server.close();
  rmSync(logDir, { recursive: true, force: true });
});

const goodsId = useUniqueGoodsIds();

/** Holds a port on every IPv4 address, as another process (or a second worker) would. */
async function holdPort(): Promise<number> {
  const server = createServer().listen(0, '0.0.0.0');
  await once(server, 'listening');
  held = server;
  return (server.address() as { port: number }).port;
}

/** nest-worker/src/main.ts as `npm run worker` runs it, its stdout and stderr apart, until it exits. */
async function runWorkerUntilExit(env: Readonly<Record<string, string>>, port: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'nest-worker/src/main.ts'], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const guard = setTimeout(() => child.kill('SIGKILL'), EXIT_GUARD_MS);
  try {
    const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
    const messages = stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => (JSON.parse(line) as { msg?: string }).msg);
    return { code, signal, stderr, messages };
  } finally {
    clearTimeout(guard);
  }
}

describe('the worker process (tsx nest-worker/src/main.ts) and its HTTP port', () => {
  it('exits 1 with one line naming a port already in use, having received nothing from its queue', async () => {
    const product = canonicalProduct(goodsId('1'));
    const body = productIngestedBody(product);
    await sendBodies(queues, [body]);
    const port = await holdPort();

    const run = await runWorkerUntilExit(
      workerEnv(queues, pimcore, { LOG_LEVEL: 'info', WORKER_WAIT_TIME_SECONDS: '1' }),
      port,
    );

    expect({ code: run.code, signal: run.signal }).toEqual({ code: 1, signal: null });
    expect(run.stderr).toBe(`Worker cannot start: port ${port} is already in use (PORT)\n`);
    expect(run.messages).not.toContain('consumers started');
    expect(run.messages).not.toContain('message applied');
    // Nothing was received: the message is visible, never delivered, and Pimcore saw no write.
    expect(await queueCounts(queues, queues.queueUrl)).toEqual({ visible: 1, inFlight: 0 });
    const { Messages } = await queues.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queues.queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      }),
    );
    expect(Messages?.map((message) => message.Body)).toEqual([body]);
    expect(Messages?.[0]?.Attributes?.ApproximateReceiveCount).toBe('1');
    expect(pimcore.count()).toBe(0);
  });

  it('binds its port and then consumes, when the port is free', async () => {
    const product = canonicalProduct(goodsId('2'));
    await sendBodies(queues, [productIngestedBody(product)]);
    const worker = await WorkerChild.start({
      env: workerEnv(queues, pimcore, { LOG_LEVEL: 'info', WORKER_WAIT_TIME_SECONDS: '1' }),
      logFile: join(logDir, 'worker.log'),
    });
    try {
      await waitUntilQueueIsEmpty(queues, EXIT_GUARD_MS);
      expect(pimcore.count()).toBe(1);
      expect(worker.logLines('consumers started')).toHaveLength(1);
    } finally {
      await worker.stop();
    }
  });
});
