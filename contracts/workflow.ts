import { z } from 'zod';
import { ingestionSkippedDetailSchema } from './events';

/**
 * The I/O contract of the ProductIngestion state machine's tasks (docs/architecture.md, "The state
 * machine's I/O contract"). Raw and canonical products, the list of batches and the batches' results
 * stay in S3; the state carries keys and counts only, so its size does not grow with the file (Step
 * Functions fails an execution whose state passes 256 KiB, and no Catch can handle that).
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

/** One line of the batch manifest (JSON Lines) Validate writes: a staged batch and its product count. */
export const batchManifestLineSchema = z.object({
  key: z.string().min(1),
  count: z.number().int().positive(),
});
export type BatchManifestLine = z.infer<typeof batchManifestLineSchema>;

export const validateOutputSchema = z.object({
  ingestionId: z.string().min(1),
  source: z.object({ bucket: z.string(), key: z.string(), versionId: z.string().optional() }),
  /** The batch manifest the Distributed Map reads, one line per staged batch, in file order. */
  manifest: z.object({ bucket: z.string().min(3), key: z.string().min(1) }),
  /** How many batches (lines) the manifest holds. */
  batches: z.number().int().nonnegative(),
  counts: countsSchema,
  reportKey: z.string(),
});
export type ValidateOutput = z.infer<typeof validateOutputSchema>;

/** Validate's output for an upload whose name is not an export's: the IngestionSkipped detail. */
export const validateSkippedOutputSchema = z.strictObject({ skipped: ingestionSkippedDetailSchema });
export type ValidateSkippedOutput = z.infer<typeof validateSkippedOutputSchema>;

/**
 * What the Distributed Map hands each child workflow (its ItemSelector): the ingestion, one manifest
 * line's batch and its product count (so a batch whose child failed can be counted, see Summarize).
 */
export const batchItemSchema = z.object({
  ingestionId: z.string().min(1),
  batchKey: z.string().min(1),
  count: z.number().int().positive(),
});
export type BatchItem = z.infer<typeof batchItemSchema>;

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

/** The Distributed Map's output with a ResultWriter: where the Map Run's results were written. */
export const mapRunOutputSchema = z.object({
  MapRunArn: z.string().min(1),
  ResultWriterDetails: z.object({ Bucket: z.string().min(3), Key: z.string().min(1) }),
});
export type MapRunOutput = z.infer<typeof mapRunOutputSchema>;

export const summarizeInputSchema = z.object({
  validation: validateOutputSchema,
  mapRun: mapRunOutputSchema,
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
  /** Validate's list of staged batches, one JSON line each: what the Distributed Map reads. */
  batchManifest: (ingestionId: string) => `staging/${ingestionId}/batches.jsonl`,
  /** Where the Distributed Map's ResultWriter puts each Map Run's results (`<prefix>/<map run id>/…`). */
  mapResultsPrefix: 'staging/map-results',
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
  /** Batches whose child workflow failed (within the tolerated share): their products count as failed. */
  failedBatchesReport: (ingestionId: string) => `reports/${ingestionId}/failed-batches.json`,
  /** The error a failed ingestion failed with (lambdas/shared/workflow-step.ts). */
  failureReport: (ingestionId: string) => `reports/${ingestionId}/failure.json`,
};
