import { ingestionKeys, summarizeInputSchema, type SummarizeOutput } from '../../contracts/workflow';
import { s3Client } from '../shared/aws-clients';
import { requiredEnv } from '../shared/env';
import { logger, recordCounts, setInvocationLogKeys } from '../shared/observability';
import { writeJsonObject } from '../shared/s3-objects';
import { workflowStep } from '../shared/workflow-step';
import { readMapRunTotals } from '../staging/map-run-results';
import { summarizeIngestion } from '../staging/summary';

/**
 * Summarize: adds up what Validate and every batch's child workflow reported (the Distributed Map's
 * results, read from S3), writes `reports/<ingestionId>/summary.json` (and the failed batches, if any,
 * to `failed-batches.json`) and returns the IngestionCompleted detail.
 */
export const handler = workflowStep(
  'Summarize',
  summarizeInputSchema,
  (input) => input.validation.ingestionId,
  async ({ validation, mapRun }): Promise<SummarizeOutput> => {
    const bucket = requiredEnv('BUCKET_NAME');
    const s3 = s3Client();
    const { ingestionId } = validation;
    setInvocationLogKeys({ ingestionId });
    const totals = await readMapRunTotals(s3, mapRun);
    const reportKey = ingestionKeys.summaryReport(ingestionId);
    const summary = summarizeIngestion(validation, totals, reportKey);

    const failedBatchesKey = ingestionKeys.failedBatchesReport(ingestionId);
    if (totals.failedBatches.length > 0) {
      await writeJsonObject(s3, { bucket, key: failedBatchesKey }, totals.failedBatches);
      logger.error('batches failed', {
        failedBatches: totals.failedBatches.length,
        first: totals.failedBatches.slice(0, 5),
      });
    }
    await writeJsonObject(
      s3,
      { bucket, key: reportKey },
      {
        ...summary,
        rejectsReportKey: validation.reportKey,
        batches: validation.batches,
        ...(totals.failedBatches.length > 0 && {
          failedBatches: totals.failedBatches.length,
          failedBatchesReportKey: failedBatchesKey,
        }),
        mapRunArn: mapRun.MapRunArn,
        completedAt: new Date().toISOString(),
      },
    );
    const { counts } = summary;
    recordCounts(summary.ingestionId, {
      ProductsInFile: counts.total,
      ProductsValid: counts.valid,
      ProductsRejected: counts.rejected,
      ProductsPublished: counts.published,
      ProductsFailedToPublish: counts.failed,
    });
    logger.info('ingestion summarized', { ...summary });
    return summary;
  },
);
