import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { ingestionFailedDetailSchema } from '../../../contracts/events';
import { handler as reportFailure } from '../../../lambdas/handlers/report-failure';
import type { S3Emulator } from '../../../local/s3/s3-emulator';
import { getJson, putText, startHandlerS3, TEST_BUCKET } from './s3-test-env';

const eventBridge = mockClient(EventBridgeClient);
let s3: S3Client;
let emulator: S3Emulator;

beforeAll(async () => {
  ({ s3, emulator } = await startHandlerS3());
  process.env.EVENT_BUS_NAME = 'products-test';
});
afterAll(() => emulator.stop());
beforeEach(() => {
  eventBridge.reset();
  eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'event-1' }] });
});

const executionArn = (name: string) =>
  `arn:aws:states:us-east-1:000000000000:execution:ProductIngestion-test:${name}`;

/** A "Step Functions Execution Status Change" event as Step Functions puts it on the default bus. */
function statusChange(name: string, detail: Record<string, unknown>) {
  return {
    version: '0',
    id: `event-${name}`,
    'detail-type': 'Step Functions Execution Status Change',
    source: 'aws.states',
    account: '000000000000',
    time: '2026-12-07T10:00:00Z',
    region: 'us-east-1',
    resources: [executionArn(name)],
    detail: {
      executionArn: executionArn(name),
      stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:ProductIngestion-test',
      name,
      startDate: 1796637600000,
      stopDate: 1796637660000,
      input: JSON.stringify({
        'detail-type': 'Object Created',
        source: 'aws.s3',
        detail: { bucket: { name: TEST_BUCKET }, object: { key: `incoming/${name}.json`, size: 10 } },
      }),
      inputDetails: { included: true },
      output: null,
      outputDetails: null,
      ...detail,
    },
  };
}

const putDetails = () =>
  eventBridge.commandCalls(PutEventsCommand).flatMap((call) =>
    (call.args[0].input.Entries ?? []).map((entry) => ({
      ...entry,
      Detail: ingestionFailedDetailSchema.parse(JSON.parse(entry.Detail!)),
    })),
  );

describe('ReportFailure: one IngestionFailed per failed execution, from its status change', () => {
  it('reports a failure no Catch could handle, with the upload it was for, and writes failure.json', async () => {
    const cause =
      "The state/task 'ForEachBatch' returned a result with a size exceeding the maximum number of bytes service limit.";
    await reportFailure(
      statusChange('exec-data-limit', { status: 'FAILED', error: 'States.DataLimitExceeded', cause }),
    );

    expect(putDetails()).toEqual([
      {
        EventBusName: 'products-test',
        Source: 'product-pipeline.ingestion',
        DetailType: 'IngestionFailed',
        Resources: [executionArn('exec-data-limit')],
        Detail: {
          ingestionId: 'exec-data-limit',
          status: 'FAILED',
          sourceBucket: TEST_BUCKET,
          sourceKey: 'incoming/exec-data-limit.json',
          error: 'States.DataLimitExceeded',
          cause,
          executionArn: executionArn('exec-data-limit'),
        },
      },
    ]);
    expect(await getJson(s3, 'reports/exec-data-limit/failure.json')).toMatchObject({
      ingestionId: 'exec-data-limit',
      step: 'StateMachine',
      error: 'States.DataLimitExceeded',
      cause,
    });
  });

  it("keeps the failing step's own failure.json", async () => {
    const stepReport = {
      ingestionId: 'exec-not-json',
      step: 'Validate',
      error: 'NotJson',
      cause: 'at byte 3',
      time: 't',
    };
    await putText(s3, 'reports/exec-not-json/failure.json', JSON.stringify(stepReport));
    await reportFailure(
      statusChange('exec-not-json', { status: 'FAILED', error: 'NotJson', cause: 'at byte 3' }),
    );
    expect(await getJson(s3, 'reports/exec-not-json/failure.json')).toEqual(stepReport);
    expect(putDetails()).toHaveLength(1);
  });

  it('names a timed-out or aborted execution that carries no error by its status', async () => {
    await reportFailure(statusChange('exec-timeout', { status: 'TIMED_OUT', error: null, cause: null }));
    await reportFailure(statusChange('exec-stopped', { status: 'ABORTED', error: null, cause: null }));
    expect(putDetails().map(({ Detail }) => [Detail.status, Detail.error, Detail.cause])).toEqual([
      ['TIMED_OUT', 'ExecutionTimedOut', 'The execution ended TIMED_OUT.'],
      ['ABORTED', 'ExecutionAborted', 'The execution ended ABORTED.'],
    ]);
  });

  it('sends no IngestionFailed for ProductsNotPublished: IngestionCompleted already reported those products', async () => {
    await reportFailure(
      statusChange('exec-partial', { status: 'FAILED', error: 'ProductsNotPublished', cause: 'see report' }),
    );
    expect(putDetails()).toEqual([]);
  });

  it('reports an execution started by hand without a source', async () => {
    await reportFailure(
      statusChange('exec-manual', { status: 'FAILED', error: 'States.Runtime', cause: 'x', input: '{}' }),
    );
    expect(putDetails()[0].Detail).not.toHaveProperty('sourceKey');
  });

  it('throws when EventBridge refuses the event, so Lambda retries and then dead-letters it', async () => {
    eventBridge.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }],
    });
    await expect(
      reportFailure(statusChange('exec-refused', { status: 'FAILED', error: 'States.Runtime', cause: 'x' })),
    ).rejects.toThrow('IngestionFailed not put: InternalFailure try again');
  });
});
