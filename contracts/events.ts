import { z } from 'zod';

/**
 * The names every part of the pipeline agrees on for EventBridge: sources and detail-types
 * (docs/architecture.md, "Events"). The CDK rules, the Lambdas and the worker all import them from here.
 */
export const EVENT_SOURCES = {
  ingestion: 'product-pipeline.ingestion',
  pimcore: 'product-pipeline.pimcore',
} as const;

export const DETAIL_TYPES = {
  productIngested: 'ProductIngested',
  ingestionCompleted: 'IngestionCompleted',
  ingestionFailed: 'IngestionFailed',
  ingestionSkipped: 'IngestionSkipped',
  productPublished: 'ProductPublished',
  productUnpublished: 'ProductUnpublished',
} as const;

/** S3 → EventBridge notification for a new object, as emitted on the default bus. */
export const S3_OBJECT_CREATED = { source: 'aws.s3', detailType: 'Object Created' } as const;

/** What Step Functions puts on the default bus when an execution of a Standard workflow changes status. */
export const SFN_STATUS_CHANGE = {
  source: 'aws.states',
  detailType: 'Step Functions Execution Status Change',
} as const;

/**
 * Where uploads must land to be ingested, and the file types read there: these suffixes in any letter
 * case, each optionally followed by GZIP_SUFFIX. Any other upload under incoming/ is skipped with an
 * IngestionSkipped event.
 */
export const INCOMING_PREFIX = 'incoming/';
export const INGESTIBLE_SUFFIXES = ['.json', '.jsonl', '.ndjson'] as const;
export const GZIP_SUFFIX = '.gz';

/** The detail of IngestionSkipped: an upload under incoming/ that is not read, and why. */
export const ingestionSkippedDetailSchema = z.strictObject({
  ingestionId: z.string().min(1).optional(),
  sourceBucket: z.string().min(1),
  sourceKey: z.string().min(1),
  reason: z.string().min(1),
});
export type IngestionSkippedDetail = z.infer<typeof ingestionSkippedDetailSchema>;

/**
 * IngestionFailed: sent once per failed execution of the ingestion workflow, from its status change
 * (lambdas/handlers/report-failure.ts). The source is what the execution's input names; an execution
 * started by hand with another input has none.
 */
export const ingestionFailedDetailSchema = z.strictObject({
  ingestionId: z.string().min(1),
  status: z.enum(['FAILED', 'TIMED_OUT', 'ABORTED']),
  sourceBucket: z.string().min(1).optional(),
  sourceKey: z.string().min(1).optional(),
  error: z.string(),
  cause: z.string(),
  executionArn: z.string().min(1),
});
export type IngestionFailedDetail = z.infer<typeof ingestionFailedDetailSchema>;

/** Prefixes the pipeline writes to inside the ingest bucket. */
export const STAGING_PREFIX = 'staging/';
export const REPORTS_PREFIX = 'reports/';
