import { ingestionKeys, publishInputSchema, type PublishOutput } from '../../contracts/workflow';
import { productIngestedEntry } from '../publishing/product-ingested-entry';
import { putEventsReliably } from '../publishing/put-events';
import { eventBridgeClient, s3Client } from '../shared/aws-clients';
import { requiredEnv } from '../shared/env';
import { logger, recordCounts, setInvocationLogKeys } from '../shared/observability';
import { readJsonObject, writeJsonObject } from '../shared/s3-objects';
import { workflowStep } from '../shared/workflow-step';
import { canonicalBatchFileSchema, type CanonicalBatchFile } from '../staging/canonical-batch';

type BatchProduct = CanonicalBatchFile['products'][number];

/**
 * Publish: one canonical batch → one ProductIngested event per product on the products bus. What
 * cannot be published is written to `reports/<ingestionId>/publish-failures/…` with its reason and
 * counted as failed, so Summarize (and the alarm on a failed execution) surface it.
 */
export const handler = workflowStep(
  'Publish',
  publishInputSchema,
  (input) => input.ingestionId,
  async ({ ingestionId, canonicalKey, rejected }): Promise<PublishOutput> => {
    const bucket = requiredEnv('BUCKET_NAME');
    const busName = requiredEnv('EVENT_BUS_NAME');
    setInvocationLogKeys({ ingestionId, canonicalKey });

    const batch = await readJsonObject(s3Client(), { bucket, key: canonicalKey }, canonicalBatchFileSchema);
    const ingestedAt = new Date().toISOString();
    const toEntry = ({ index, product }: BatchProduct) =>
      productIngestedEntry(
        busName,
        { ingestionId, sourceBucket: batch.source.bucket, sourceKey: batch.source.key, index, ingestedAt },
        product,
      );
    const result = await putEventsReliably(eventBridgeClient(), batch.products, toEntry, {
      backoff: { baseMs: 200, capMs: 10_000, maxAttempts: 8 },
    });

    if (result.failures.length > 0) {
      const failures = result.failures.map(({ item, errorCode, errorMessage }) => ({
        index: item.index,
        externalId: item.product.externalId,
        reason: errorCode,
        message: errorMessage,
      }));
      await writeJsonObject(
        s3Client(),
        { bucket, key: ingestionKeys.publishFailures(canonicalKey) },
        failures,
      );
      logger.error('products could not be published', {
        failed: failures.length,
        failures: failures.slice(0, 20),
      });
    }
    const output = { published: result.published, failed: result.failures.length, rejected };
    recordCounts(ingestionId, {
      ProductsPublished: output.published,
      ProductsFailedToPublish: output.failed,
    });
    logger.info('batch published', output);
    return output;
  },
);
