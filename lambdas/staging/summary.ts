import type { SummarizeOutput, ValidateOutput } from '../../contracts/workflow';
import type { MapRunTotals } from './map-run-results';

/** The Map Run covers every batch once, or the counts would not add up: an error, not a summary. */
export class MissingBatchResults extends Error {
  override readonly name = 'MissingBatchResults';
}

/**
 * The final counts of an ingestion. Products Transform rejected passed Validate, so they move from
 * valid to rejected; the products of a batch whose child workflow failed count as failed; every
 * product of the file ends up in exactly one of rejected, published, failed.
 */
export function summarizeIngestion(
  validation: ValidateOutput,
  mapRun: MapRunTotals,
  reportKey: string,
): SummarizeOutput {
  if (mapRun.results !== validation.batches) {
    throw new MissingBatchResults(
      `the Map Run reported ${mapRun.results} batch results; Validate staged ${validation.batches} batches`,
    );
  }
  const { published, failed, rejected: transformRejected } = mapRun.batches;
  const failedInBatches = mapRun.failedBatches.reduce((total, batch) => total + batch.count, 0);
  return {
    ingestionId: validation.ingestionId,
    sourceBucket: validation.source.bucket,
    sourceKey: validation.source.key,
    counts: {
      total: validation.counts.total,
      valid: validation.counts.valid - transformRejected,
      rejected: validation.counts.rejected + transformRejected,
      published,
      failed: failed + failedInBatches,
    },
    reportKey,
  };
}
