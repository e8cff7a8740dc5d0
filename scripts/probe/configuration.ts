import { once } from 'node:events';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { acquireRunLock, RunLockedError } from '../whole-pipeline/run-lock';
import { PROJECT_ROOT } from '../whole-pipeline/template';
import { describedExit, runToExit, TSX } from './child-run';
import { arrayExport, listingItems } from './exports';
import { judged, oneLine, STACK_OR_PATH, type Kind, type ProbeContext, type Seen } from './kind';
import { PROBE_STACK_ENV } from './probe-stack';
import { ingestWorkerEnvironment, startWorker } from './worker-process';

/**
 * The worker started with a bad environment, as an operator's typo or a broken task definition gives
 * it: it must exit 1 at once with one line per problem naming the variable, no stack, and never repeat
 * a secret (docs/worker.md, "Configuration"). And the operator's commands: a second `npm run local`,
 * and the stack given a Pimcore variable without its Pimcore.
 */

/** The problem lines of the worker's configuration check: `  - VARIABLE: what is wrong` (or `VARIABLE.0:`, an item of a list). */
const problemLines = (output: string) => output.split('\n').filter((line) => /^\s+- [A-Z_]+[.:]/.test(line));

/** Stops a worker that started although it should not have; how it went. */
async function refusedOrStopped(
  context: ProbeContext,
  env: Readonly<Record<string, string>>,
  port?: number,
): Promise<{ readonly exit: string; readonly output: string }> {
  const start = await startWorker(env, path.join(context.workDir, 'worker.log'), port);
  if (start.started) {
    await start.started.stop(5000);
    return { exit: 'started (the environment was accepted)', output: start.output() };
  }
  return { exit: start.exit, output: start.output() };
}

/**
 * The ingest worker's task definition environment with `change` applied (a value, or undefined to
 * remove the variable): refused with exit 1 and exactly `problems` lines, each naming its variable.
 */
function refusedKind(
  name: string,
  change: Readonly<Record<string, string | undefined>>,
  expected: string,
  check: (lines: readonly string[], output: string) => boolean = () => true,
): Kind {
  const variables = Object.keys(change);
  return {
    name,
    boundary: 'configuration',
    expected: `exit 1; ${expected}; no stack`,
    lane: 'process',
    run: async (context) => {
      const env: Record<string, string> = await ingestWorkerEnvironment(await context.template());
      for (const [variable, value] of Object.entries(change)) {
        if (value === undefined) delete env[variable];
        else env[variable] = value;
      }
      const { exit, output } = await refusedOrStopped(context, env);
      const lines = problemLines(output);
      return judged(
        `${exit}; ${lines.length === 0 ? oneLine(output, 200) : lines.map((line) => line.trim()).join(' / ')}`,
        exit === 'exit code 1',
        lines.length === variables.length,
        variables.every((variable) =>
          lines.some((line) => new RegExp(`^- ${variable}[.:]`).test(line.trim())),
        ),
        !STACK_OR_PATH.test(output),
        check(lines, output),
      );
    },
  };
}

/** Holds a port on every address, as another process would. */
async function holdPort(): Promise<{ readonly port: number; readonly release: () => Promise<void> }> {
  // A plain TCP server that drops every connection: nothing there answers /health.
  const server = createServer((socket) => socket.destroy()).listen(0, '0.0.0.0');
  await once(server, 'listening');
  return {
    port: (server.address() as { port: number }).port,
    release: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const LOCK_FILE = path.join(PROJECT_ROOT, '.local-run', 'local.lock');

/**
 * `npm run local` while another holds the checkout: this process takes the checkout's lock as a run
 * would (so the holder is alive, as in test/scripts/run-lock.test.ts), unless a live run holds it for real
 * (then that one is the holder, and its lock is left alone).
 */
async function secondLocalRun(context: ProbeContext): Promise<Seen> {
  mkdirSync(path.dirname(LOCK_FILE), { recursive: true });
  let release: (() => void) | undefined;
  try {
    release = acquireRunLock(LOCK_FILE, 'the probe');
  } catch (error) {
    if (!(error instanceof RunLockedError)) throw error;
  }
  const holder = release ? process.pid : Number(readFileSync(LOCK_FILE, 'utf8').trim());
  try {
    const run = await runToExit(TSX, [path.join('scripts', 'local.ts')], {
      logFile: path.join(context.workDir, 'local.log'),
      timeoutMs: 30_000,
    });
    const lines = run.output.trim().split('\n');
    return judged(
      `${describedExit(run)} after ${run.seconds.toFixed(1)} s: ${oneLine(run.output, 240)}`,
      run.exit?.code === 1,
      lines.length === 1 && lines[0]!.includes(`process ${holder}`),
    );
  } finally {
    release?.();
  }
}

const SHORT_SECRET = 'probe-short-secret-7f3a';

export const CONFIGURATION_KINDS: readonly Kind[] = [
  refusedKind(
    'required variable missing',
    { PRODUCTS_EVENT_BUS_NAME: undefined },
    'PRODUCTS_EVENT_BUS_NAME named as required',
    (lines) => /required/.test(lines[0] ?? ''),
  ),
  refusedKind('WORKER_PREFETCH= empty', { WORKER_PREFETCH: '' }, 'WORKER_PREFETCH refused, named'),
  refusedKind(
    'WORKER_WAIT_TIME_SECONDS= empty',
    { WORKER_WAIT_TIME_SECONDS: '' },
    'WORKER_WAIT_TIME_SECONDS refused, named',
  ),
  refusedKind(
    'WORKER_MAX_IN_FLIGHT=0x10',
    { WORKER_MAX_IN_FLIGHT: '0x10' },
    'WORKER_MAX_IN_FLIGHT refused, named',
  ),
  refusedKind(
    'ftp:// queue URL',
    { PRODUCT_INGEST_QUEUE_URL: 'ftp://sqs.example.com/000000000000/product-ingest-dev' },
    'PRODUCT_INGEST_QUEUE_URL refused, named',
  ),
  refusedKind(
    'not-a-url queue URL',
    { PRODUCT_INGEST_QUEUE_URL: 'not-a-url' },
    'PRODUCT_INGEST_QUEUE_URL: "not a URL", not "required"',
    (lines) => /not a URL/i.test(lines[0] ?? '') && !/required/i.test(lines[0] ?? ''),
  ),
  refusedKind(
    'file:///etc/passwd queue URL',
    { PRODUCT_INGEST_DLQ_URL: 'file:///etc/passwd' },
    'PRODUCT_INGEST_DLQ_URL refused, not "required"',
    (lines) => !/required/i.test(lines[0] ?? ''),
  ),
  refusedKind(
    'webhook secret under 32 characters',
    { PIMCORE_WEBHOOK_SECRETS: SHORT_SECRET },
    'PIMCORE_WEBHOOK_SECRETS refused without echoing it',
    (_, output) => !output.includes(SHORT_SECRET),
  ),
  refusedKind(
    'WORKER_CONSUMERS=everything',
    { WORKER_CONSUMERS: 'everything' },
    'WORKER_CONSUMERS refused, named',
  ),
  refusedKind(
    'three problems at once',
    { WORKER_PREFETCH: '-1', LOG_LEVEL: 'verbose', REDIS_URL: 'http://127.0.0.1:6379' },
    'one line for each of WORKER_PREFETCH, LOG_LEVEL, REDIS_URL',
  ),
  {
    name: 'PORT already in use',
    boundary: 'configuration',
    expected: 'exit 1 before consuming; one line naming the port; no stack',
    lane: 'process',
    run: async (context) => {
      const held = await holdPort();
      try {
        const env = await ingestWorkerEnvironment(await context.template());
        const { exit, output } = await refusedOrStopped(context, env, held.port);
        const plain = output.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('{'));
        const consumed = /"msg":"consumers started"/.test(output);
        return judged(
          `${exit}; ${plain.length} line(s) not JSON: ${oneLine(plain.join(' / '), 200)}; consumers started: ${consumed}`,
          exit === 'exit code 1',
          plain.length === 1 && plain[0]!.includes(String(held.port)),
          !consumed,
          !STACK_OR_PATH.test(output),
        );
      } finally {
        await held.release();
      }
    },
  },
  {
    name: 'npm run local while another runs',
    boundary: 'configuration',
    expected: 'exit 1 at once, one line naming the running one’s process',
    lane: 'process',
    run: secondLocalRun,
  },
  {
    name: 'PIMCORE_WEBHOOK_SECRETS without PIMCORE_BASE_URL',
    boundary: 'configuration',
    expected: 'named as ignored at start; the flow still reaches Medusa',
    lane: 'stack',
    run: async (context) => {
      const stack = context.stack();
      const named = stack.startLog.find((line) => line.startsWith('PIMCORE_WEBHOOK_SECRETS ignored'));
      const ingestion = await stack.ingest(
        'incoming/probe-ignored-secret.json',
        arrayExport(listingItems(1701, 2)),
      );
      const { products } = ingestion.outcome;
      const state = await stack.waitFor(products, (now) => now.inMedusa === products.length, 60_000);
      return judged(
        `start log: ${named ?? `no line names it (given: ${Object.keys(PROBE_STACK_ENV).join(', ')})`}; ` +
          `in Medusa ${state.inMedusa}/${products.length}`,
        named !== undefined,
        products.length === 2 && state.inMedusa === 2,
      );
    },
  },
];
