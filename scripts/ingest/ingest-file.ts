import { createReadStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { TransformConfig } from '../../lambdas/domain/transform-config';
import { readProductItems, UnreadableUpload, validateItems } from '../../lambdas/ingestion';
import { FileCanonicalSink, type CanonicalFileCounts } from '../../lambdas/staging/file-canonical-sink';

export interface IngestFileOptions {
  readonly file: string;
  readonly outDir: string;
  readonly config: TransformConfig;
  readonly batchSize: number;
  readonly maxBytes: number;
}

/** A named problem with the file as a whole: what the Validate Lambda would fail the ingestion with. */
export interface FatalInputError {
  readonly name: string;
  readonly message: string;
  /** NotJson in an array: the byte offset at or before which the JSON breaks; InvalidUtf8: the bad byte's. */
  readonly offset?: number;
  /** NotJson in NDJSON: the 1-based line. */
  readonly line?: number;
}

export interface IngestResult extends CanonicalFileCounts {
  /** Products read: valid + rejected. */
  readonly total: number;
  readonly canonicalFile: string;
  readonly rejectsFile: string;
  /** Set when the file as a whole cannot be ingested; the counts then cover what was read before. */
  readonly error?: FatalInputError;
}

function asFatalInputError(error: unknown): FatalInputError | undefined {
  if (!(error instanceof UnreadableUpload)) return undefined;
  const { name, message } = error;
  const { offset, line } = error as { offset?: number; line?: number };
  return {
    name,
    message,
    ...(offset === undefined ? {} : { offset }),
    ...(line === undefined ? {} : { line }),
  };
}

/**
 * Validate + Transform of a local file with the Lambdas' own code and no AWS: the file streams through
 * the same reader (gzip decompressed) and validation as the Validate Lambda, each batch through the
 * Transform Lambda's mapping, into `<outDir>/canonical.ndjson` and `<outDir>/rejects.json`. Memory holds
 * one batch, whatever the file size. A named input error is returned (not thrown) with the counts of
 * what was read before it (validation hands those products to the sink first).
 */
export async function ingestFile(options: IngestFileOptions): Promise<IngestResult> {
  await mkdir(options.outDir, { recursive: true });
  const files = {
    canonicalFile: join(options.outDir, 'canonical.ndjson'),
    rejectsFile: join(options.outDir, 'rejects.json'),
  };
  const sink = await FileCanonicalSink.create(files, options.config);
  let error: FatalInputError | undefined;
  try {
    const items = readProductItems(createReadStream(options.file), { maxBytes: options.maxBytes });
    await validateItems(items, { batchSize: options.batchSize, config: options.config }, sink);
  } catch (thrown) {
    error = asFatalInputError(thrown);
    if (error === undefined) throw thrown;
  } finally {
    await sink.close();
  }
  const { counts } = sink;
  return { total: counts.valid + counts.rejected, ...counts, ...files, ...(error ? { error } : {}) };
}
