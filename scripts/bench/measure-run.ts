import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_TRANSFORM_CONFIG } from '../../lambdas/domain/transform-config';
import { oneOf } from '../cli/command-line';
import { FILE_FORMATS } from '../generate/write-json-items';
import { ingestFile } from '../ingest/ingest-file';
import { JOBS, type Measurement } from './measurement';
import { parseWithStreamJson } from './stream-json-baseline';

/**
 * One measured job, run by bench-ingest.ts in a fresh process so the peak RSS it reports belongs to
 * that job alone. Prints a Measurement as JSON on its last line.
 *   parse  <file> <format> [warm-up file]   the stream-json baseline
 *   ingest <file> <format> [warm-up file]   Validate + Transform, canonical NDJSON to a temporary folder
 * With a warm-up file, the job first runs on it untimed, so the figure is the job's steady throughput
 * rather than the JIT compiling its code (which weighs on the smallest sizes, and more on the job with
 * more code). Both jobs get the same warm-up.
 */

async function ingest(file: string): Promise<number> {
  const outDir = await mkdtemp(join(tmpdir(), 'bench-ingest-out-'));
  try {
    const result = await ingestFile({
      file,
      outDir,
      config: DEFAULT_TRANSFORM_CONFIG,
      batchSize: 250,
      maxBytes: Number.MAX_SAFE_INTEGER,
    });
    if (result.error) throw new Error(`${result.error.name}: ${result.error.message}`);
    return result.total;
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const [jobArg, file, formatArg, warmUpFile] = process.argv.slice(2);
  const job = oneOf(jobArg, 'job', JOBS, 'parse');
  const format = oneOf(formatArg, 'format', FILE_FORMATS, 'array');
  if (file === undefined) {
    throw new Error('usage: measure-run.ts parse|ingest <file> array|ndjson [warm-up file]');
  }
  const run = (path: string) => (job === 'parse' ? parseWithStreamJson(path, format) : ingest(path));
  if (warmUpFile !== undefined) await run(warmUpFile);
  const started = performance.now();
  const products = await run(file);
  const measurement: Measurement = {
    products,
    seconds: (performance.now() - started) / 1000,
    // maxRSS is in KiB: the high-water mark of this process's resident memory.
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
  console.log(JSON.stringify(measurement));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
