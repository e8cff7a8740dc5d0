import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, ListExecutionsCommand } from '@aws-sdk/client-sfn';
import type { EventBridgeEnvelope } from '../../contracts/eventbridge-envelope';
import { productIngestedDetailSchema } from '../../contracts/product-ingested';
import { drainEnvelopes, onlyEnvelope } from '../local/event-queue';
import { OBSERVER_QUEUE_NAME, pipelineTemplateWithObserver } from '../local/pipeline-template';
import { useLocalAws } from '../local/use-local-aws';

const SAMPLES = path.join(__dirname, '..', '..', 'samples');
const sample = (name: string) => readFileSync(path.join(SAMPLES, name));
const productCount = (name: string) => (JSON.parse(sample(name).toString('utf8')) as unknown[]).length;

const startupLog: string[] = [];
const runtime = useLocalAws(pipelineTemplateWithObserver, startupLog);

const bucket = () => runtime().pipeline.env.INGEST_BUCKET;
const observerQueueUrl = () =>
  runtime().pipeline.env.PRODUCT_INGEST_QUEUE_URL.replace(/[^/]+$/, OBSERVER_QUEUE_NAME);

async function upload(key: string, body: Buffer | string): Promise<void> {
  const { s3 } = runtime();
  await s3.send(new PutObjectCommand({ Bucket: bucket(), Key: key, Body: body }));
}

async function executionsWithInput() {
  const { pipeline, sfn } = runtime();
  const { executions = [] } = await sfn.send(
    new ListExecutionsCommand({ stateMachineArn: pipeline.env.STATE_MACHINE_ARN }),
  );
  return Promise.all(
    executions.map((item) => sfn.send(new DescribeExecutionCommand({ executionArn: item.executionArn }))),
  );
}

const keyOf = (input: string | undefined) =>
  (JSON.parse(input ?? '{}') as { detail?: { object?: { key?: string } } }).detail?.object?.key;

/** The ended execution the upload of `key` started (found through the API, as a user would). */
async function endedExecutionFor(key: string) {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const execution = (await executionsWithInput()).find((candidate) => keyOf(candidate.input) === key);
    if (execution && execution.status !== 'RUNNING') return execution;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no ended execution for ${key}`);
}

async function s3Json<T>(key: string): Promise<T> {
  const { s3 } = runtime();
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket(), Key: key }));
  return JSON.parse(await object.Body!.transformToString('utf8')) as T;
}

function ingestedProducts(envelopes: readonly EventBridgeEnvelope[]) {
  return envelopes.map((envelope) => {
    expect(envelope).toMatchObject({
      source: 'product-pipeline.ingestion',
      'detail-type': 'ProductIngested',
    });
    return productIngestedDetailSchema.parse(envelope.detail);
  });
}

describe('the local pipeline, from the synthesized template', () => {
  it('starts with everything of the template emulated, and the env of the worker from the outputs', () => {
    const { pipeline } = runtime();
    expect(pipeline.unsupported).toEqual([]);
    expect(startupLog).toEqual([]);
    expect(pipeline.env).toMatchObject({
      AWS_ENDPOINT_URL: pipeline.endpoint,
      AWS_ENDPOINT_URL_S3: pipeline.s3Endpoint,
      AWS_ACCESS_KEY_ID: 'S3RVER',
      S3_FORCE_PATH_STYLE: 'true',
      PRODUCT_INGEST_QUEUE_URL: `${pipeline.endpoint}/000000000000/product-ingest-dev`,
      PRODUCT_INGEST_DLQ_URL: `${pipeline.endpoint}/000000000000/product-ingest-dev-dlq`,
      MEDUSA_SYNC_QUEUE_URL: `${pipeline.endpoint}/000000000000/medusa-sync-dev`,
      MEDUSA_SYNC_DLQ_URL: `${pipeline.endpoint}/000000000000/medusa-sync-dev-dlq`,
      PRODUCTS_EVENT_BUS_NAME: 'products-dev',
      INGEST_BUCKET: pipeline.model.outputs.IngestBucketName,
      STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:ProductIngestion-dev',
    });
  });

  it('ingests an uploaded export: one ProductIngested message per product, and IngestionCompleted', async () => {
    const { pipeline, sqs } = runtime();
    const key = 'incoming/shein_products.json';
    const total = productCount('shein_products.example.json');
    await upload(key, sample('shein_products.example.json'));

    const execution = await endedExecutionFor(key);
    expect(execution.status).toBe('SUCCEEDED');
    const products = ingestedProducts(await drainEnvelopes(sqs, pipeline.env.PRODUCT_INGEST_QUEUE_URL));
    expect(products.map((product) => product.ingestion.index).sort()).toEqual([...Array(total).keys()]);
    for (const { ingestion } of products) {
      expect(ingestion).toMatchObject({
        ingestionId: execution.name,
        sourceBucket: bucket(),
        sourceKey: key,
      });
    }
    expect(new Set(products.map((product) => product.product.externalId)).size).toBe(total);

    const [completed, ...others] = await drainEnvelopes(sqs, observerQueueUrl());
    expect(others).toEqual([]);
    expect(completed).toMatchObject({
      'detail-type': 'IngestionCompleted',
      resources: [execution.executionArn, pipeline.env.STATE_MACHINE_ARN],
      detail: {
        ingestionId: execution.name,
        sourceKey: key,
        counts: { total, valid: total, rejected: 0, published: total, failed: 0 },
        reportKey: `reports/${execution.name}/summary.json`,
      },
    });
  });

  it('publishes the valid products of a partly invalid export and reports the others', async () => {
    const { pipeline, s3, sqs } = runtime();
    const key = 'incoming/partly-invalid.json';
    const total = productCount('shein_products.invalid.json');
    await upload(key, sample('shein_products.invalid.json'));

    const execution = await endedExecutionFor(key);
    expect(execution.status).toBe('SUCCEEDED');
    const published = ingestedProducts(await drainEnvelopes(sqs, pipeline.env.PRODUCT_INGEST_QUEUE_URL)).map(
      (product) => product.ingestion.index,
    );
    const reports = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket(), Prefix: `reports/${execution.name}/` }),
    );
    const rejectFiles = (reports.Contents ?? [])
      .map((object) => object.Key!)
      .filter((k) => !k.endsWith('summary.json'));
    const rejected = (
      await Promise.all(rejectFiles.map((k) => s3Json<Array<{ index: number; reason: string }>>(k)))
    )
      .flat()
      .map((reject) => reject.index);
    expect(published.length).toBeGreaterThan(0);
    expect(rejected.length).toBeGreaterThan(0);
    expect([...published, ...rejected].sort((a, b) => a - b)).toEqual([...Array(total).keys()]);

    const [completed] = await drainEnvelopes(sqs, observerQueueUrl());
    expect(completed.detail).toMatchObject({
      counts: { total, published: published.length, failed: 0 },
    });
  });

  it('fails a file that is not JSON with NotJson, emits IngestionFailed, and publishes nothing', async () => {
    const { pipeline, sqs } = runtime();
    const key = 'incoming/broken.json';
    await upload(key, '[{"goods_id": 1, "goods_sn": ');

    const execution = await endedExecutionFor(key);
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('NotJson');
    expect(JSON.parse(execution.cause!)).toMatchObject({ errorType: 'NotJson' });
    expect(await drainEnvelopes(sqs, pipeline.env.PRODUCT_INGEST_QUEUE_URL)).toEqual([]);

    // IngestionFailed comes from the execution's status change, once the execution has ended.
    const failed = await onlyEnvelope(sqs, observerQueueUrl(), () => pipeline.lambdaInvocationsSettled());
    expect(failed).toMatchObject({
      'detail-type': 'IngestionFailed',
      detail: {
        ingestionId: execution.name,
        status: 'FAILED',
        sourceBucket: bucket(),
        sourceKey: key,
        error: 'NotJson',
        executionArn: execution.executionArn,
      },
    });
  });

  it('skips an upload under incoming/ that is not an export: the execution succeeds, publishing nothing', async () => {
    const { pipeline, sqs } = runtime();
    await upload('incoming/notes.txt', sample('shein_products.example.json'));
    const execution = await endedExecutionFor('incoming/notes.txt');
    expect(execution.status).toBe('SUCCEEDED');
    expect(await drainEnvelopes(sqs, pipeline.env.PRODUCT_INGEST_QUEUE_URL)).toEqual([]);
    expect(await drainEnvelopes(sqs, observerQueueUrl())).toEqual([]);
  });
});
