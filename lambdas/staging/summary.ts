import type { PublishOutput, SummarizeOutput, ValidateOutput } from '../../contracts/workflow';

/**
 * The final counts of an ingestion. Products Transform rejected passed Validate, so they move from
 * valid to rejected; every product of the file ends up in exactly one of rejected, published, failed.
 */
export function summarizeIngestion(
  validation: ValidateOutput,
  batchResults: readonly PublishOutput[],
  reportKey: string,
): SummarizeOutput {
  const sum = (pick: (result: PublishOutput) => number) =>
    batchResults.reduce((total, r) => total + pick(r), 0);
  const transformRejected = sum((r) => r.rejected);
  return {
    ingestionId: validation.ingestionId,
    sourceBucket: validation.source.bucket,
    sourceKey: validation.source.key,
    counts: {
      total: validation.counts.total,
      valid: validation.counts.valid - transformRejected,
      rejected: validation.counts.rejected + transformRejected,
      published: sum((r) => r.published),
      failed: sum((r) => r.failed),
    },
    reportKey,
  };
}
