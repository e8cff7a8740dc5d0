import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetExecutionHistoryCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import type { LocalExecution } from '../../local/stepfunctions/local-execution';
import { generateProducts } from '../../scripts/generate/generate-products';
import { awaitEnvelopes, drainEnvelopes, onlyEnvelope } from '../local/event-queue';
import { OBSERVER_QUEUE_NAME, pipelineTemplateWithObserver } from '../local/pipeline-template';
import { useLocalAws } from '../local/use-local-aws';

/**
 * Products for one batch each (stagingBatchSize 1): more batches than the old inline design survived.
 * test/local/stepfunctions/inline-map-limits.test.ts shows that design failing on this machine's runtime
 * at 2,083 batches (the 25,000-event history) and at 3,195 (Validate's output over 256 KiB), uncaught.
 */
const PRODUCTS = 3_300;

const runtime = useLocalAws(() => pipelineTemplateWithObserver({ stagingBatchSize: 1 }));

const bucket = () => runtime().pipeline.env.INGEST_BUCKET;
const observerQueueUrl = () =>
  runtime().pipeline.env.PRODUCT_INGEST_QUEUE_URL.replace(/[^/]+$/, OBSERVER_QUEUE_NAME);

async function upload(key: string, body: string): Promise<LocalExecution> {
  const { pipeline, s3 } = runtime();
  await s3.send(new PutObjectCommand({ Bucket: bucket(), Key: key, Body: body }));
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const execution = pipeline.stepFunctions
      .listExecutions(pipeline.env.STATE_MACHINE_ARN)
      .find((candidate) => candidate.input.includes(`"key":"${key}"`));
    if (execution) return execution;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`the upload of ${key} started no execution`);
}

async function s3Json<T>(key: string): Promise<T> {
  const { s3 } = runtime();
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket(), Key: key }));
  return JSON.parse(await object.Body!.transformToString('utf8')) as T;
}

const exportOf = (count: number) =>
  JSON.stringify([...generateProducts({ count, shape: 'mixed', invalidRatio: 0, seed: 11 })]);

describe('the Distributed Map workflow, where the inline design failed', () => {
  it(`ingests ${PRODUCTS} batches: every product published once, the parent's history a few dozen events`, async () => {
    const { pipeline, sfn, sqs } = runtime();
    const execution = await upload('incoming/many-batches.json', exportOf(PRODUCTS));
    await execution.finished;
    expect({ status: execution.status, error: execution.error }).toEqual({
      status: 'SUCCEEDED',
      error: undefined,
    });

    const output = JSON.parse(execution.output!) as {
      validation: { batches: number };
      summary: { counts: object };
    };
    expect(output.validation.batches).toBe(PRODUCTS);
    expect(output.summary.counts).toEqual({
      total: PRODUCTS,
      valid: PRODUCTS,
      rejected: 0,
      published: PRODUCTS,
      failed: 0,
    });
    // The state carries counts and keys only: far under 256 KiB, whatever the number of batches.
    expect(Buffer.byteLength(execution.output!)).toBeLessThan(4096);
    const { events = [] } = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn: execution.arn, maxResults: 1000 }),
    );
    expect(events.length).toBeLessThan(60);

    const ingested = await drainEnvelopes(sqs, pipeline.env.PRODUCT_INGEST_QUEUE_URL);
    const indexes = ingested.map(
      (envelope) => (envelope.detail as { ingestion: { index: number } }).ingestion.index,
    );
    expect(new Set(indexes).size).toBe(PRODUCTS);
    expect(indexes).toHaveLength(PRODUCTS);
    const [completed] = await awaitEnvelopes(sqs, observerQueueUrl(), 1);
    expect(completed).toMatchObject({
      'detail-type': 'IngestionCompleted',
      detail: { ingestionId: execution.name },
    });
  }, 240_000);
});

describe('IngestionFailed for failures no Catch sees', () => {
  it("reports an aborted execution once, with the operator's error, and writes its failure report", async () => {
    const { pipeline, sfn, sqs } = runtime();
    const execution = await upload('incoming/stopped.json', exportOf(400));
    await sfn.send(
      new StopExecutionCommand({ executionArn: execution.arn, error: 'OperatorStop', cause: 'wrong file' }),
    );
    await execution.finished;
    expect(execution.status).toBe('ABORTED');

    const failed = await onlyEnvelope(sqs, observerQueueUrl(), () => pipeline.lambdaInvocationsSettled());
    expect(failed).toMatchObject({
      'detail-type': 'IngestionFailed',
      detail: {
        ingestionId: execution.name,
        status: 'ABORTED',
        sourceBucket: bucket(),
        sourceKey: 'incoming/stopped.json',
        error: 'OperatorStop',
        cause: 'wrong file',
        executionArn: execution.arn,
      },
    });
    expect(await s3Json(`reports/${execution.name}/failure.json`)).toMatchObject({
      step: 'StateMachine',
      error: 'OperatorStop',
      cause: 'wrong file',
    });
  });
});
