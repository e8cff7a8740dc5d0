import {
  DescribeExecutionCommand,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { AwsJsonRouter } from '../../local/aws-json/aws-json-protocol';
import { listen, type HttpListener } from '../../local/aws-json/http-listener';
import { stepFunctionsService } from '../../local/stepfunctions/step-functions-service';
import {
  finished,
  fixtureFunction,
  lambdaArn,
  stateMachine,
  stepFunctionsWith,
} from './step-functions-harness';

const FUNCTIONS = [
  fixtureFunction('echo'),
  fixtureFunction('failNamed'),
  fixtureFunction('double'),
  fixtureFunction('sleepTwoSeconds', 1),
];

const notifyFailure = {
  Type: 'Task',
  Resource: 'arn:aws:states:::events:putEvents',
  Parameters: {
    Entries: [
      {
        Source: 'test.workflow',
        DetailType: 'Failed',
        EventBusName: 'products',
        Detail: { 'error.$': '$.error.Error', 'input.$': '$.reason' },
      },
    ],
  },
  ResultPath: null,
  Next: 'Failed',
};

const MACHINES = [
  stateMachine('Echo', {
    StartAt: 'Prepare',
    States: {
      Prepare: {
        Type: 'Pass',
        Parameters: { 'ingestionId.$': '$$.Execution.Name', 'payload.$': '$' },
        Next: 'Echo',
      },
      Echo: { Type: 'Task', Resource: lambdaArn('echo'), End: true },
    },
  }),
  stateMachine('Failing', {
    StartAt: 'Validate',
    States: { Validate: { Type: 'Task', Resource: lambdaArn('failNamed'), End: true } },
  }),
  stateMachine('Catching', {
    StartAt: 'Validate',
    States: {
      Validate: {
        Type: 'Task',
        Resource: lambdaArn('failNamed'),
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Notify' }],
        End: true,
      },
      Notify: notifyFailure,
      Failed: { Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' },
    },
  }),
  stateMachine('Mapping', {
    StartAt: 'ForEach',
    States: {
      ForEach: {
        Type: 'Map',
        ItemsPath: '$.items',
        ItemSelector: { 'value.$': '$$.Map.Item.Value' },
        MaxConcurrency: 2,
        ItemProcessor: {
          ProcessorConfig: { Mode: 'INLINE' },
          StartAt: 'Double',
          States: { Double: { Type: 'Task', Resource: lambdaArn('double'), End: true } },
        },
        End: true,
      },
    },
  }),
  stateMachine('Invoking', {
    StartAt: 'Invoke',
    States: {
      Invoke: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: { FunctionName: lambdaArn('double'), 'Payload.$': '$' },
        ResultSelector: { 'doubled.$': '$.Payload', 'status.$': '$.StatusCode' },
        End: true,
      },
    },
  }),
  stateMachine('TimingOut', {
    TimeoutSeconds: 1,
    StartAt: 'Wait',
    States: { Wait: { Type: 'Wait', Seconds: 5, End: true } },
  }),
  stateMachine('SlowLambda', {
    StartAt: 'Slow',
    States: { Slow: { Type: 'Task', Resource: lambdaArn('sleepTwoSeconds'), End: true } },
  }),
  stateMachine('Waiting', {
    StartAt: 'Wait',
    States: { Wait: { Type: 'Wait', Seconds: 30, End: true } },
  }),
  stateMachine('Unsupported', {
    StartAt: 'Send',
    States: {
      Send: {
        Type: 'Task',
        Resource: 'arn:aws:states:::sqs:sendMessage',
        Parameters: { QueueUrl: 'https://example.invalid/q', MessageBody: 'x' },
        Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
        End: true,
      },
      Caught: { Type: 'Succeed' },
    },
  }),
  stateMachine('FailedEntry', {
    StartAt: 'Emit',
    States: {
      Emit: {
        Type: 'Task',
        Resource: 'arn:aws:states:::events:putEvents',
        Parameters: { Entries: [{ Source: 'fail', DetailType: 'X', Detail: { a: 1 } }] },
        End: true,
      },
    },
  }),
];

const arnOf = (name: string) => `arn:aws:states:us-east-1:000000000000:stateMachine:${name}`;

describe('LocalStepFunctions', () => {
  const { stepFunctions, events } = stepFunctionsWith(MACHINES, FUNCTIONS);
  const run = (name: string, input: unknown = {}, executionName?: string) =>
    finished(
      stepFunctions.start({
        stateMachineArn: arnOf(name),
        input: JSON.stringify(input),
        name: executionName,
      }),
    );

  afterAll(() => stepFunctions.stop());

  it('runs a Lambda task in-process and succeeds with its output; $$.Execution.Name is the execution name', async () => {
    const execution = await run('Echo', { file: 'a.json' }, 'ingestion-1');
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.arn).toBe('arn:aws:states:us-east-1:000000000000:execution:Echo:ingestion-1');
    expect(JSON.parse(execution.output!)).toEqual({
      received: { ingestionId: 'ingestion-1', payload: { file: 'a.json' } },
      fixtureVariable: null,
    });
    expect(execution.stopDate).toBeGreaterThanOrEqual(execution.startDate);
  });

  it('names an execution with a UUID when no name is given', async () => {
    const execution = await run('Echo');
    expect(execution.name).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('fails with the name of the error the handler threw and the Lambda error payload as cause', async () => {
    const execution = await run('Failing', { reason: 'nothing valid' });
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('NoValidProduct');
    expect(JSON.parse(execution.cause!)).toMatchObject({
      errorType: 'NoValidProduct',
      errorMessage: 'nothing valid',
      trace: expect.arrayContaining([expect.stringContaining('NoValidProduct: nothing valid')]),
    });
  });

  it('follows Catch with the error as state data, puts the event, and fails with ErrorPath / CausePath', async () => {
    const before = events.entries.length;
    const execution = await run('Catching', { reason: 'bad file' });
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('NoValidProduct');
    expect(JSON.parse(execution.cause!)).toMatchObject({ errorMessage: 'bad file' });
    expect(events.entries.slice(before)).toEqual([
      {
        Source: 'test.workflow',
        DetailType: 'Failed',
        EventBusName: 'products',
        Detail: JSON.stringify({ error: 'NoValidProduct', input: 'bad file' }),
        Resources: [execution.arn, arnOf('Catching')],
        TraceHeader: undefined,
      },
    ]);
  });

  it('runs Map iterations with ItemSelector and $$.Map.Item.Value', async () => {
    const execution = await run('Mapping', { items: [1, 2, 3, 4, 5] });
    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output!)).toEqual([2, 4, 6, 8, 10]);
  });

  it('runs lambda:invoke tasks with the Invoke response around the payload', async () => {
    const execution = await run('Invoking', { value: 21 });
    expect(JSON.parse(execution.output!)).toEqual({ doubled: 42, status: 200 });
  });

  it('times out an execution after its TimeoutSeconds', async () => {
    const execution = await run('TimingOut');
    expect(execution.status).toBe('TIMED_OUT');
    expect(execution.error).toBe('States.Timeout');
    // Stopped by its 1 s timeout, not by the end of its 5 s Wait (that would be SUCCEEDED): not before it.
    expect(execution.stopDate! - execution.startDate).toBeGreaterThanOrEqual(950);
  });

  it('ends a Lambda invocation at the function timeout, as Lambda reports it', async () => {
    const execution = await run('SlowLambda');
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('Sandbox.Timedout');
    expect(JSON.parse(execution.cause!).errorMessage).toMatch(/Task timed out after 1\.00 seconds/);
  });

  it('fails a task whose resource is not emulated, past any Catch, and lists it', async () => {
    const execution = await run('Unsupported');
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('States.Runtime');
    expect(execution.cause).toMatch(
      /arn:aws:states:::sqs:sendMessage: this service integration is not emulated/,
    );
    expect(stepFunctions.unsupported).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ logicalId: 'Unsupported', reason: expect.stringMatching(/state Send/) }),
      ]),
    );
  });

  it('fails a putEvents task with EventBridge.FailedEntry when an entry is refused', async () => {
    const execution = await run('FailedEntry');
    expect(execution.error).toBe('EventBridge.FailedEntry');
    expect(JSON.parse(execution.cause!)).toMatchObject({ FailedEntryCount: 1 });
  });

  it('stops a running execution as ABORTED', async () => {
    const execution = stepFunctions.start({ stateMachineArn: arnOf('Waiting') });
    stepFunctions.stopExecution(execution.arn, 'Operator', 'changed my mind');
    await execution.finished;
    expect(execution).toMatchObject({ status: 'ABORTED', error: 'Operator', cause: 'changed my mind' });
  });

  it('answers the API errors for bad starts', async () => {
    const start = (request: { stateMachineArn: string; input?: string; name?: string }) => () =>
      stepFunctions.start(request);
    expect(start({ stateMachineArn: arnOf('Nope') })).toThrow(
      expect.objectContaining({ name: 'StateMachineDoesNotExist' }),
    );
    expect(start({ stateMachineArn: arnOf('Echo'), input: '{not json' })).toThrow(
      expect.objectContaining({ name: 'InvalidExecutionInput' }),
    );
    expect(start({ stateMachineArn: arnOf('Echo'), name: 'has space' })).toThrow(
      expect.objectContaining({ name: 'InvalidName' }),
    );
    await run('Echo', {}, 'taken');
    expect(start({ stateMachineArn: arnOf('Echo'), name: 'taken' })).toThrow(
      expect.objectContaining({ name: 'ExecutionAlreadyExists' }),
    );
  });

  it('returns the running execution for a repeated start with the same name and input', () => {
    const first = stepFunctions.start({ stateMachineArn: arnOf('Waiting'), name: 'once', input: '{"a":1}' });
    const again = stepFunctions.start({ stateMachineArn: arnOf('Waiting'), name: 'once', input: '{"a":1}' });
    expect(again).toBe(first);
    first.stop();
  });
});

describe('the Step Functions API (AWS JSON 1.0) through @aws-sdk/client-sfn', () => {
  const { stepFunctions } = stepFunctionsWith(MACHINES, FUNCTIONS);
  let listener: HttpListener;
  let client: SFNClient;

  beforeAll(async () => {
    listener = await listen();
    const router = new AwsJsonRouter();
    router.mount(stepFunctionsService(stepFunctions));
    listener.serve(router.listener);
    client = new SFNClient({
      endpoint: listener.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  });
  afterAll(async () => {
    client.destroy();
    await stepFunctions.stop();
    await listener.close();
  });

  /** The execution once it has ended: a ceiling of 20 s for a loaded machine, not a limit on its speed. */
  async function described(executionArn: string) {
    for (const deadline = Date.now() + 20_000; Date.now() < deadline;) {
      const execution = await client.send(new DescribeExecutionCommand({ executionArn }));
      if (execution.status !== 'RUNNING') return execution;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`${executionArn} is still running after 20 s`);
  }

  it('starts, describes and lists executions', async () => {
    const { executionArn, startDate } = await client.send(
      new StartExecutionCommand({
        stateMachineArn: arnOf('Failing'),
        name: 'api-1',
        input: '{"reason":"r"}',
      }),
    );
    expect(startDate).toBeInstanceOf(Date);
    const execution = await described(executionArn!);
    expect(execution).toMatchObject({
      executionArn,
      stateMachineArn: arnOf('Failing'),
      name: 'api-1',
      status: 'FAILED',
      input: '{"reason":"r"}',
      error: 'NoValidProduct',
    });
    expect(execution.stopDate).toBeInstanceOf(Date);

    await client.send(new StartExecutionCommand({ stateMachineArn: arnOf('Failing'), name: 'api-2' }));
    const listed = await client.send(new ListExecutionsCommand({ stateMachineArn: arnOf('Failing') }));
    expect(listed.executions!.map((item) => item.name)).toEqual(['api-2', 'api-1']);
    const page = await client.send(
      new ListExecutionsCommand({ stateMachineArn: arnOf('Failing'), maxResults: 1 }),
    );
    expect(page.executions).toHaveLength(1);
    const next = await client.send(
      new ListExecutionsCommand({
        stateMachineArn: arnOf('Failing'),
        maxResults: 1,
        nextToken: page.nextToken,
      }),
    );
    expect(next.executions!.map((item) => item.name)).toEqual(['api-1']);
  });

  it('returns the execution history in the AWS event shapes', async () => {
    const { executionArn } = await client.send(
      new StartExecutionCommand({ stateMachineArn: arnOf('Mapping'), input: '{"items":[1]}' }),
    );
    await described(executionArn!);
    const { events } = await client.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(events!.map((event) => event.type)).toEqual([
      'ExecutionStarted',
      'MapStateEntered',
      'MapStateStarted',
      'MapIterationStarted',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
      'TaskStateExited',
      'MapIterationSucceeded',
      'MapStateSucceeded',
      'MapStateExited',
      'ExecutionSucceeded',
    ]);
    expect(events![0]).toMatchObject({ id: 1, executionStartedEventDetails: { input: '{"items":[1]}' } });
    expect(events!.at(-1)).toMatchObject({ executionSucceededEventDetails: { output: '[2]' } });
  });

  it('stops an execution and reports unknown ones with the SDK exception class', async () => {
    const { executionArn } = await client.send(
      new StartExecutionCommand({ stateMachineArn: arnOf('Waiting') }),
    );
    const { stopDate } = await client.send(new StopExecutionCommand({ executionArn, error: 'Stop' }));
    expect(stopDate).toBeInstanceOf(Date);
    expect(await described(executionArn!)).toMatchObject({ status: 'ABORTED', error: 'Stop' });
    await expect(
      client.send(new DescribeExecutionCommand({ executionArn: `${executionArn}-missing` })),
    ).rejects.toBeInstanceOf(ExecutionDoesNotExist);
  });

  it('lists the state machines', async () => {
    const { stateMachines } = await client.send(new ListStateMachinesCommand({}));
    expect(stateMachines!.map((machine) => machine.name)).toEqual(MACHINES.map((machine) => machine.name));
  });
});
