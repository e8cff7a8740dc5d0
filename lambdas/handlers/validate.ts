import { validateInputSchema, type ValidateOutput } from '../../contracts/workflow';
import { parseTransformConfig } from '../domain/transform-config';
import { ObjectTooLarge } from '../ingestion/errors';
import { readProductItems } from '../ingestion/read-product-items';
import { validateItems } from '../ingestion/validate-items';
import { s3Client } from '../shared/aws-clients';
import { positiveIntEnv, requiredEnv } from '../shared/env';
import { logger, recordCounts, setInvocationLogKeys } from '../shared/observability';
import { openObjectStream } from '../shared/s3-objects';
import { S3StagingSink } from '../staging/s3-staging-sink';

/**
 * Validate: streams the uploaded export from S3 (never the whole file in memory), stages valid products
 * in batches and reports every reject with its reason. Fatal problems (not JSON, empty, not an array or
 * NDJSON, too large, nothing valid) are thrown as errors named after the problem; the state machine
 * catches them and emits IngestionFailed.
 */
export async function handler(input: unknown): Promise<ValidateOutput> {
  const { ingestionId, detail } = validateInputSchema.parse(input);
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
    } finally {
      await sink.close();
    }
  })();

  const output: ValidateOutput = {
    ingestionId,
    source,
    batches: summary.batches.map((batch) => ({ key: sink.batchKey(batch.number), count: batch.count })),
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
    batches: output.batches.length,
    rejectReasons: summary.rejectReasons,
  });
  return output;
}
