import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { JsonValue } from '../../../local/aws-json/json';
import { startAwsEndpoint, type AwsEndpoint } from '../../../local/aws-endpoint';
import { AsyncLambdaInvocations } from '../../../local/lambda/async-invocations';
import type { LambdaInvoker } from '../../../local/lambda/in-process-lambdas';
import { LambdaFunctionError } from '../../../local/lambda/lambda-function-error';
import type { FunctionModel } from '../../../local/template/stack-model';
import { synthesizeTemplate } from '../synthesized-template';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/** The stack's functions, each recording what it was invoked with; `failures` makes the next ones throw. */
class RecordingLambdas implements LambdaInvoker {
  readonly invoked: JsonValue[] = [];
  failures = 0;

  constructor(private readonly functions: readonly FunctionModel[]) {}

  find(nameOrArn: string): FunctionModel | undefined {
    return this.functions.find((fn) => fn.arn === nameOrArn || fn.name === nameOrArn);
  }

  async invoke(_nameOrArn: string, payload: JsonValue): Promise<JsonValue> {
    this.invoked.push(payload);
    if (this.failures > 0) {
      this.failures -= 1;
      throw new LambdaFunctionError('Error', 'EventBridge is unavailable');
    }
    return null;
  }
}

let runtime: AwsEndpoint;
let lambdas: RecordingLambdas;
let invocations: AsyncLambdaInvocations;
let sqs: SQSClient;

beforeAll(async () => {
  runtime = await startAwsEndpoint({ templatePath: synthesizeTemplate(), delivery: { retryDelayMs: 1 } });
  lambdas = new RecordingLambdas(runtime.model.functions);
  invocations = new AsyncLambdaInvocations(lambdas, runtime.sqs, 1);
  runtime.eventBridge.connectFunctions(invocations);
  sqs = new SQSClient({ endpoint: runtime.endpoint, region: 'us-east-1', credentials });
});
afterAll(async () => {
  sqs.destroy();
  await runtime.stop();
});
beforeEach(() => {
  lambdas.invoked.length = 0;
});

const stateMachineArn = () => runtime.model.stateMachines[0].arn;

/** "Step Functions Execution Status Change" as Step Functions puts it on the default bus. */
const statusChange = (status: string, name: string) => ({
  Source: 'aws.states',
  DetailType: 'Step Functions Execution Status Change',
  Resources: [`${stateMachineArn().replace(':stateMachine:', ':execution:')}:${name}`],
  Detail: JSON.stringify({
    executionArn: 'x',
    stateMachineArn: stateMachineArn(),
    name,
    status,
    error: null,
  }),
});

describe('Lambda targets: the rule on failed executions invokes ReportFailure asynchronously', () => {
  it('hands a failed, timed-out or aborted execution to the function, as the whole event', async () => {
    for (const status of ['FAILED', 'TIMED_OUT', 'ABORTED']) {
      await runtime.eventBridge.putEvent('default', statusChange(status, `exec-${status}`));
    }
    await invocations.settled();
    expect(lambdas.invoked).toEqual(
      ['FAILED', 'TIMED_OUT', 'ABORTED'].map((status) =>
        expect.objectContaining({
          source: 'aws.states',
          'detail-type': 'Step Functions Execution Status Change',
          detail: expect.objectContaining({ name: `exec-${status}`, status }),
        }),
      ),
    );
  });

  it('does not invoke it for an execution that succeeded or is still running', async () => {
    await runtime.eventBridge.putEvent('default', statusChange('SUCCEEDED', 'exec-ok'));
    await runtime.eventBridge.putEvent('default', statusChange('RUNNING', 'exec-running'));
    await invocations.settled();
    expect(lambdas.invoked).toEqual([]);
  });

  it("retries a failing invocation twice, then puts the event in the function's dead-letter queue", async () => {
    lambdas.failures = 3;
    await runtime.eventBridge.putEvent('default', statusChange('FAILED', 'exec-unreported'));
    await invocations.settled();
    expect(lambdas.invoked).toHaveLength(3);

    const dlq = runtime.model.queues.find(
      (queue) => queue.name === 'product-ingestion-report-failure-dev-dlq',
    )!;
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: dlq.url, MessageAttributeNames: ['All'], WaitTimeSeconds: 0 }),
    );
    expect(Messages).toHaveLength(1);
    expect(JSON.parse(Messages[0].Body!)).toMatchObject({ detail: { name: 'exec-unreported' } });
    expect(Messages[0].MessageAttributes?.ErrorMessage?.StringValue).toBe(
      'Error: EventBridge is unavailable',
    );
    expect(Messages[0].MessageAttributes?.RequestID?.StringValue).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses an invocation of a function the stack does not have, so EventBridge dead-letters the event', () => {
    expect(() =>
      invocations.invokeAsync('arn:aws:lambda:us-east-1:000000000000:function:nope', '{}'),
    ).toThrow(expect.objectContaining({ name: 'ResourceNotFoundException' }));
  });
});
