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

/**
 * `promise`, or a failure naming `what` once `ms` have passed: a guard so that a hang fails with a
 * name instead of the test's timeout, far beyond any machine's speed, not a limit on it.
 */
async function settledWithin<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: still waiting after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, hung]);
  } finally {
    clearTimeout(timer);
  }
}

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

    // The usual handler timeout for the worker that finishes the job: its own work is not raced
    // against the 1 s above (a loaded machine would see handlers cut short, retried, dead-lettered).
    second = await startWorkerApp(workerEnv(queues, pimcore));
    await waitUntilQueueIsEmpty(queues);
    expectExactlyOnceInPimcore(pimcore, products);
    expect(pimcore.count()).toBe(products.length);
    expect(await drainDeadLetters(queues)).toEqual([]);
  });

  it('exits 0 at the deadline on SIGTERM mid-batch, finishing or handing back every message', async () => {
    const products = productsFor('2', 10);
    const maxInFlight = 4;
    const env = workerEnv(queues, pimcore, {
      WORKER_MAX_IN_FLIGHT: String(maxInFlight),
      WORKER_SHUTDOWN_DEADLINE_SECONDS: '1',
      // Only the shutdown deadline may end the held requests: the handler's and the client's timeouts
      // are far off.
      WORKER_HANDLER_TIMEOUT_SECONDS: '300',
      PIMCORE_TIMEOUT_MS: '300000',
    });
    // Pimcore serves the first create and holds every later one, unanswered, until the worker is gone:
    // the work in flight at SIGTERM cannot finish, however fast this machine is.
    let workerGone = false;
    let held = 0;
    let releaseHeld = () => {};
    const untilWorkerIsGone = new Promise<void>((resolve) => (releaseHeld = resolve));
    for (const [index] of products.entries()) {
      pimcore.beforeNext('createProduct', async () => {
        if (index === 0 || workerGone) return;
        held += 1;
        await untilWorkerIsGone;
        // Its client gave up on it: not served, so nothing lands behind the worker's back.
        throw new Error('held until the worker had gone');
      });
    }
    first = await startWorkerProcess(env);
    const worker = first;
    await sendBodies(
      queues,
      products.map((product) => productIngestedBody(product)),
    );
    await waitUntil(
      'a product is applied and every slot waits for Pimcore',
      () => worker.logLines('message applied').length > 0 && held === maxInFlight,
    );

    // The held requests are never answered while the worker runs: only the deadline lets it exit.
    expect(await settledWithin(60_000, 'the worker exits on SIGTERM', worker.kill('SIGTERM'))).toEqual({
      code: 0,
      signal: null,
    });
    workerGone = true;
    releaseHeld();

    const applied = worker.logLines('message applied').map((line) => line.externalId);
    const handedBack = worker.logLines('message handed back for a later retry');
    const counts = await queueCounts(queues, queues.queueUrl);
    // Nothing is left invisible: what was not finished was handed back at once (visibility 0).
    expect(counts.inFlight).toBe(0);
    expect(counts.visible + applied.length).toBe(products.length);
    expect(applied).toHaveLength(1);
    // Every message the deadline cut short, and only those, was handed back.
    expect(handedBack).toHaveLength(held);
    expect(handedBack.every((line) => line.reason === 'PimcoreUnavailable:aborted')).toBe(true);

    second = await startWorkerApp(workerEnv(queues, pimcore));
    await waitUntilQueueIsEmpty(queues);
    expectExactlyOnceInPimcore(pimcore, products);
    expect(pimcore.count()).toBe(products.length);
    expect(await drainDeadLetters(queues)).toEqual([]);
  });
});
