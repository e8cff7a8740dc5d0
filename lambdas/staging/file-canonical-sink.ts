import { open, type FileHandle } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { RejectReason, Reject } from '../domain/reject';
import type { StagedProduct } from '../domain/staged-product';
import { transformBatch } from '../domain/transform-batch';
import type { TransformConfig } from '../domain/transform-config';
import type { StagingSink } from '../ingestion/validate-items';
import { productJson } from '../publishing/product-ingested-entry';
import { JsonArrayWriter } from './json-array-writer';

/** What a FileCanonicalSink has written so far. */
export interface CanonicalFileCounts {
  /** Products written as canonical products. */
  valid: number;
  /** Rejects written, from validation and from the transform. */
  rejected: number;
  /** Variants of the canonical products. */
  variants: number;
  rejectReasons: Partial<Record<RejectReason, number>>;
}

/**
 * Validate and Transform on one machine, without S3: each staged batch is transformed as it arrives
 * (with the same code as the Transform Lambda) and appended to an NDJSON file, one canonical product
 * per line in file order; every reject, from validation or the transform, streams into a JSON array
 * report. Memory holds one batch. `close()` must run whatever happens, so both files are complete.
 */
export class FileCanonicalSink implements StagingSink {
  readonly counts: CanonicalFileCounts = { valid: 0, rejected: 0, variants: 0, rejectReasons: {} };
  private readonly rejects = new JsonArrayWriter();
  private readonly rejectsWritten: Promise<void>;

  private constructor(
    private readonly canonical: FileHandle,
    rejectsFile: FileHandle,
    private readonly config: TransformConfig,
  ) {
    this.rejectsWritten = pipeline(this.rejects.stream, rejectsFile.createWriteStream());
    // Surfaced by close(); without a handler an early failure would be an unhandled rejection.
    this.rejectsWritten.catch(() => undefined);
  }

  static async create(
    files: { readonly canonicalFile: string; readonly rejectsFile: string },
    config: TransformConfig,
  ): Promise<FileCanonicalSink> {
    // Both files are opened here, so a path that cannot be written fails before any reading starts.
    const canonical = await open(files.canonicalFile, 'w');
    try {
      return new FileCanonicalSink(canonical, await open(files.rejectsFile, 'w'), config);
    } catch (error) {
      await canonical.close();
      throw error;
    }
  }

  async writeBatch(_batchNumber: number, staged: readonly StagedProduct[]): Promise<void> {
    const { products, rejects } = transformBatch(staged, this.config);
    const lines = products.map(({ product }) => `${productJson(product)}\n`).join('');
    await this.canonical.write(lines);
    this.counts.valid += products.length;
    for (const { product } of products) this.counts.variants += product.variants.length;
    if (rejects.length > 0) await this.writeRejects(rejects);
  }

  async writeRejects(rejects: readonly Reject[]): Promise<void> {
    await this.rejects.append(rejects);
    this.counts.rejected += rejects.length;
    for (const { reason } of rejects) {
      this.counts.rejectReasons[reason] = (this.counts.rejectReasons[reason] ?? 0) + 1;
    }
  }

  async close(): Promise<void> {
    this.rejects.close();
    try {
      await this.rejectsWritten;
    } finally {
      await this.canonical.close();
    }
  }
}
