import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { throughputOf, type Throughput } from '../../local/whole-pipeline/summary';
import { withWholePipeline } from '../whole-pipeline/run-stack';

export interface ReplicaRun extends Throughput {
  /** Processes per ECS service. */
  readonly replicas: number;
  readonly products: number;
}

export interface ReplicaRunOptions {
  readonly templatePath: string;
  /** The export to upload. */
  readonly file: string;
  readonly replicas: number;
  /** The longest wait for the ingestion, and then for the products. */
  readonly timeoutMs: number;
}

/**
 * One run: a fresh local stack (its own Redis and simulators, no faults) with `replicas` processes per
 * service takes the export; its throughput is from the upload to the last product in Medusa. Undefined
 * (the stack's logs kept) unless every valid product reached Medusa exactly once.
 */
export async function measureReplicaRun(options: ReplicaRunOptions): Promise<ReplicaRun | undefined> {
  let run: ReplicaRun | undefined;
  const start = { templatePath: options.templatePath, env: {}, replicas: options.replicas };
  await withWholePipeline(start, async (stack) => {
    const upload = await stack.upload(options.file);
    const outcome = await stack.ingestion(upload, options.timeoutMs);
    if (outcome.status !== 'SUCCEEDED')
      throw new Error(`the ingestion ended ${outcome.status}: ${outcome.error}`);
    const { products } = outcome;
    // Each look reads every product: fewer looks for larger runs leave the CPU to the pipeline.
    const state = await stack.settle(products, {
      timeoutMs: options.timeoutMs,
      pollIntervalMs: Math.max(1000, products.length / 2),
    });
    const throughput = throughputOf(products.length, upload.uploadedAt, state);
    if (state.inMedusa !== products.length || state.duplicated.length > 0 || throughput === null) {
      console.error(
        `${options.replicas} replica(s): ${state.inMedusa} of ${products.length} in Medusa, ` +
          `${state.duplicated.length} duplicated, ${state.missing.length} missing`,
      );
      return 1;
    }
    run = { replicas: options.replicas, products: products.length, ...throughput };
    return 0;
  });
  return run;
}

const ROOT = join(__dirname, '..', '..');

/**
 * measureReplicaRun in a fresh Node process (scripts/bench/replica-run.ts): one local runtime runs per
 * process, and each run starts as cold as the other. Its progress goes to this process's stderr.
 */
export async function measureReplicaRunInChild(options: ReplicaRunOptions): Promise<ReplicaRun | undefined> {
  const script = join(ROOT, 'scripts', 'bench', 'replica-run.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(options)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) return undefined;
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as ReplicaRun;
}
