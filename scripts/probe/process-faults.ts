import * as path from 'node:path';
import { freePort } from '../../local/whole-pipeline/ports';
import { arrayExport, listingItems } from './exports';
import { judged, oneLine, type Kind, type ProbeContext, type Seen } from './kind';
import type { ProbeStack } from './probe-stack';
import { ingestWorkerEnvironment, startWorker } from './worker-process';

/**
 * Faults of the processes around the data: Redis missing at a worker's start, Redis restarted empty
 * and a worker SIGKILLed while products flow. Nothing may be lost or applied twice: every product of the
 * upload ends in Pimcore and in Medusa exactly once (docs/worker.md, "What happens when something fails").
 */

/** How long a worker without Redis is watched for what it prints. */
const WATCH_MS = 8000;
/** Products in flight when a fault strikes. */
const PRODUCTS = 40;

async function redisUnreachable(context: ProbeContext): Promise<Seen> {
  const env = await ingestWorkerEnvironment(await context.template(), {
    redisUrl: `redis://127.0.0.1:${await freePort()}`,
  });
  const start = await startWorker(env, path.join(context.workDir, 'worker.log'));
  if (!start.started) return judged(`${start.exit}: ${oneLine(start.output(), 240)}`, false);
  await new Promise((resolve) => setTimeout(resolve, WATCH_MS));
  await start.started.stop(5000);
  const output = start.output();
  const unavailable = start.started.logLines().filter((line) => line.event === 'redis-unavailable').length;
  const raw = output.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('{'));
  const unhandled = raw.filter((line) => line.includes('[ioredis] Unhandled error event')).length;
  return judged(
    `${unavailable} JSON line(s) redis-unavailable; ${raw.length} line(s) not JSON, ` +
      `${unhandled} "[ioredis] Unhandled error event"${raw.length > 0 ? `: ${oneLine(raw[0]!, 120)}` : ''}`,
    unavailable >= 1,
    unhandled === 0,
    raw.length === 0,
  );
}

/**
 * Uploads PRODUCTS products, strikes with `fault` once the first is in `strikeWhen` (Pimcore: the ingest
 * side busy; Medusa: the relay busy; the rest still on their way), then waits for every one to be in
 * Pimcore and Medusa exactly once.
 */
async function faultMidRun(
  stack: ProbeStack,
  seed: number,
  strikeWhen: 'Pimcore' | 'Medusa',
  fault: (stack: ProbeStack) => Promise<string>,
  afterwards: (stack: ProbeStack) => Seen = () => ({ seen: '', ok: true }),
): Promise<Seen> {
  const items = listingItems(seed, PRODUCTS);
  const upload = stack.ingest(`incoming/probe-fault-${seed}.json`, arrayExport(items));
  // Settled below; a fault that throws first must not leave its rejection unhandled.
  upload.catch(() => undefined);
  // Pimcore is watched by externalId while the ingestion still runs; Medusa by the products it published.
  const externalIds = items.map((item) => `shein:${String(item.goods_id)}`);
  const landed = async (): Promise<number> =>
    strikeWhen === 'Pimcore'
      ? (await stack.pipeline.pimcore.holdings(externalIds)).size
      : (await stack.reconcile((await upload).outcome.products)).inMedusa;
  let struck = '';
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const count = await landed();
    if (count > 0) {
      struck = `${await fault(stack)} with ${count}/${PRODUCTS} in ${strikeWhen}`;
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const { products } = (await upload).outcome;
  const state = await stack.waitFor(
    products,
    (now) => now.inMedusa === products.length && now.inPimcore === products.length,
    120_000,
  );
  const after = afterwards(stack);
  return judged(
    `${struck || `no product reached ${strikeWhen}: no fault injected`}; ${products.length} valid; ` +
      `in Pimcore ${state.inPimcore}, in Medusa ${state.inMedusa}, duplicated ${state.duplicated.length}` +
      (after.seen ? `; ${after.seen}` : ''),
    after.ok,
    struck !== '',
    products.length === PRODUCTS,
    state.inPimcore === PRODUCTS && state.inMedusa === PRODUCTS,
    state.duplicated.length === 0,
  );
}

/** SIGKILLs the first process of the service (a crash: its messages wait out their visibility), then starts it again. */
function killed(service: 'ingest' | 'relay') {
  return async (stack: ProbeStack): Promise<string> => {
    const worker = stack.worker(service);
    await worker.kill('SIGKILL');
    await worker.restart();
    return `${service} worker SIGKILLed and restarted`;
  };
}

/** Why the workers handed messages back, by reason: each must say why (a Redis loss is not "Error"). */
function handBackReasons(stack: ProbeStack): Seen {
  const reasons: Record<string, number> = {};
  for (const service of ['ingest', 'relay'] as const) {
    for (const line of stack.worker(service).logLines('message handed back for a later retry')) {
      const reason = String(line.reason ?? '(none)');
      reasons[reason] = (reasons[reason] ?? 0) + 1;
    }
  }
  const vague = Object.keys(reasons).filter((reason) => ['Error', '(none)', ''].includes(reason));
  return { seen: `hand-backs by reason ${JSON.stringify(reasons)}`, ok: vague.length === 0 };
}

/** Errors each simulator gives the next requests, and a Pimcore request it never answers. */
const DOWNSTREAM_ERRORS = 15;

export const PROCESS_FAULT_KINDS: readonly Kind[] = [
  {
    name: 'Redis unreachable at worker start',
    boundary: 'process',
    expected: 'JSON log lines redis-unavailable; no raw [ioredis] stacks on stderr',
    lane: 'process',
    run: redisUnreachable,
  },
  {
    name: 'Redis restarted empty mid-run',
    boundary: 'process',
    expected: `nothing lost: all ${PRODUCTS} in Pimcore and Medusa exactly once; hand-backs name their reason`,
    lane: 'alone',
    run: (context) =>
      faultMidRun(
        context.stack(),
        1801,
        'Pimcore',
        async (stack) => {
          await stack.pipeline.redis.restart();
          return 'Redis restarted empty';
        },
        handBackReasons,
      ),
  },
  {
    name: 'worker SIGKILLed mid-run',
    boundary: 'process',
    expected: `its messages come back: all ${PRODUCTS} products in Pimcore and Medusa exactly once`,
    lane: 'alone',
    run: (context) => faultMidRun(context.stack(), 1802, 'Pimcore', killed('ingest')),
  },
  {
    name: 'relay SIGKILLed mid-run',
    boundary: 'process',
    expected: `webhooks and messages come back: all ${PRODUCTS} in Pimcore and Medusa exactly once`,
    lane: 'alone',
    run: (context) => faultMidRun(context.stack(), 1803, 'Medusa', killed('relay')),
  },
  {
    name: 'Pimcore and Medusa failing mid-run',
    boundary: 'process',
    expected: `retried: all ${PRODUCTS} products in Pimcore and Medusa exactly once`,
    lane: 'alone',
    run: (context) =>
      faultMidRun(context.stack(), 1804, 'Pimcore', async (stack) => {
        const { pimcore, medusa } = stack.pipeline;
        if (!pimcore.simulator || !medusa.simulator) throw new Error('faults need the simulators');
        pimcore.simulator.failNext(DOWNSTREAM_ERRORS, { status: 503, retryAfter: '1' });
        pimcore.simulator.hangNext(1);
        medusa.simulator.failNext(DOWNSTREAM_ERRORS, { status: 502 });
        return `Pimcore ${DOWNSTREAM_ERRORS}× 503 and a hang, Medusa ${DOWNSTREAM_ERRORS}× 502`;
      }),
  },
];
