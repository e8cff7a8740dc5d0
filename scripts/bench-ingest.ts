import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { oneOf, parseCommandLine, runCommand, UsageError } from './cli/command-line';
import { summarize, tableHeader, tableRow, verdict, type SizeResult } from './bench/bench-report';
import { measureInChild } from './bench/measure-in-child';
import { generateProducts } from './generate/generate-products';
import { FILE_FORMATS, writeJsonItems } from './generate/write-json-items';

const USAGE = `Usage: npm run bench:ingest [-- --sizes 1000,10000,100000] [--format array|ndjson]

For each size, generates a file of that many products (mixed Shein shapes, seed 42) in a temporary
folder and measures, each in a fresh process: (a) the baseline, a raw streaming parse of the file with
stream-json (StreamArray; jsonl for NDJSON); (b) Validate + Transform writing canonical NDJSON.
Prints products/s, MB/s, parseRatio = pipeline throughput ÷ baseline throughput, and peak RSS; the
last line is JSON. Goal: parseRatio ≥ 0.5 and peak RSS flat across sizes (reported, never fatal).

  --sizes N,N,...   product counts (default 1000,10000,100000)
  --format F        array | ndjson (default array, the shape of a Shein export)
  --help            this text`;

function sizesFrom(text: string | undefined): number[] {
  if (text === undefined) return [1000, 10_000, 100_000];
  const sizes = text.split(',').map((part) => Number(part.trim()));
  if (sizes.some((size) => !Number.isSafeInteger(size) || size < 1)) {
    throw new UsageError(`--sizes must be whole numbers above 0, separated by commas, not "${text}"`);
  }
  return sizes;
}

async function main(): Promise<number> {
  const { values } = parseCommandLine(
    process.argv.slice(2),
    { sizes: { type: 'string' }, format: { type: 'string' }, help: { type: 'boolean' } },
    { min: 0, max: 0 },
  );
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const sizes = sizesFrom(values.sizes);
  const format = oneOf(values.format, 'format', FILE_FORMATS, 'array');
  const folder = await mkdtemp(join(tmpdir(), 'bench-ingest-'));
  const results: SizeResult[] = [];
  try {
    console.log(`format ${format}; each figure from one fresh process`);
    console.log(tableHeader());
    for (const count of sizes) {
      const file = join(folder, `products-${count}.${format === 'array' ? 'json' : 'ndjson'}`);
      console.error(`generating ${count} products…`);
      const { bytes } = await writeJsonItems(
        generateProducts({ count, shape: 'mixed', invalidRatio: 0, seed: 42 }),
        file,
        format,
      );
      console.error(`measuring ${count} products (${(bytes / 1e6).toFixed(0)} MB)…`);
      const parse = await measureInChild('parse', file, format);
      const ingest = await measureInChild('ingest', file, format);
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
