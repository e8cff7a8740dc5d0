import type { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { ingestionKeys } from '../../contracts/workflow';
import type { Reject } from '../domain/reject';
import type { StagedProduct } from '../domain/staged-product';
import type { StagingSink } from '../ingestion/validate-items';
import { writeJsonObject } from '../shared/s3-objects';
import type { SourceObject } from './canonical-batch';
import { JsonArrayWriter } from './json-array-writer';
import type { StagedBatchFile } from './staged-batch';

/**
 * Validate's sink: each batch becomes `staging/<ingestionId>/batch-NNNNN.json`; rejects stream into
 * `reports/<ingestionId>/rejects.json` through a multipart upload, so any number of rejects fits in
 * bounded memory. `close()` must run whatever happens, so the report exists even for a failed upload.
 */
export class S3StagingSink implements StagingSink {
  private readonly rejects = new JsonArrayWriter();
  private readonly upload: Upload;
  private readonly uploaded: Promise<unknown>;

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly ingestionId: string,
    private readonly source: SourceObject,
  ) {
    this.upload = new Upload({
      client: s3,
      params: {
        Bucket: bucket,
        Key: ingestionKeys.rejectsReport(ingestionId),
        Body: this.rejects.stream,
        ContentType: 'application/json',
      },
    });
    this.uploaded = this.upload.done();
    // Surfaced by close(); without a handler an early failure would be an unhandled rejection.
    this.uploaded.catch(() => undefined);
  }

  get reportKey(): string {
    return ingestionKeys.rejectsReport(this.ingestionId);
  }

  async writeBatch(batchNumber: number, products: readonly StagedProduct[]): Promise<void> {
    const file: StagedBatchFile = {
      ingestionId: this.ingestionId,
      source: this.source,
      products: [...products],
    };
    await writeJsonObject(this.s3, { bucket: this.bucket, key: this.batchKey(batchNumber) }, file);
  }

  writeRejects(rejects: readonly Reject[]): Promise<void> {
    return this.rejects.append(rejects);
  }

  batchKey(batchNumber: number): string {
    return ingestionKeys.stagingBatch(this.ingestionId, batchNumber);
  }

  async close(): Promise<void> {
    this.rejects.close();
    await this.uploaded;
  }
}
