import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureReplicaRunInChild, type ReplicaRun } from './bench/replica-throughput';
import { parseCommandLine, runCommand, UsageError, wholeNumber } from './cli/command-line';
import { writeGeneratedExport } from './generate/generated-export';
import { devTemplate } from './whole-pipeline/template';

const USAGE = `Usage: npm run bench:replicas [-- --products N] [--replicas A,B] [--seed S] [--timeout <seconds>]

The whole local pipeline's throughput with A and then B processes per ECS service (ingest, relay), on
this machine: the same generated export (valid products only, no faults) goes through a fresh local
stack per run, with its own Redis and simulators; throughput is products per second from the upload to
the last product in Medusa. Prints a line per run on stderr and, as the last line, JSON with both
throughputs and their ratio (B's ÷ A's). Exit code 1 if a run does not carry every product.

  --products N         products in the export, 1 to 10000 (default 2000)
  --replicas A,B       processes per service in the two runs, 1 to 10 each (default 1,3)
  --seed S             seed of the export (default 7)
  --timeout <seconds>  the longest wait for one run's ingestion, then for its products (default 600)
  --help               this text`;

function replicaCounts(text: string | undefined): [number, number] {
  const counts = (text ?? '1,3').split(',').map((count) => wholeNumber(count, 'replicas', 1));
  if (counts.length !== 2 || counts.some((count) => count > 10)) {
    throw new UsageError(`--replicas must be two counts from 1 to 10, such as 1,3, not "${text}"`);
  }
  return [counts[0], counts[1]];
}

async function main(): Promise<number> {
  const { values } = parseCommandLine(
    process.argv.slice(2),
    {
      products: { type: 'string' },
      replicas: { type: 'string' },
      seed: { type: 'string' },
      timeout: { type: 'string' },
    },
    { min: 0, max: 0 },
  );
  const products = wholeNumber(values.products, 'products', 2000);
  if (products > 10_000) throw new UsageError('--products must be at most 10000');
  const replicas = replicaCounts(values.replicas);
  const timeoutMs = wholeNumber(values.timeout, 'timeout', 600) * 1000;
  const templatePath = await devTemplate();
  const folder = mkdtempSync(join(tmpdir(), 'bench-replicas-'));
  try {
    const file = join(folder, 'bench-products.json');
    await writeGeneratedExport(file, {
      count: products,
      invalidRatio: 0,
      seed: wholeNumber(values.seed, 'seed', 7, 0),
    });
    const runs: ReplicaRun[] = [];
    for (const count of replicas) {
      const run = await measureReplicaRunInChild({ templatePath, file, replicas: count, timeoutMs });
      if (run === undefined) return 1;
      console.error(
        `${count} replica(s) per service: ${run.products} products in ${run.seconds} s, ` +
          `${run.productsPerSecond} products/s`,
      );
      runs.push(run);
    }
    const ratio = Number((runs[1].productsPerSecond / runs[0].productsPerSecond).toFixed(2));
    console.log(JSON.stringify({ products, runs, ratio }));
    return 0;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

runCommand(USAGE, main);
