import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { startLocalAws, type LocalAws } from '../../local/local-aws';
import { generateProducts } from '../generate/generate-products';

/**
 * A generated product is ~22 KB of JSON, so a million make a 22 GB export: the run uploads it gzipped
 * (`.json.gz`, which Validate reads) and lets Validate read that much, as `-c maxObjectMegabytes=51200`
 * would on AWS; the template's 2 GB default is for real exports, not for this benchmark.
 */
const MAX_OBJECT_BYTES = String(51_200 * 1024 * 1024);

/** Text goes to gzip in pieces of about this size: few calls, little memory. */
const PIECE_CHARACTERS = 1 << 20;

/** What one run reports on its last stdout line (read by scripts/bench-workflow.ts). */
export interface WorkflowRunResult {
  readonly products: number;
  /** The gzipped upload. */
  readonly fileMb: number;
  /** From the upload to the end of the execution and the last ProductIngested taken off the queue. */
  readonly seconds: number;
  readonly executionStatus: string;
  /** Why the execution failed, if it did. */
  readonly error?: string;
  readonly batches: number;
  readonly published: number;
  /** ProductIngested messages drained from the ingest queue. */
  readonly received: number;
  /** This process's resident-memory high-water mark: the runtime and the Lambdas (the drain runs apart). */
  readonly peakRssMb: number;
}

/**
 * One workflow benchmark run, in its own process so its peak RSS is its own: generates N valid
 * products (a gzipped JSON array, mixed Shein shapes, seed 7), starts the local runtime on the synthesized
 * template, uploads the file under incoming/, drains the ingest queue from another process while the
 * workflow runs, and
 * prints a WorkflowRunResult as its last line.
 * Usage: tsx scripts/bench-workflow/workflow-run.ts <products> <template>
 */
async function main(): Promise<void> {
  const [countText, templatePath] = process.argv.slice(2);
  const products = Number(countText);
  const folder = await mkdtemp(join(tmpdir(), 'bench-workflow-'));
  let runtime: LocalAws | undefined;
  try {
    const file = join(folder, 'shein_products.json.gz');
    await writeGzippedExport(products, file);
    runtime = await startLocalAws({
      templatePath,
      s3Directory: join(folder, 's3'),
      lambdaEnvironment: {
        POWERTOOLS_LOG_LEVEL: 'SILENT',
        POWERTOOLS_METRICS_DISABLED: 'true',
        MAX_OBJECT_BYTES,
      },
      log: () => undefined,
    });
    const result = await run(runtime, file, products);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await runtime?.stop();
    await rm(folder, { recursive: true, force: true });
  }
}

async function writeGzippedExport(products: number, file: string): Promise<void> {
  async function* arrayText(): AsyncGenerator<string> {
    let piece = '[';
    let first = true;
    for (const product of generateProducts({ count: products, shape: 'mixed', invalidRatio: 0, seed: 7 })) {
      piece += `${first ? '\n' : ',\n'}${JSON.stringify(product)}`;
      first = false;
      if (piece.length >= PIECE_CHARACTERS) {
        yield piece;
        piece = '';
      }
    }
    yield `${piece}\n]\n`;
  }
  await pipeline(Readable.from(arrayText()), createGzip({ level: 1 }), createWriteStream(file));
}

async function run(runtime: LocalAws, file: string, products: number): Promise<WorkflowRunResult> {
  const { env } = runtime;
  const clientConfig = {
    region: env.AWS_REGION,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
  };
  const s3 = new S3Client({ ...clientConfig, endpoint: runtime.s3Endpoint, forcePathStyle: true });
  const stateMachineArn = env.STATE_MACHINE_ARN;
  const started = performance.now();
  const drain = startDrain(env);
  await new Upload({
    client: s3,
    params: {
      Bucket: env.INGEST_BUCKET,
      Key: 'incoming/shein_products.json.gz',
      Body: createReadStream(file),
    },
  }).done();
  const execution = await endedExecution(runtime, stateMachineArn);
  const summary = JSON.parse(execution.output ?? '{}') as {
    validation?: { batches?: number };
    summary?: { counts?: { published?: number } };
  };
  const published = summary.summary?.counts?.published ?? 0;
  while (drain.received() < published) await new Promise((resolve) => setTimeout(resolve, 100));
  const seconds = (performance.now() - started) / 1000;
  const received = drain.received();
  drain.stop();
  s3.destroy();
  return {
    products,
    fileMb: Math.round((await stat(file)).size / 1e5) / 10,
    seconds: Math.round(seconds * 10) / 10,
    executionStatus: execution.status,
    ...(execution.error === undefined ? {} : { error: `${execution.error}: ${execution.cause}` }),
    batches: summary.validation?.batches ?? 0,
    published,
    received,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

/** The ingest queue drained by scripts/bench-workflow/drain-queue.ts in a process of its own. */
function startDrain(env: Readonly<Record<string, string>>): { received(): number; stop(): void } {
  const script = join(__dirname, 'drain-queue.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script, env.PRODUCT_INGEST_QUEUE_URL], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let received = 0;
  createInterface({ input: child.stdout }).on('line', (line) => {
    received = Math.max(received, Number(line));
  });
  process.once('exit', () => child.kill());
  return { received: () => received, stop: () => child.kill() };
}

async function endedExecution(runtime: LocalAws, stateMachineArn: string) {
  for (;;) {
    const [execution] = runtime.stepFunctions.listExecutions(stateMachineArn);
    if (execution && execution.status !== 'RUNNING') return execution;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
