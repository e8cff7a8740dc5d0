import {
  validateInputSchema,
  type ValidateOutput,
  type ValidateSkippedOutput,
} from '../../contracts/workflow';
import { parseTransformConfig } from '../domain/transform-config';
import { ObjectTooLarge, UnreadableUpload } from '../ingestion/errors';
import { readProductItems } from '../ingestion/read-product-items';
import { uploadName } from '../ingestion/upload-name';
import { validateItems } from '../ingestion/validate-items';
import { s3Client } from '../shared/aws-clients';
import { positiveIntEnv, requiredEnv } from '../shared/env';
import { logger, recordCounts, setInvocationLogKeys } from '../shared/observability';
import { openObjectStream } from '../shared/s3-objects';
import { workflowStep } from '../shared/workflow-step';
import { S3StagingSink } from '../staging/s3-staging-sink';

/**
 * Validate: streams the uploaded export from S3 (never the whole file in memory, gzip decompressed on
 * the way), stages valid products in batches listed in a manifest (JSON Lines) that the Distributed Map
 * reads, and reports every reject with its reason. Its output holds counts and keys only, whatever the
 * size of the file. An upload whose
 * name is not an export's is skipped: the output names why, for IngestionSkipped, and nothing is staged.
 * Fatal problems (not JSON, empty, not an array or NDJSON, not UTF-8, too large, nothing valid) are
 * thrown as errors named after the problem; the state machine catches them and emits IngestionFailed.
 */
export const handler = workflowStep(
  'Validate',
  validateInputSchema,
  (input) => input.ingestionId,
  async ({ ingestionId, detail }): Promise<ValidateOutput | ValidateSkippedOutput> => {
    const bucket = requiredEnv('BUCKET_NAME');
    const batchSize = positiveIntEnv('STAGING_BATCH_SIZE', 250);
    const maxBytes = positiveIntEnv('MAX_OBJECT_BYTES', 2 * 1024 ** 3);
    const config = parseTransformConfig(process.env.TRANSFORM_CONFIG);
    const source = {
      bucket: detail.bucket.name,
      key: detail.object.key,
      versionId: detail.object['version-id'],
    };
    setInvocationLogKeys({ ingestionId, sourceKey: source.key });

    const name = uploadName(source.key);
    if (!name.ingestible) {
      const skipped = {
        ingestionId,
        sourceBucket: source.bucket,
        sourceKey: source.key,
        reason: name.reason,
      };
      logger.info('upload skipped', skipped);
      return { skipped };
    }
    if (detail.object.size !== undefined && detail.object.size > maxBytes) {
      throw new ObjectTooLarge(
        `s3://${source.bucket}/${source.key} is ${detail.object.size} bytes; the limit is ${maxBytes} (context maxObjectMegabytes)`,
      );
    }
    const s3 = s3Client();
    const sink = new S3StagingSink(s3, bucket, ingestionId, source);
    const summary = await (async () => {
      try {
        const body = await openObjectStream(s3, source);
        return await validateItems(readProductItems(body, { maxBytes }), { batchSize, config }, sink);
      } catch (error) {
        throw withReadBefore(error);
      } finally {
        await sink.close();
      }
    })();

    const output: ValidateOutput = {
      ingestionId,
      source,
      manifest: { bucket, key: sink.manifestKey },
      batches: summary.batches.length,
      counts: { total: summary.total, valid: summary.valid, rejected: summary.rejected },
      reportKey: sink.reportKey,
    };
    recordCounts(ingestionId, {
      ProductsInFile: summary.total,
      ProductsValid: summary.valid,
      ProductsRejected: summary.rejected,
    });
    logger.info('upload validated', {
      counts: output.counts,
      batches: output.batches,
      rejectReasons: summary.rejectReasons,
    });
    return output;
  },
);

/**
 * An upload that broke off after some products says how many, in the message IngestionFailed and
 * failure.json carry: how far the file is fine (its rejects report covers those products).
 */
function withReadBefore(error: unknown): unknown {
  if (!(error instanceof UnreadableUpload) || !error.readBefore?.total) return error;
  const { total, valid, rejected } = error.readBefore;
  error.message += `; read before it: ${total} product${total === 1 ? '' : 's'} (${valid} valid, ${rejected} rejected)`;
  return error;
}
