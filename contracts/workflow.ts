import { z } from 'zod';
import { ingestionSkippedDetailSchema } from './events';

/**
 * The I/O contract of the ProductIngestion state machine's tasks (docs/architecture.md, "The state
 * machine's I/O contract"). Raw and canonical products stay in S3; the state carries keys and counts.
 * Validate's list of batch keys grows with the file (about 84 bytes a batch), which is what bounds one
 * file under Step Functions' 256 KiB state payload today (about half a million products).
 */

/** The part of the S3 "Object Created" event the workflow reads. */
export const objectCreatedDetailSchema = z.object({
  bucket: z.object({ name: z.string().min(3) }),
  object: z.object({
    key: z.string().min(1),
    size: z.number().int().nonnegative().optional(),
    etag: z.string().optional(),
    'version-id': z.string().optional(),
  }),
});
export type ObjectCreatedDetail = z.infer<typeof objectCreatedDetailSchema>;

/** Validate's input: the trimmed S3 event plus the execution name, which is the ingestion id. */
export const validateInputSchema = z.object({
  ingestionId: z.string().min(1),
  detail: objectCreatedDetailSchema,
});
export type ValidateInput = z.infer<typeof validateInputSchema>;

export const countsSchema = z.object({
  total: z.number().int().nonnegative(),
  valid: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
});

export const validateOutputSchema = z.object({
  ingestionId: z.string().min(1),
  source: z.object({ bucket: z.string(), key: z.string(), versionId: z.string().optional() }),
  batches: z.array(z.object({ key: z.string(), count: z.number().int().positive() })),
  counts: countsSchema,
  reportKey: z.string(),
});
export type ValidateOutput = z.infer<typeof validateOutputSchema>;

/** Validate's output for an upload whose name is not an export's: the IngestionSkipped detail. */
export const validateSkippedOutputSchema = z.strictObject({ skipped: ingestionSkippedDetailSchema });
export type ValidateSkippedOutput = z.infer<typeof validateSkippedOutputSchema>;

export const transformInputSchema = z.object({ ingestionId: z.string().min(1), batchKey: z.string().min(1) });
export type TransformInput = z.infer<typeof transformInputSchema>;

export const transformOutputSchema = z.object({
  ingestionId: z.string().min(1),
  canonicalKey: z.string().min(1),
  count: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
});
export type TransformOutput = z.infer<typeof transformOutputSchema>;

export const publishInputSchema = transformOutputSchema;
export type PublishInput = TransformOutput;

export const publishOutputSchema = z.object({
  published: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  /** Transform-time rejects of the batch, carried so Summarize can count them. */
  rejected: z.number().int().nonnegative(),
});
export type PublishOutput = z.infer<typeof publishOutputSchema>;

export const summarizeInputSchema = z.object({
  validation: validateOutputSchema,
  batchResults: z.array(publishOutputSchema),
});
export type SummarizeInput = z.infer<typeof summarizeInputSchema>;

/** Also the detail of the IngestionCompleted event. */
export const summarizeOutputSchema = z.object({
  ingestionId: z.string(),
  sourceBucket: z.string(),
  sourceKey: z.string(),
  counts: countsSchema.extend({
    published: z.number().int().nonnegative(),
    failed: z.number().int().nonnegative(),
  }),
  reportKey: z.string(),
});
export type SummarizeOutput = z.infer<typeof summarizeOutputSchema>;

/** S3 keys of one ingestion's intermediate files and reports. */
export const ingestionKeys = {
  stagingBatch: (ingestionId: string, batchNumber: number) =>
    `staging/${ingestionId}/batch-${String(batchNumber).padStart(5, '0')}.json`,
  canonicalBatch: (batchKey: string) => batchKey.replace(/\/batch-(\d+)\.json$/, '/canonical/batch-$1.json'),
  rejectsReport: (ingestionId: string) => `reports/${ingestionId}/rejects.json`,
  /** Products of one batch that Transform rejected (they passed Validate but not the canonical schema). */
  transformRejects: (batchKey: string) =>
    batchKey.replace(/^staging\/([^/]+)\/batch-(\d+)\.json$/, 'reports/$1/transform-rejects/batch-$2.json'),
  /** Products of one batch that Publish could not put on the bus. */
  publishFailures: (canonicalKey: string) =>
    canonicalKey.replace(
      /^staging\/([^/]+)\/canonical\/batch-(\d+)\.json$/,
      'reports/$1/publish-failures/batch-$2.json',
    ),
  summaryReport: (ingestionId: string) => `reports/${ingestionId}/summary.json`,
  /** The error a failed ingestion failed with (lambdas/shared/workflow-step.ts). */
  failureReport: (ingestionId: string) => `reports/${ingestionId}/failure.json`,
};
