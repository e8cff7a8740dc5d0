import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DETAIL_TYPES, ingestionSkippedDetailSchema } from '../../contracts/events';
import type { CfnTemplate } from '../../local/template/cfn-template';
import { startLocalAws, type LocalAws } from '../../local/local-aws';
import { LOCAL_CREDENTIALS } from '../../local/s3/s3-emulator';
import { productWithSizes } from '../lambdas/fixtures';
import { drainEnvelopes } from '../local/event-queue';
import { OBSERVER_QUEUE_NAME, pipelineTemplateWithObserver } from '../local/pipeline-template';

/**
 * Uploads issue 15 found to go wrong, through the synthesized stack on the local AWS runtime: files that
 * started nothing (x.txt, X.JSON, gzip), a gzip bomb, a product too large for one event, and what a
 * failed ingestion lets out (its cause) and keeps (its report).
 */
const SAMPLE = path.join(__dirname, '..', '..', 'samples', 'shein_products.example.json');
const EXAMPLE = readFileSync(SAMPLE);
const EXAMPLE_COUNT = (JSON.parse(EXAMPLE.toString('utf8')) as unknown[]).length;
/** Small, so the gzip bomb is small: uploads and what they decompress to are held to it. */
const MAX_OBJECT_BYTES = 8 * 1024 * 1024;

/** The observer queue of pipelineTemplateWithObserver, receiving IngestionSkipped as well. */
function templateObservingSkips(): string {
  const templatePath = pipelineTemplateWithObserver();
  const template = JSON.parse(readFileSync(templatePath, 'utf8')) as CfnTemplate;
  const pattern = template.Resources.TestIngestionOutcomesRule!.Properties!.EventPattern as {
    'detail-type': string[];
  };
  pattern['detail-type'].push(DETAIL_TYPES.ingestionSkipped);
  writeFileSync(templatePath, JSON.stringify(template));
  return templatePath;
}

let pipeline: LocalAws;
let s3: S3Client;
let sqs: SQSClient;

beforeAll(async () => {
  pipeline = await startLocalAws({
    templatePath: templateObservingSkips(),
    lambdaEnvironment: {
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
      MAX_OBJECT_BYTES: String(MAX_OBJECT_BYTES),
    },
    log: () => undefined,
  });
  const config = { region: pipeline.env.AWS_REGION, credentials: LOCAL_CREDENTIALS };
  s3 = new S3Client({ ...config, endpoint: pipeline.s3Endpoint, forcePathStyle: true });
  sqs = new SQSClient({ ...config, endpoint: pipeline.endpoint });
});

afterAll(async () => {
  [s3, sqs].forEach((client) => client?.destroy());
  await pipeline?.stop();
});

const bucket = () => pipeline.env.INGEST_BUCKET;
const observerQueueUrl = () => pipeline.env.PRODUCT_INGEST_QUEUE_URL.replace(/[^/]+$/, OBSERVER_QUEUE_NAME);

/** Uploads `body` as `key` and waits for the execution it starts to end. */
async function ingest(key: string, body: Buffer | string) {
  const uploadedAt = Date.now();
  await s3.send(new PutObjectCommand({ Bucket: bucket(), Key: key, Body: body }));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const execution = pipeline.stepFunctions
      .listExecutions(pipeline.env.STATE_MACHINE_ARN)
      .find(
        (candidate) => candidate.input.includes(JSON.stringify(key)) && candidate.startDate >= uploadedAt,
      );
    if (execution && execution.status !== 'RUNNING') return execution;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no ended execution for ${key}`);
}

async function keysUnder(prefix: string): Promise<string[]> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket(), Prefix: prefix }));
  return (listed.Contents ?? []).map((object) => object.Key!);
}

async function s3Json(key: string): Promise<unknown> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket(), Key: key }));
  return JSON.parse(await object.Body!.transformToString('utf8'));
}

afterEach(async () => {
  await drainEnvelopes(sqs, pipeline.env.PRODUCT_INGEST_QUEUE_URL);
});

describe('uploads that used to start nothing (item 7)', () => {
  it('skips x.txt with IngestionSkipped naming why: the execution succeeds, nothing is staged', async () => {
    const execution = await ingest('incoming/x.txt', EXAMPLE);
    expect(execution.status).toBe('SUCCEEDED');

    const [skipped, ...others] = await drainEnvelopes(sqs, observerQueueUrl());
    expect(others).toEqual([]);
    expect(skipped).toMatchObject({
      source: 'product-pipeline.ingestion',
      'detail-type': 'IngestionSkipped',
    });
    expect(ingestionSkippedDetailSchema.parse(skipped!.detail)).toEqual({
      ingestionId: execution.name,
      sourceBucket: bucket(),
      sourceKey: 'incoming/x.txt',
      reason: 'unsupported file type .txt: upload .json, .jsonl, .ndjson (optionally .gz)',
    });
    expect(await keysUnder(`staging/${execution.name}/`)).toEqual([]);
    expect(await keysUnder(`reports/${execution.name}/`)).toEqual([]);
    expect(await drainEnvelopes(sqs, pipeline.env.PRODUCT_INGEST_QUEUE_URL)).toEqual([]);
  });

  it.each([
    ['an upper-case name', 'incoming/X.JSON', EXAMPLE],
    ['gzip', 'incoming/example.json.gz', gzipSync(EXAMPLE)],
  ])('ingests %s', async (_, key, body) => {
    const execution = await ingest(key, body);
    expect(execution.status).toBe('SUCCEEDED');
    const [completed, ...others] = await drainEnvelopes(sqs, observerQueueUrl());
    expect(others).toEqual([]);
    expect(completed).toMatchObject({
      'detail-type': 'IngestionCompleted',
      detail: {
        sourceKey: key,
        counts: { total: EXAMPLE_COUNT, valid: EXAMPLE_COUNT, published: EXAMPLE_COUNT, failed: 0 },
      },
    });
    expect(await drainEnvelopes(sqs, pipeline.env.PRODUCT_INGEST_QUEUE_URL)).toHaveLength(EXAMPLE_COUNT);
  });
});

describe('a failed ingestion (items 7 and 12)', () => {
  it('fails a gzip bomb with DecompressedTooLarge: a cause without stack or paths, and failure.json', async () => {
    const bomb = gzipSync(Buffer.concat([Buffer.from('['), Buffer.alloc(4 * MAX_OBJECT_BYTES, 0x20)]));
    expect(bomb.length).toBeLessThan(MAX_OBJECT_BYTES / 100);
    const execution = await ingest('incoming/bomb.json.gz', bomb);
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('DecompressedTooLarge');

    const [failed, ...others] = await drainEnvelopes(sqs, observerQueueUrl());
    expect(others).toEqual([]);
    const message = `the upload decompresses to more than the limit of ${MAX_OBJECT_BYTES} bytes; reading stopped there`;
    expect(failed).toMatchObject({
      'detail-type': 'IngestionFailed',
      detail: {
        ingestionId: execution.name,
        sourceKey: 'incoming/bomb.json.gz',
        error: 'DecompressedTooLarge',
      },
    });
    const { cause } = failed!.detail as { cause: string };
    expect(JSON.parse(cause)).toEqual({
      errorType: 'DecompressedTooLarge',
      errorMessage: message,
      trace: [`DecompressedTooLarge: ${message}`],
    });
    expect(cause).not.toMatch(/\bat |\.ts\b|\/work\/|node_modules/);
    expect(execution.cause).toBe(cause);

    expect(await s3Json(`reports/${execution.name}/failure.json`)).toEqual({
      ingestionId: execution.name,
      step: 'Validate',
      error: 'DecompressedTooLarge',
      cause: message,
      time: expect.any(String),
    });
    expect(await s3Json(`reports/${execution.name}/rejects.json`)).toEqual([]);
  });
});

describe('a broken .json (item 12)', () => {
  it('lets out the name and message of its error only, and keeps the error in failure.json', async () => {
    const execution = await ingest('incoming/cut.json', '[{"goods_id": 1},');
    expect(execution.status).toBe('FAILED');
    const [failed] = await drainEnvelopes(sqs, observerQueueUrl());
    const cause = JSON.parse((failed!.detail as { cause: string }).cause) as Record<string, unknown>;
    expect(cause).toEqual({
      errorType: 'NotJson',
      errorMessage: expect.stringContaining('the upload ends before the array is closed'),
      trace: [`NotJson: ${String(cause.errorMessage)}`],
    });
    expect(await s3Json(`reports/${execution.name}/failure.json`)).toMatchObject({
      step: 'Validate',
      error: 'NotJson',
      cause: cause.errorMessage,
    });
  });
});

describe('a product too large for one event (item 6)', () => {
  it('is rejected at validation, and the ingestion succeeds with the others published', async () => {
    const examples = JSON.parse(EXAMPLE.toString('utf8')) as unknown[];
    const execution = await ingest(
      'incoming/many-variants.json',
      JSON.stringify([...examples, productWithSizes(5000)]),
    );
    expect(execution.status).toBe('SUCCEEDED');
    const [completed] = await drainEnvelopes(sqs, observerQueueUrl());
    expect(completed?.detail).toMatchObject({
      counts: { total: EXAMPLE_COUNT + 1, rejected: 1, published: EXAMPLE_COUNT, failed: 0 },
    });
    expect(await s3Json(`reports/${execution.name}/rejects.json`)).toEqual([
      expect.objectContaining({ index: EXAMPLE_COUNT, reason: 'product_too_large' }),
    ]);
  });
});
