import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { Upload as MultipartUpload } from '@aws-sdk/lib-storage';
import type { CanonicalProduct } from '../../contracts/canonical-product';
import { INCOMING_PREFIX } from '../../contracts/events';
import { ingestionKeys, summarizeOutputSchema, type SummarizeOutput } from '../../contracts/workflow';
import { canonicalBatchFileSchema } from '../../lambdas/staging/canonical-batch';
import type { LocalStepFunctions } from '../stepfunctions/local-step-functions';
import { waitFor } from './wait';

export interface Upload {
  readonly bucket: string;
  readonly key: string;
  /** Epoch ms just before the PutObject. */
  readonly uploadedAt: number;
}

/**
 * Puts a local file under incoming/ (its own name unless `key` is given), which starts an ingestion.
 * Streamed in parts (as `aws s3 cp` does for large files): one PUT of a 100 MB export can outlast the
 * server's request timeout on a loaded machine, and a part that fails is retried alone.
 */
export async function uploadFile(s3: S3Client, bucket: string, file: string, key?: string): Promise<Upload> {
  const objectKey = key ?? `${INCOMING_PREFIX}${basename(file)}`;
  const uploadedAt = Date.now();
  await new MultipartUpload({
    client: s3,
    params: { Bucket: bucket, Key: objectKey, Body: createReadStream(file) },
    partSize: 8 * 1024 * 1024,
    queueSize: 2,
  }).done();
  return { bucket, key: objectKey, uploadedAt };
}

/** A product the file's ingestion set aside, as the pipeline's reports name it. */
export interface RejectedProduct {
  readonly index: number;
  readonly id?: string;
  readonly reason: string;
  readonly message: string;
}

/** What the workflow made of one upload, read from Step Functions and the reports it wrote to S3. */
export interface IngestionOutcome {
  readonly upload: Upload;
  readonly ingestionId: string;
  readonly status: string;
  /** The error and cause of a failed execution (e.g. NotJson), as IngestionFailed carries them. */
  readonly error?: string;
  readonly cause?: string;
  readonly summary?: SummarizeOutput;
  /** Why an upload that is not an export was skipped (IngestionSkipped's reason); it has no summary. */
  readonly skipped?: string;
  readonly rejects: readonly RejectedProduct[];
  /** The valid products, in canonical form, as Publish put them on the bus. */
  readonly products: readonly CanonicalProduct[];
}

/** Waits for the execution the upload started to end, then reads its reports and canonical batches. */
export async function awaitIngestion(
  stepFunctions: LocalStepFunctions,
  stateMachineArn: string,
  s3: S3Client,
  upload: Upload,
  timeoutMs: number,
): Promise<IngestionOutcome> {
  const find = () =>
    stepFunctions
      .listExecutions(stateMachineArn)
      .find(
        (execution) =>
          objectKeyOf(execution.input) === upload.key && execution.startDate >= upload.uploadedAt,
      );
  await waitFor(
    `the upload of ${upload.key} has started an ingestion`,
    () => find() !== undefined,
    timeoutMs,
  );
  const execution = find()!;
  await waitFor(
    `the ingestion ${execution.name} of ${upload.key} has ended`,
    () => execution.status !== 'RUNNING',
    timeoutMs,
  );
  const description = { status: execution.status, error: execution.error, cause: execution.cause };
  const ingestionId = execution.name;
  const reports = new S3Reports(s3, upload.bucket);
  const skipped = skippedReasonOf(execution.output);
  const summary =
    description.status === 'SUCCEEDED' && skipped === undefined
      ? await reports.summary(ingestionId)
      : undefined;
  return {
    upload,
    ingestionId,
    status: description.status,
    ...(description.error === undefined ? {} : { error: description.error }),
    ...(description.cause === undefined ? {} : { cause: description.cause }),
    ...(summary ? { summary } : {}),
    ...(skipped === undefined ? {} : { skipped }),
    rejects: await reports.rejects(ingestionId),
    products: await reports.canonicalProducts(ingestionId),
  };
}

/** A skipped execution's output keeps Validate's `{skipped: {reason}}` (contracts/workflow.ts). */
function skippedReasonOf(output: string | undefined): string | undefined {
  if (output === undefined) return undefined;
  const state = JSON.parse(output) as { validation?: { skipped?: { reason?: string } } };
  return state.validation?.skipped?.reason;
}

function objectKeyOf(input: string): string | undefined {
  return (JSON.parse(input) as { detail?: { object?: { key?: string } } }).detail?.object?.key;
}

/** The files the workflow leaves in the ingest bucket (contracts/workflow.ts `ingestionKeys`). */
class S3Reports {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async summary(ingestionId: string): Promise<SummarizeOutput> {
    return summarizeOutputSchema.parse(await this.json(ingestionKeys.summaryReport(ingestionId)));
  }

  /** Validate's report and Transform's per-batch ones; absent files (nothing rejected there) read as none. */
  async rejects(ingestionId: string): Promise<RejectedProduct[]> {
    const keys = [
      ingestionKeys.rejectsReport(ingestionId),
      ...(await this.keys(`reports/${ingestionId}/transform-rejects/`)),
    ];
    const lists = await Promise.all(keys.map((key) => this.json(key).catch(() => [])));
    return (lists as RejectedProduct[][]).flat().sort((a, b) => a.index - b.index);
  }

  async canonicalProducts(ingestionId: string): Promise<CanonicalProduct[]> {
    const keys = await this.keys(`staging/${ingestionId}/canonical/`);
    const batches = await Promise.all(
      keys.map(async (key) => canonicalBatchFileSchema.parse(await this.json(key))),
    );
    return batches
      .flatMap((batch) => batch.products)
      .sort((a, b) => a.index - b.index)
      .map((entry) => entry.product);
  }

  private async keys(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      keys.push(...(page.Contents ?? []).map((object) => object.Key!));
      token = page.NextContinuationToken;
    } while (token);
    return keys;
  }

  private async json(key: string): Promise<unknown> {
    const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    return JSON.parse((await object.Body?.transformToString('utf8')) ?? '');
  }
}
