import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { withWholePipeline } from '../whole-pipeline/run-stack';
import { devTemplate } from '../whole-pipeline/template';
import { oneLine, type Kind, type ProbeContext, type Seen } from './kind';
import { PROBE_STACK_ENV, probeTemplate, ProbeStack } from './probe-stack';

export interface KindResult extends Seen {
  readonly kind: Kind;
  readonly seconds: number;
}

/** Kinds against the stack at once; each mostly waits (an ingestion, a stalled socket). */
const STACK_LANE_WIDTH = 6;
/** Kinds with processes of their own at once: each is a Node.js start (seconds of CPU) on 2 cores. */
const PROCESS_LANE_WIDTH = 2;
/** A kind without a verdict by then has hung: it fails, and the probe goes on. */
const KIND_TIMEOUT_MS = 150_000;

/**
 * Runs the kinds and returns their results in the kinds' order. The local stack (one per process) is
 * started only when a kind needs it: the dev template with the probe's upload limit, and the probe's
 * environment (PROBE_STACK_ENV). Kinds of the `stack` lane run beside each other and beside those of the
 * `process` lane (a few at a time); the `alone` kinds run after them, one by one. The stack's logs are
 * kept when a kind failed (their folder is named on stderr).
 */
export async function runProbe(kinds: readonly Kind[], log: (line: string) => void): Promise<KindResult[]> {
  const workRoot = mkdtempSync(path.join(tmpdir(), 'probe-'));
  let synthesized: Promise<string> | undefined;
  const lanes: Lanes = { template: () => (synthesized ??= devTemplate()), workRoot, log };
  try {
    if (kinds.every((kind) => kind.lane === 'process')) return await runLanes(kinds, undefined, lanes);
    const templatePath = probeTemplate(await lanes.template());
    const startLog: string[] = [];
    let results: KindResult[] = [];
    let started = false;
    try {
      await withWholePipeline(
        {
          templatePath,
          env: PROBE_STACK_ENV,
          log: (line) => {
            startLog.push(line);
            log(line);
          },
        },
        async (pipeline) => {
          started = true;
          const stack = new ProbeStack(pipeline, startLog);
          try {
            results = await runLanes(kinds, stack, lanes);
          } finally {
            stack.destroy();
          }
          return results.every((result) => result.ok) ? 0 : 1;
        },
      );
    } catch (error) {
      if (started) throw error;
      // A stack that cannot start (e.g. a task definition the worker refuses) fails every kind that
      // needs it, with the reason; the others still run.
      const reason = `the local stack did not start: ${String((error as Error).message).split('\n')[0]}`;
      log(reason);
      const stackless = await runLanes(
        kinds.filter((kind) => kind.lane === 'process'),
        undefined,
        lanes,
      );
      results = kinds.map(
        (kind) =>
          stackless.find((result) => result.kind === kind) ?? { kind, seen: reason, ok: false, seconds: 0 },
      );
    } finally {
      rmSync(path.dirname(templatePath), { recursive: true, force: true });
    }
    return results;
  } finally {
    rmSync(workRoot, { recursive: true, force: true });
  }
}

/** What every kind of a run shares. */
interface Lanes {
  readonly template: () => Promise<string>;
  readonly workRoot: string;
  readonly log: (line: string) => void;
}

async function runLanes(
  kinds: readonly Kind[],
  stack: ProbeStack | undefined,
  lanes: Lanes,
): Promise<KindResult[]> {
  const results = new Map<Kind, KindResult>();
  const run = async (kind: Kind) => {
    const result = await runKind(kind, stack, lanes);
    results.set(kind, result);
  };
  const inLane = (lane: Kind['lane']) => kinds.filter((kind) => kind.lane === lane);
  await Promise.all([
    inParallel(inLane('stack'), STACK_LANE_WIDTH, run),
    inParallel(inLane('process'), PROCESS_LANE_WIDTH, run),
  ]);
  for (const kind of inLane('alone')) await run(kind);
  return kinds.map((kind) => results.get(kind)!);
}

/** Runs `task` on every item, at most `width` at a time. */
async function inParallel<T>(
  items: readonly T[],
  width: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  const queue = [...items];
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await task(item);
  };
  await Promise.all(Array.from({ length: Math.min(width, queue.length) }, worker));
}

async function runKind(kind: Kind, stack: ProbeStack | undefined, lanes: Lanes): Promise<KindResult> {
  const { log } = lanes;
  const startedAt = Date.now();
  const context: ProbeContext = {
    stack: () => {
      if (!stack) throw new Error(`kind "${kind.name}" has no stack (lane ${kind.lane})`);
      return stack;
    },
    template: lanes.template,
    workDir: mkdtempSync(path.join(lanes.workRoot, 'kind-')),
    log: (line) => log(`  [${kind.name}] ${line}`),
  };
  log(`[${kind.boundary}] ${kind.name}…`);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Seen>((resolve) => {
    timer = setTimeout(
      () => resolve({ seen: `no verdict after ${KIND_TIMEOUT_MS / 1000} s`, ok: false }),
      KIND_TIMEOUT_MS,
    );
  });
  let seen: Seen;
  try {
    seen = await Promise.race([kind.run(context), timeout]);
  } catch (error) {
    seen = {
      seen: `the probe could not try it: ${error instanceof Error ? error.message : String(error)}`,
      ok: false,
    };
  } finally {
    clearTimeout(timer);
  }
  const seconds = (Date.now() - startedAt) / 1000;
  log(
    `[${kind.boundary}] ${kind.name}: ${seen.ok ? 'ok' : 'NOT OK'} (${seconds.toFixed(1)} s) — ${oneLine(seen.seen, 400)}`,
  );
  return { kind, ...seen, seconds };
}
