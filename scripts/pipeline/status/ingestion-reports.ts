import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, ListObjectsV2Command, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import { parser } from 'stream-json/Parser';
import { streamArray } from 'stream-json/streamers/StreamArray';
import { ingestionKeys } from '../../../contracts/workflow';

/** The counts Summarize writes into `reports/<id>/summary.json` (lambdas/handlers/summarize.ts). */
export interface IngestionCounts {
  readonly total: number;
  readonly valid: number;
  readonly rejected: number;
  readonly published: number;
  readonly failed: number;
}

/** `reports/<id>/failure.json`: `{ingestionId, step, error, cause, time}` (docs/ingestion.md). */
export interface FailureReport {
  readonly step?: string;
  readonly error?: string;
  readonly cause?: string;
  readonly time?: string;
}

/** rejects.json can hold every product of a huge file: read at most this many, then say so. */
export const MAX_REJECTS_READ = 100_000;

export interface RejectsByReason {
  readonly byReason: Readonly<Record<string, number>>;
  /** True when the report holds more than MAX_REJECTS_READ rejects and only those were counted. */
  readonly truncated: boolean;
}

const isMissing = (error: unknown) =>
  error instanceof NoSuchKey || (error as Error).name === 'NoSuchKey' || (error as Error).name === 'NotFound';

/** A small JSON report, or undefined when the ingestion did not write it. */
export async function readJsonReport<T>(s3: S3Client, bucket: string, key: string): Promise<T | undefined> {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return JSON.parse(await object.Body!.transformToString('utf8')) as T;
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

export async function readCounts(
  s3: S3Client,
  bucket: string,
  ingestionId: string,
): Promise<IngestionCounts | undefined> {
  const summary = await readJsonReport<{ counts?: IngestionCounts }>(
    s3,
    bucket,
    ingestionKeys.summaryReport(ingestionId),
  );
  return summary?.counts;
}

/** Stop signal for the stream once enough rejects were counted. */
class EnoughRead extends Error {}

/**
 * Rejects counted by reason, streamed from `reports/<id>/rejects.json` (a JSON array of
 * `{index, id, reason, message}`) without holding it: a file of a million bad products is still one
 * pass of bounded memory, and the count stops at MAX_REJECTS_READ.
 */
export async function readRejectsByReason(
  s3: S3Client,
  bucket: string,
  ingestionId: string,
): Promise<RejectsByReason | undefined> {
  let body: Readable;
  try {
    const object = await s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: ingestionKeys.rejectsReport(ingestionId) }),
    );
    body = object.Body as Readable;
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
  const byReason: Record<string, number> = {};
  let read = 0;
  const counter = new Writable({
    objectMode: true,
    write({ value }: { value: { reason?: unknown } }, _encoding, done) {
      if (read === MAX_REJECTS_READ) return done(new EnoughRead());
      read += 1;
      const reason = typeof value?.reason === 'string' ? value.reason : '(no reason)';
      byReason[reason] = (byReason[reason] ?? 0) + 1;
      done();
    },
  });
  try {
    await pipeline(body, parser(), streamArray(), counter);
    return { byReason, truncated: false };
  } catch (error) {
    if (error instanceof EnoughRead) return { byReason, truncated: true };
    throw error;
  }
}

export interface ReportObject {
  readonly key: string;
  readonly bytes: number;
}

/** Every object under `reports/<id>/` (summary, rejects, failed batches, failure, per-batch reports). */
export async function listReports(
  s3: S3Client,
  bucket: string,
  ingestionId: string,
): Promise<ReportObject[]> {
  const prefix = ingestionKeys.summaryReport(ingestionId).replace(/summary\.json$/, '');
  const objects: ReportObject[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const object of page.Contents ?? []) objects.push({ key: object.Key!, bytes: object.Size ?? 0 });
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return objects;
}
