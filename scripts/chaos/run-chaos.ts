import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { CanonicalProduct } from '../../contracts/canonical-product';
import { WholePipeline } from '../../local/whole-pipeline/whole-pipeline';
import type { DeadLetter } from '../../local/whole-pipeline/dead-letters';
import type { Reconciliation } from '../../local/whole-pipeline/reconcile';
import { throughputOf, type Throughput } from '../../local/whole-pipeline/summary';
import { waitFor } from '../../local/whole-pipeline/wait';
import type { WorkerChild } from '../../local/whole-pipeline/worker';
import { writeGeneratedExport } from '../generate/generated-export';
import { Random } from '../generate/random';
import { stopOnSignals } from '../whole-pipeline/stop-on-signals';
import { startDownstreamFaults, type InjectedFaults } from './downstream-faults';
import { runFaultSteps, type FaultStep } from './fault-steps';

export interface ChaosOptions {
  readonly templatePath: string;
  readonly products: number;
  readonly invalidRatio: number;
  readonly seed: number;
  /** SIGKILLs of worker processes (each followed by a restart), spread over the replicas. */
  readonly kills: number;
  /** Processes per ECS service; default each one's desired count. */
  readonly workers?: number;
  /** How long the products may take to settle after the last fault. */
  readonly timeoutMs: number;
  /**
   * The longest one fault step may take, its wait for the run's progress and then its injection
   * (default `timeoutMs`): a step that fails or stalls fails the run, naming the step.
   */
  readonly stepTimeoutMs?: number;
  readonly log: (line: string) => void;
}

export interface ChaosReport {
  readonly products: number;
  readonly valid: number;
  readonly rejected: number;
  readonly uploads: number;
  /** Processes per service: service name → replicas. */
  readonly replicas: Readonly<Record<string, number>>;
  /** From the first upload to the last product in Medusa (faults, redeliveries and the second upload included). */
  readonly throughput: Throughput | null;
  readonly faults: InjectedFaults & {
    readonly workerKills: number;
    readonly redisRestarts: number;
    readonly webhookRetries: number;
    readonly webhookRedeliveries: number;
  };
  readonly state: Reconciliation;
  /**
   * Every message in the DLQs at the end, products that reached Medusa by another delivery included
   * (`state.deadLettered` names only the products a DLQ holds instead of Medusa).
   */
  readonly deadLetters: readonly DeadLetter[];
  /** Products neither in Pimcore and Medusa exactly once nor in a DLQ. */
  readonly lost: readonly string[];
  readonly duplicated: readonly string[];
  readonly webhooksGivenUp: number;
  readonly ok: boolean;
  readonly runDir: string;
}

/**
 * The fault run: the whole local pipeline with its own Redis, a generated export uploaded twice (every
 * product delivered twice), 5xx answers and hung requests from Pimcore and Medusa throughout, duplicate
 * webhook deliveries, worker processes SIGKILLed and restarted at points spread over the run (each kill
 * the next replica, in turn over the services) and Redis restarted empty once; then a reconciliation of
 * every valid product.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const { log } = options;
  const random = new Random(options.seed);
  const faults: InjectedFaults = { pimcoreErrors: 0, pimcoreHangs: 0, medusaErrors: 0, medusaHangs: 0 };
  let webhookRetries = 0;
  // Each look at the parts reads every product: fewer looks for larger runs leave the CPU to the pipeline.
  const pollMs = Math.max(1000, Math.round(options.products / 2));
  const stack = await WholePipeline.start({
    templatePath: options.templatePath,
    // Its own Redis whatever REDIS_URL says: the run restarts it.
    env: {},
    log,
    replicas: options.workers,
    webhooks: {
      redeliverRatio: 0.2,
      retry: { baseMs: 100, capMs: 2000, maxAttempts: 200 },
      timeoutMs: 3000,
      onEvent: (event) => {
        if (event.kind === 'retry') webhookRetries += 1;
      },
    },
  });
  let ok = false;
  const removeSignalHandlers = stopOnSignals(() => stack.stop(), log);
  const file = join(stack.runDir, 'chaos-products.json');
  try {
    const { count } = await writeGeneratedExport(file, {
      count: options.products,
      invalidRatio: options.invalidRatio,
      seed: options.seed,
    });
    log(`generated ${count} products (invalid ratio ${options.invalidRatio}) in ${file}`);
    const replicas = replicasInTurn(stack);
    let workerKills = 0;
    let redisRestarts = 0;
    let expected: readonly CanonicalProduct[] = [];
    let uploads = 0;
    let rejected = 0;
    const upload = await stack.upload(file, 'incoming/chaos-1.json');
    const stopFaults = startDownstreamFaults(stack, () => random.next(), faults);
    try {
      const first = await stack.ingestion(upload, options.timeoutMs);
      uploads += 1;
      if (first.status !== 'SUCCEEDED')
        throw new Error(`the ingestion failed: ${first.error} ${first.cause ?? ''}`);
      expected = first.products;
      rejected = first.rejects.length;
      log(`ingestion ${first.ingestionId}: ${expected.length} valid, ${rejected} rejected`);

      // Faults at points spread over the run, by how many products Medusa holds so far. A step that
      // throws or stalls (its progress or its injection) fails the run, naming the step.
      const stepTimeoutMs = options.stepTimeoutMs ?? options.timeoutMs;
      const points = options.kills + 1;
      const steps: FaultStep[] = [];
      for (let point = 1; point <= points; point++) {
        const target = Math.ceil((expected.length * point) / (points + 1));
        const atPoint: Omit<FaultStep, 'due'>[] = [];
        if (point === 1) {
          atPoint.push({
            name: 'restarting Redis (empty: the ledgers and webhook delivery ids are lost)',
            inject: async () => {
              await stack.redis.restart();
              redisRestarts += 1;
            },
          });
        }
        if (point === 2) {
          atPoint.push({
            name: 'uploading the same file again (every product delivered twice)',
            inject: async () => {
              const again = await stack.ingestion(
                await stack.upload(file, 'incoming/chaos-2.json'),
                stepTimeoutMs,
              );
              uploads += 1;
              log(`ingestion ${again.ingestionId}: ${again.status}, ${again.products.length} valid`);
              if (again.status !== 'SUCCEEDED')
                throw new Error(`the second ingestion failed: ${again.error} ${again.cause ?? ''}`);
            },
          });
        }
        if (point <= options.kills) {
          const { name, worker } = replicas[(point - 1) % replicas.length];
          atPoint.push({
            name: `SIGKILL worker ${name} (${point}/${options.kills}), then restart it`,
            inject: async () => {
              await worker.kill();
              workerKills += 1;
              await worker.restart();
            },
          });
        }
        const due = () =>
          waitFor(
            `Medusa holds ${target} products`,
            async () => {
              const state = await stack.state(expected);
              log(`[before fault ${point}/${points} at ${target} in Medusa] ${progressLine(state, stack)}`);
              return state.inMedusa >= target;
            },
            stepTimeoutMs,
            pollMs,
          );
        // The first fault at a point waits for the progress; the others follow it at once.
        atPoint.forEach((step, index) => steps.push({ ...step, due: index === 0 ? due : async () => {} }));
      }
      await runFaultSteps(steps, { stepTimeoutMs, log });
    } finally {
      stopFaults();
    }
    log('faults stopped; waiting for every product to settle');
    const started = Date.now();
    const state = await stack.settle(expected, {
      timeoutMs: options.timeoutMs,
      pollIntervalMs: pollMs,
      onProgress: (progress) =>
        log(`[settle ${((Date.now() - started) / 1000).toFixed(0)} s] ${progressLine(progress, stack)}`),
    });
    const { duplicated } = state;
    const deadLetters = await stack.deadLetters.all();
    const webhooksGivenUp = stack.webhooks?.failed.length ?? 0;
    ok =
      state.missing.length === 0 && duplicated.length === 0 && webhooksGivenUp === 0 && expected.length > 0;
    return {
      products: count,
      valid: expected.length,
      rejected,
      uploads,
      replicas: Object.fromEntries(stack.services.map((service) => [service.name, service.replicas.length])),
      throughput: throughputOf(expected.length, upload.uploadedAt, state),
      faults: {
        ...faults,
        workerKills,
        redisRestarts,
        webhookRetries,
        webhookRedeliveries: stack.webhooks?.redelivered ?? 0,
      },
      state,
      deadLetters,
      lost: state.missing,
      duplicated,
      webhooksGivenUp,
      ok,
      runDir: stack.runDir,
    };
  } finally {
    removeSignalHandlers();
    // Up to 200 MB, and the same options write it again.
    rmSync(file, { force: true });
    if (!ok)
      log(`logs kept in ${stack.runDir} (the same --products, --invalid-ratio, --seed give the same export)`);
    await stack.stop({ keepLogs: !ok });
  }
}

/** Every worker process, the services taking turns: ingest-1, relay-1, ingest-2, relay-2, … */
function replicasInTurn(stack: WholePipeline): { readonly name: string; readonly worker: WorkerChild }[] {
  const most = Math.max(...stack.services.map((service) => service.replicas.length));
  return Array.from({ length: most }, (_, index) =>
    stack.services.flatMap((service) => {
      const worker = service.replicas[index];
      return worker ? [{ name: `${service.name}-${index + 1}`, worker }] : [];
    }),
  ).flat();
}

function progressLine(state: Reconciliation, stack: WholePipeline): string {
  return (
    `Pimcore ${state.inPimcore}/${state.expected} · Medusa ${state.inMedusa}/${state.expected} · ` +
    `DLQ ${state.deadLettered.length} · waiting for ${state.missing.length} · ` +
    `webhooks pending ${stack.webhooks?.pending ?? 0}`
  );
}
