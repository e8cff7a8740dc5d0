import { ingestionKeys, transformInputSchema, type TransformOutput } from '../../contracts/workflow';
import { transformBatch } from '../domain/transform-batch';
import { parseTransformConfig } from '../domain/transform-config';
import { s3Client } from '../shared/aws-clients';
import { requiredEnv } from '../shared/env';
import { logger, setInvocationLogKeys } from '../shared/observability';
import { readJsonObject, writeJsonObject } from '../shared/s3-objects';
import { workflowStep } from '../shared/workflow-step';
import type { CanonicalBatchFile } from '../staging/canonical-batch';
import { stagedBatchFileSchema } from '../staging/staged-batch';

/**
 * Transform: one staged batch → canonical products in `staging/<id>/canonical/batch-NNNNN.json`.
 * A product the mapping cannot turn into a valid canonical product is reported, not dropped:
 * `reports/<id>/transform-rejects/batch-NNNNN.json`. Deterministic, so a retry writes the same bytes.
 */
export const handler = workflowStep(
  'Transform',
  transformInputSchema,
  (input) => input.ingestionId,
  async ({ ingestionId, batchKey }): Promise<TransformOutput> => {
    const bucket = requiredEnv('BUCKET_NAME');
    const config = parseTransformConfig(process.env.TRANSFORM_CONFIG);
    setInvocationLogKeys({ ingestionId, batchKey });
    const s3 = s3Client();

    const batch = await readJsonObject(s3, { bucket, key: batchKey }, stagedBatchFileSchema);
    const { products, rejects } = transformBatch(batch.products, config);
    const canonical: CanonicalBatchFile = { ingestionId, source: batch.source, products };

    const canonicalKey = ingestionKeys.canonicalBatch(batchKey);
    await writeJsonObject(s3, { bucket, key: canonicalKey }, canonical);
    if (rejects.length > 0) {
      await writeJsonObject(s3, { bucket, key: ingestionKeys.transformRejects(batchKey) }, rejects);
      logger.warn('products rejected by the transform', {
        rejected: rejects.length,
        rejects: rejects.slice(0, 20),
      });
    }
    const output = { ingestionId, canonicalKey, count: canonical.products.length, rejected: rejects.length };
    logger.info('batch transformed', output);
    return output;
  },
);
