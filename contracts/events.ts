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

/** Prefixes the pipeline writes to inside the ingest bucket. */
export const STAGING_PREFIX = 'staging/';
export const REPORTS_PREFIX = 'reports/';
