import { ingestionKeys, summarizeInputSchema, type SummarizeOutput } from '../../contracts/workflow';
import { s3Client } from '../shared/aws-clients';
import { requiredEnv } from '../shared/env';
import { logger, recordCounts, setInvocationLogKeys } from '../shared/observability';
import { writeJsonObject } from '../shared/s3-objects';
import { workflowStep } from '../shared/workflow-step';
import { summarizeIngestion } from '../staging/summary';

/**
 * Summarize: adds up what Validate and every batch reported, writes `reports/<ingestionId>/summary.json`
 * and returns the IngestionCompleted detail.
 */
export const handler = workflowStep(
  'Summarize',
  summarizeInputSchema,
  (input) => input.validation.ingestionId,
  async ({ validation, batchResults }): Promise<SummarizeOutput> => {
    const bucket = requiredEnv('BUCKET_NAME');
    setInvocationLogKeys({ ingestionId: validation.ingestionId });
    const reportKey = ingestionKeys.summaryReport(validation.ingestionId);
    const summary = summarizeIngestion(validation, batchResults, reportKey);

    await writeJsonObject(
      s3Client(),
      { bucket, key: reportKey },
      {
        ...summary,
        rejectsReportKey: validation.reportKey,
        batches: validation.batches.length,
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
