import type { S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import {
  batchItemSchema,
  publishOutputSchema,
  type MapRunOutput,
  type PublishOutput,
} from '../../contracts/workflow';
import { readJsonArrayItems } from '../ingestion/json-array-items';
import { DEFAULT_ITEM_LIMITS } from '../ingestion/read-item';
import { openObjectStream, readJsonObject } from '../shared/s3-objects';

/**
 * The manifest a Distributed Map's ResultWriter writes (`<prefix>/<map run id>/manifest.json`): where
 * the results of its child executions are, by status. AWS Step Functions Developer Guide, "ResultWriter
 * (Map)": "Contents of the manifest file" and "Exporting to Amazon S3".
 */
const resultFileSchema = z.object({ Key: z.string().min(1), Size: z.number().int().nonnegative() });
const mapRunManifestSchema = z.object({
  DestinationBucket: z.string().min(3),
  MapRunArn: z.string().min(1),
  ResultFiles: z.object({
    SUCCEEDED: z.array(resultFileSchema).default([]),
    FAILED: z.array(resultFileSchema).default([]),
    PENDING: z.array(resultFileSchema).default([]),
  }),
});

/** One child execution in a result file: its input and output as JSON text, or its error. */
const childResultSchema = z.object({
  Status: z.string(),
  Input: z.string(),
  Output: z.string().optional(),
  Error: z.string().optional(),
  Cause: z.string().optional(),
});

/** A batch whose child workflow did not succeed: its products were not (all) published. */
export interface FailedBatch {
  readonly batchKey: string;
  readonly count: number;
  readonly status: string;
  readonly error?: string;
  readonly cause?: string;
}

export interface MapRunTotals {
  /** Child executions read, whatever their status: one per batch of the manifest. */
  results: number;
  /** Sums of the succeeded batches' Publish outputs. */
  batches: PublishOutput;
  failedBatches: FailedBatch[];
}

/**
 * Adds up a Map Run's results from the files its ResultWriter wrote. Files are read one item at a time,
 * so a run of any number of batches takes bounded memory (but for the failed batches, which are kept
 * to be reported: at most the tolerated share of them).
 */
export async function readMapRunTotals(s3: S3Client, mapRun: MapRunOutput): Promise<MapRunTotals> {
  const { Bucket: bucket, Key: key } = mapRun.ResultWriterDetails;
  const manifest = await readJsonObject(s3, { bucket, key }, mapRunManifestSchema);
  const totals: MapRunTotals = {
    results: 0,
    batches: { published: 0, failed: 0, rejected: 0 },
    failedBatches: [],
  };
  const files = [
    ...manifest.ResultFiles.SUCCEEDED,
    ...manifest.ResultFiles.FAILED,
    ...manifest.ResultFiles.PENDING,
  ];
  for (const file of files) {
    const location = { bucket: manifest.DestinationBucket, key: file.Key };
    for await (const child of childResults(s3, location)) {
      totals.results += 1;
      if (child.Status === 'SUCCEEDED') addPublished(totals.batches, child, location.key);
      else totals.failedBatches.push(failedBatch(child, location.key));
    }
  }
  return totals;
}

async function* childResults(
  s3: S3Client,
  location: { bucket: string; key: string },
): AsyncGenerator<z.infer<typeof childResultSchema>> {
  const body = await openObjectStream(s3, location);
  for await (const item of readJsonArrayItems(body, DEFAULT_ITEM_LIMITS, 0)) {
    if (item.kind !== 'value') {
      throw new Error(
        `s3://${location.bucket}/${location.key}: result ${item.index} unreadable (${item.message})`,
      );
    }
    yield parseOrExplain(childResultSchema, item.value, `${location.key}, result ${item.index}`);
  }
}

function addPublished(sums: PublishOutput, child: z.infer<typeof childResultSchema>, where: string): void {
  const output = parseOrExplain(publishOutputSchema, JSON.parse(child.Output ?? 'null'), `${where}: Output`);
  sums.published += output.published;
  sums.failed += output.failed;
  sums.rejected += output.rejected;
}

function failedBatch(child: z.infer<typeof childResultSchema>, where: string): FailedBatch {
  const item = parseOrExplain(batchItemSchema, JSON.parse(child.Input), `${where}: Input`);
  return {
    batchKey: item.batchKey,
    count: item.count,
    status: child.Status,
    ...(child.Error !== undefined && { error: child.Error }),
    ...(child.Cause !== undefined && { cause: child.Cause }),
  };
}

function parseOrExplain<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(`${where} is not what the workflow writes: ${parsed.error.message}`);
  return parsed.data;
}
