import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PimcoreSimulator } from '../../local/pimcore-simulator';
import { WorkerChild } from '../../local/whole-pipeline/worker';
import { canonicalProduct } from './pimcore/fixtures';
import {
  expectExactlyOnceInPimcore,
  startWorkerApp,
  useUniqueGoodsIds,
  workerEnv,
  type WorkerApp,
} from './worker-fixture';
import {
  drainDeadLetters,
  productIngestedBody,
  queueCounts,
  sendBodies,
  startWorkQueues,
  waitUntil,
  waitUntilQueueIsEmpty,
  type WorkQueues,
} from './worker-harness';

let queues: WorkQueues;
let pimcore: PimcoreSimulator;
let logDir: string;
let first: WorkerChild | undefined;
let second: WorkerApp | undefined;

beforeEach(async () => {
  logDir = mkdtempSync(join(tmpdir(), 'worker-process-kills-'));
  queues = await startWorkQueues({ visibilityTimeout: 10, maxReceiveCount: 5 });
  pimcore = await PimcoreSimulator.start();
});

afterEach(async () => {
  await first?.kill();
  await second?.app.close();
  await pimcore.stop();
  await queues.server.close();
  rmSync(logDir, { recursive: true, force: true });
  first = undefined;
  second = undefined;
});

const goodsId = useUniqueGoodsIds();
const productsFor = (test: string, count: number) =>
  Array.from({ length: count }, (_, index) =>
    canonicalProduct(goodsId(`${test}${String(index).padStart(2, '0')}`)),
  );

/**
 * nest-worker/src/main.ts in a child process, as `npm run worker` runs it, so it can be killed for real;
 * its info lines (which the test reads) go to a log file of the test's own.
 */
const startWorkerProcess = (env: Readonly<Record<string, string>>) =>
  WorkerChild.start({ env: { ...env, LOG_LEVEL: 'info' }, logFile: join(logDir, 'worker.log') });

describe('worker processes killed mid-work (tsx nest-worker/src/main.ts, local SQS, Pimcore simulator, real Redis)', () => {
  it('re-applies nothing twice after a SIGKILL between the Pimcore write and the delete', async () => {
    const products = productsFor('1', 3);
    // A 1 s handler timeout gives a 2 s visibility: the lost messages come back soon.
    const env = workerEnv(queues, pimcore, { WORKER_HANDLER_TIMEOUT_SECONDS: '1' });
    first = await startWorkerProcess(env);
    const worker = first;
    const unsubscribe = pimcore.onSave(() => {
      // The simulator tells the first write at once; the signal goes synchronously, before it even answers.
      void worker.kill('SIGKILL');
      unsubscribe();
    });

    await sendBodies(
      queues,
      products.map((product) => productIngestedBody(product)),
    );
    expect(await worker.exited).toEqual({ code: null, signal: 'SIGKILL' });
    // Writes already on their way when the process died land too; no message was deleted.
    expect(pimcore.count()).toBeGreaterThanOrEqual(1);
    const counts = await queueCounts(queues, queues.queueUrl);
    expect(counts.visible + counts.inFlight).toBe(products.length);

    second = await startWorkerApp(env);
    await waitUntilQueueIsEmpty(queues);
    expectExactlyOnceInPimcore(pimcore, products);
    expect(pimcore.count()).toBe(products.length);
    expect(await drainDeadLetters(queues)).toEqual([]);
  });

  it('exits 0 within the deadline on SIGTERM mid-batch, finishing or handing back every message', async () => {
    const products = productsFor('2', 10);
    const env = workerEnv(queues, pimcore, {
      WORKER_MAX_IN_FLIGHT: '4',
      WORKER_SHUTDOWN_DEADLINE_SECONDS: '1',
    });
    // A new product's upsert is one request: at 1.5 s, longer than the deadline, work is cut short.
    pimcore.setLatency(1500);
    first = await startWorkerProcess(env);
    const worker = first;
    await sendBodies(
      queues,
      products.map((product) => productIngestedBody(product)),
    );
    await waitUntil('a product is applied', () => worker.logLines('message applied').length > 0);

    const signalled = Date.now();
    expect(await worker.kill('SIGTERM')).toEqual({ code: 0, signal: null });
    // The 1 s deadline, plus handing back, flushing deletes and closing the server and connections.
    expect(Date.now() - signalled).toBeLessThan(1000 + 2000);

    const applied = worker.logLines('message applied').map((line) => line.externalId);
    const handedBack = worker.logLines('message handed back for a later retry');
    const counts = await queueCounts(queues, queues.queueUrl);
    // Nothing is left invisible: what was not finished was handed back at once (visibility 0).
    expect(counts.inFlight).toBe(0);
    expect(counts.visible + applied.length).toBe(products.length);
    expect(handedBack.length).toBeGreaterThan(0);
    expect(handedBack.every((line) => line.reason === 'PimcoreUnavailable:aborted')).toBe(true);

    pimcore.setLatency(0);
    second = await startWorkerApp(env);
    await waitUntilQueueIsEmpty(queues);
    expectExactlyOnceInPimcore(pimcore, products);
    expect(pimcore.count()).toBe(products.length);
    expect(await drainDeadLetters(queues)).toEqual([]);
  });
});
