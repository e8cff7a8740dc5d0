import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { oneOf, parseCommandLine, runCommand, UsageError } from './cli/command-line';
import { summarize, tableHeader, tableRow, verdict, type SizeResult } from './bench/bench-report';
import { measureInChild } from './bench/measure-in-child';
import type { Job, Measurement } from './bench/measurement';
import { generateProducts } from './generate/generate-products';
import { FILE_FORMATS, writeJsonItems, type FileFormat } from './generate/write-json-items';

/**
 * Enough products for the code of both jobs to be compiled and optimised before the timed run (300
 * left the ingest job of the 1k size still warming up): the figure is a warm process's, as in a Lambda
 * container handling its second upload.
 */
const WARM_UP_PRODUCTS = 1000;

const USAGE = `Usage: npm run bench:ingest [-- --sizes 1000,10000,100000] [--format array|ndjson] [--runs N]

For each size, generates a file of that many products (mixed Shein shapes, seed 42) in a temporary
folder and measures, each in a fresh process: (a) the baseline, a raw streaming parse of the file with
stream-json (StreamArray; jsonl for NDJSON); (b) Validate + Transform writing canonical NDJSON. Both
read the same file the same way (fs.createReadStream) and first run once, untimed, on a small warm-up
file of ${WARM_UP_PRODUCTS} products, so neither is timed compiling its code. Each side runs --runs times,
alternating, and keeps its fastest run: the machine's other work only ever slows a run down.
Prints products/s, MB/s, parseRatio = pipeline throughput ÷ baseline throughput, and peak RSS (the
largest of the runs); the last line is JSON. Goal: parseRatio ≥ 0.5 and peak RSS flat across sizes
(reported, never fatal).

  --sizes N,N,...   product counts (default 1000,10000,100000)
  --format F        array | ndjson (default array, the shape of a Shein export)
  --runs N          runs of each side per size (default 3)
  --help            this text`;

function sizesFrom(text: string | undefined): number[] {
  if (text === undefined) return [1000, 10_000, 100_000];
  const sizes = text.split(',').map((part) => Number(part.trim()));
  if (sizes.some((size) => !Number.isSafeInteger(size) || size < 1)) {
    throw new UsageError(`--sizes must be whole numbers above 0, separated by commas, not "${text}"`);
  }
  return sizes;
}

function runsFrom(text: string | undefined): number {
  const runs = Number(text ?? 3);
  if (!Number.isSafeInteger(runs) || runs < 1) {
    throw new UsageError(`--runs must be a whole number above 0, not "${text}"`);
  }
  return runs;
}

/** The fastest of the runs (time), with the largest peak RSS of them. */
function best(measurements: readonly Measurement[]): Measurement {
  const [first, ...others] = measurements;
  if (first === undefined) throw new Error('no measurement');
  const fastest = others.reduce((a, b) => (b.seconds < a.seconds ? b : a), first);
  return { ...fastest, peakRssMb: Math.max(...measurements.map((m) => m.peakRssMb)) };
}

/** Alternates the two jobs run by run, so a busy spell of the machine does not hit only one side. */
async function measureBoth(file: string, format: FileFormat, warmUpFile: string, runs: number) {
  const measured: Record<Job, Measurement[]> = { parse: [], ingest: [] };
  for (let run = 0; run < runs; run++) {
    for (const job of ['parse', 'ingest'] as const) {
      measured[job].push(await measureInChild(job, file, format, warmUpFile));
    }
  }
  return { parse: best(measured.parse), ingest: best(measured.ingest) };
}

async function main(): Promise<number> {
  const { values } = parseCommandLine(
    process.argv.slice(2),
    {
      sizes: { type: 'string' },
      format: { type: 'string' },
      runs: { type: 'string' },
    },
    { min: 0, max: 0 },
  );
  const sizes = sizesFrom(values.sizes);
  const format = oneOf(values.format, 'format', FILE_FORMATS, 'array');
  const runs = runsFrom(values.runs);
  const folder = await mkdtemp(join(tmpdir(), 'bench-ingest-'));
  const extension = format === 'array' ? 'json' : 'ndjson';
  const results: SizeResult[] = [];
  try {
    const warmUpFile = join(folder, `warm-up.${extension}`);
    await writeJsonItems(
      generateProducts({ count: WARM_UP_PRODUCTS, shape: 'mixed', invalidRatio: 0, seed: 7 }),
      warmUpFile,
      format,
    );
    console.log(
      `format ${format}; each figure the fastest of ${runs} fresh process${runs === 1 ? '' : 'es'} ` +
        `per side, after an untimed warm-up on ${WARM_UP_PRODUCTS} other products`,
    );
    console.log(tableHeader());
    for (const count of sizes) {
      const file = join(folder, `products-${count}.${extension}`);
      console.error(`generating ${count} products…`);
      const { bytes } = await writeJsonItems(
        generateProducts({ count, shape: 'mixed', invalidRatio: 0, seed: 42 }),
        file,
        format,
      );
      console.error(`measuring ${count} products (${(bytes / 1e6).toFixed(0)} MB)…`);
      const { parse, ingest } = await measureBoth(file, format, warmUpFile, runs);
      await rm(file);
      results.push({ bytes, parse, ingest });
      console.log(tableRow({ bytes, parse, ingest }));
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
  const summaries = results.map(summarize);
  for (const line of verdict(summaries)) console.log(line);
  console.log(JSON.stringify(summaries));
  return 0;
}

runCommand(USAGE, main);
