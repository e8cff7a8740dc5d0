import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CanonicalProduct } from '../../contracts/canonical-product';
import { DEFAULT_TRANSFORM_CONFIG } from '../../lambdas/domain/transform-config';
import { transformBatch } from '../../lambdas/domain/transform-batch';
import { readProductItems, validateItems } from '../../lambdas/ingestion';
import { chunkEntries } from '../../lambdas/publishing/event-entries';
import { productIngestedEntry } from '../../lambdas/publishing/product-ingested-entry';
import { canonicalBatchFileSchema, type CanonicalBatchFile } from '../../lambdas/staging/canonical-batch';
import { stagedBatchFileSchema, type StagedBatchFile } from '../../lambdas/staging/staged-batch';
import { writeGeneratedExport } from '../generate/generated-export';
import { eventSizes, type EventSizes } from './event-sizes';

/** What the ingestion leg's own code does with a sample of generated products, per product. */
export interface IngestionSample {
  readonly products: number;
  readonly batches: number;
  readonly uploadBytesPerProduct: number;
  /** `staging/<id>/batch-NNNNN.json`, as Validate writes it. */
  readonly stagedBytesPerProduct: number;
  /** `staging/<id>/canonical/batch-NNNNN.json`, as Transform writes it. */
  readonly canonicalBytesPerProduct: number;
  readonly productIngested: EventSizes;
  /** PutEvents requests Publish packs the sample's entries into (10 entries, 256 KB each at most). */
  readonly putEventsCallsPerProduct: number;
  /** Wall time of each step's code on this machine, ms per product (one full core). */
  readonly cpuMsPerProduct: {
    readonly Validate: number;
    readonly Transform: number;
    readonly Publish: number;
  };
  /** The canonical products, for the worker's measurement. */
  readonly canonical: readonly CanonicalProduct[];
}

const SAMPLE_SEED = 42;
/** A first, untimed pass on other products, so the timed one does not pay for compiling the code. */
const WARM_UP_PRODUCTS = 200;

/**
 * Generates `products` products (both Shein shapes, none invalid) and runs them through Validate's
 * reading and validation, Transform's mapping and Publish's entries, in this process: the Lambdas' own
 * code with its S3 and EventBridge calls left out (their latency is an assumption of the cost model).
 * Each step parses and serialises what its Lambda reads and writes, as the handler does.
 */
export async function measureIngestion(
  products: number,
  names: { readonly busName: string; readonly bucket: string },
): Promise<IngestionSample> {
  const dir = await mkdtemp(join(tmpdir(), 'cost-sample-'));
  try {
    await runSample(join(dir, 'warm-up.json'), WARM_UP_PRODUCTS, SAMPLE_SEED + 1, names);
    return await runSample(join(dir, 'sample.json'), products, SAMPLE_SEED, names);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function runSample(
  file: string,
  count: number,
  seed: number,
  names: { readonly busName: string; readonly bucket: string },
): Promise<IngestionSample> {
  const { bytes } = await writeGeneratedExport(file, { count, invalidRatio: 0, seed });
  const ingestionId = randomUUID();
  const source = { bucket: names.bucket, key: 'incoming/sample.json' };
  const config = DEFAULT_TRANSFORM_CONFIG;

  const staged: string[] = [];
  let started = performance.now();
  const summary = await validateItems(
    readProductItems(createReadStream(file), { maxBytes: Number.MAX_SAFE_INTEGER }),
    { batchSize: 250, config },
    {
      writeBatch: async (_number, batch) => {
        const body: StagedBatchFile = { ingestionId, source, products: [...batch] };
        staged.push(JSON.stringify(body));
      },
      writeRejects: async () => undefined,
    },
  );
  const validateMs = performance.now() - started;

  started = performance.now();
  const canonicalFiles = staged.map((text) => {
    const batch = stagedBatchFileSchema.parse(JSON.parse(text));
    const body: CanonicalBatchFile = {
      ingestionId,
      source,
      products: transformBatch(batch.products, config).products,
    };
    return JSON.stringify(body);
  });
  const transformMs = performance.now() - started;

  started = performance.now();
  const ingestedAt = new Date().toISOString();
  let calls = 0;
  const entries = canonicalFiles.flatMap((text) => {
    const batch = canonicalBatchFileSchema.parse(JSON.parse(text));
    const toEntry = ({ index, product }: CanonicalBatchFile['products'][number]) =>
      productIngestedEntry(names.busName, { ingestionId, ...sourceOf(batch), index, ingestedAt }, product);
    calls += chunkEntries(batch.products, toEntry).chunks.length;
    return batch.products.map(toEntry);
  });
  const publishMs = performance.now() - started;

  const valid = summary.valid;
  const total = (texts: readonly string[]) => texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0);
  return {
    products: valid,
    batches: staged.length,
    uploadBytesPerProduct: bytes / count,
    stagedBytesPerProduct: total(staged) / valid,
    canonicalBytesPerProduct: total(canonicalFiles) / valid,
    productIngested: eventSizes(entries),
    putEventsCallsPerProduct: calls / valid,
    cpuMsPerProduct: {
      Validate: validateMs / valid,
      Transform: transformMs / valid,
      Publish: publishMs / valid,
    },
    canonical: canonicalFiles.flatMap((text) =>
      (JSON.parse(text) as CanonicalBatchFile).products.map(({ product }) => product),
    ),
  };
}

function sourceOf(batch: CanonicalBatchFile) {
  return { sourceBucket: batch.source.bucket, sourceKey: batch.source.key };
}
