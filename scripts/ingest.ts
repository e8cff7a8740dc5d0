import { mkdir, readFile, stat } from 'node:fs/promises';
import { join, parse } from 'node:path';
import {
  parseTransformConfig,
  TransformConfigError,
  type TransformConfig,
} from '../lambdas/domain/transform-config';
import { parseCommandLine, runCommand, UsageError, wholeNumber } from './cli/command-line';
import { userPath } from './cli/user-path';
import { ingestFile } from './ingest/ingest-file';
import { humanSummary, summaryJson } from './ingest/ingest-report';

const USAGE = `Usage: npm run ingest -- <file> [--out <dir>] [--config <transform-config.json>] [--batch-size N] [--max-mb N]

Checks a Shein export before it is uploaded: runs the ingestion's Validate and Transform steps (the
Lambdas' own code, no AWS) on a local JSON array or NDJSON file, gzip or not, streaming, and writes
  <dir>/canonical.ndjson   one canonical product per line, in file order
  <dir>/rejects.json       every rejected product: index, id, reason, message

  --out <dir>            output folder (default ./ingest-out/<file name without extension>)
  --config <file>        transform configuration JSON, as the TRANSFORM_CONFIG of the deployment
  --batch-size N         products per staged batch (default 250, as the stack's stagingBatchSize)
  --max-mb N             largest file accepted, and decompressed, in MiB (default 2048, as the stack's
                         maxObjectMegabytes)
  --help                 this text

The last line of stdout is a JSON summary. Exit code 0: the file was read (rejects or not);
1: the file cannot be ingested (NotJson, EmptyFile, NotArrayOrNdjson, InvalidUtf8, ObjectTooLarge,
DecompressedTooLarge, CorruptGzip, NoValidProduct); 2: wrong command line.`;

/** The stack's defaults (lib/config/pipeline-config.ts), so the check matches a default deployment. */
const DEFAULT_BATCH_SIZE = 250;
const DEFAULT_MAX_MEGABYTES = 2048;
const EXIT_FATAL_INPUT = 1;

async function inputFile(path: string): Promise<string> {
  const file = userPath(path);
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) throw new UsageError(`${path}: no such file`);
  return file;
}

async function transformConfig(path: string | undefined): Promise<TransformConfig> {
  if (path === undefined) return parseTransformConfig(undefined);
  const text = await readFile(userPath(path), 'utf8').catch((error: Error) => {
    throw new UsageError(`--config ${path}: ${error.message}`);
  });
  try {
    return parseTransformConfig(text);
  } catch (error) {
    if (error instanceof TransformConfigError) throw new UsageError(`--config ${path}: ${error.message}`);
    throw error;
  }
}

async function outputFolder(path: string): Promise<string> {
  const folder = userPath(path);
  await mkdir(folder, { recursive: true }).catch((error: Error) => {
    throw new UsageError(`--out ${path}: ${error.message}`);
  });
  return folder;
}

async function main(): Promise<number> {
  const { values, positionals } = parseCommandLine(
    process.argv.slice(2),
    {
      out: { type: 'string' },
      config: { type: 'string' },
      'batch-size': { type: 'string' },
      'max-mb': { type: 'string' },
    },
    { min: 0, max: 1 },
  );
  const [path] = positionals;
  if (path === undefined) throw new UsageError('which file? name the export to check');
  const file = await inputFile(path);
  const config = await transformConfig(values.config);
  const batchSize = wholeNumber(values['batch-size'], 'batch-size', DEFAULT_BATCH_SIZE);
  const maxBytes = wholeNumber(values['max-mb'], 'max-mb', DEFAULT_MAX_MEGABYTES) * 1024 * 1024;
  // Created last, so a wrong command line leaves nothing behind.
  const outDir = await outputFolder(values.out ?? join('ingest-out', parse(file).name));
  const result = await ingestFile({ file, outDir, config, batchSize, maxBytes });
  console.error(humanSummary(path, result));
  console.log(summaryJson(file, result));
  return result.error ? EXIT_FATAL_INPUT : 0;
}

runCommand(USAGE, main);
