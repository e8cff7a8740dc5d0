import type { S3Client } from '@aws-sdk/client-s3';
import { ingestionKeys, type BatchManifestLine } from '../../contracts/workflow';
import type { Reject } from '../domain/reject';
import type { StagedProduct } from '../domain/staged-product';
import type { StagingSink } from '../ingestion/validate-items';
import { writeJsonObject } from '../shared/s3-objects';
import type { SourceObject } from './canonical-batch';
import { JsonArrayWriter } from './json-array-writer';
import { JsonLinesWriter } from './json-lines-writer';
import type { StagedBatchFile } from './staged-batch';
import { streamedUpload } from './streamed-upload';

/**
 * Validate's sink: each batch becomes `staging/<ingestionId>/batch-NNNNN.json` and a line of the batch
 * manifest `staging/<ingestionId>/batches.jsonl` (what the Distributed Map reads); rejects stream into
 * `reports/<ingestionId>/rejects.json`. Both lists go up as multipart uploads, so any number of batches
 * and rejects fits in bounded memory. `close()` must run whatever happens, so the report exists even
 * for a failed upload.
 */
export class S3StagingSink implements StagingSink {
  private readonly rejects = new JsonArrayWriter();
  private readonly manifest = new JsonLinesWriter();
  private readonly uploads: Promise<unknown>[];

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly ingestionId: string,
    private readonly source: SourceObject,
  ) {
    this.uploads = [
      streamedUpload(
        s3,
        { bucket, key: this.reportKey, contentType: 'application/json' },
        this.rejects.stream,
      ),
      streamedUpload(
        s3,
        { bucket, key: this.manifestKey, contentType: 'application/x-ndjson' },
        this.manifest.stream,
      ),
    ];
  }

  get reportKey(): string {
    return ingestionKeys.rejectsReport(this.ingestionId);
  }

  get manifestKey(): string {
    return ingestionKeys.batchManifest(this.ingestionId);
  }

  async writeBatch(batchNumber: number, products: readonly StagedProduct[]): Promise<void> {
    const file: StagedBatchFile = {
      ingestionId: this.ingestionId,
      source: this.source,
      products: [...products],
    };
    const key = ingestionKeys.stagingBatch(this.ingestionId, batchNumber);
    await writeJsonObject(this.s3, { bucket: this.bucket, key }, file);
    const line: BatchManifestLine = { key, count: products.length };
    await this.manifest.append(line);
  }

  writeRejects(rejects: readonly Reject[]): Promise<void> {
    return this.rejects.append(rejects);
  }

  async close(): Promise<void> {
    this.rejects.close();
    this.manifest.close();
    const [rejects, manifest] = await Promise.allSettled(this.uploads);
    for (const upload of [rejects, manifest]) if (upload.status === 'rejected') throw upload.reason;
  }
}
