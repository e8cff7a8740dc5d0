import { InProcessLambdas } from '../../../local/lambda/in-process-lambdas';
import { MAX_HISTORY_EVENTS, MAX_PAYLOAD_BYTES } from '../../../local/stepfunctions/quotas';
import { emitTask, enteredStates, eventTypes, lambdaArn, quotaFunction, runner } from './quota-harness';

const notifyThenFail = {
  Notify: emitTask('Caught', { Next: 'Failed' }),
  Failed: { Type: 'Fail', Error: 'Caught' },
};
const catchAll = [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Notify' }];

const MACHINES = {
  // A Task whose result is `bytes` long, with a Retry and a Catch on States.ALL.
  SizedResult: {
    StartAt: 'Produce',
    States: {
      Produce: {
        Type: 'Task',
        Resource: lambdaArn('sized'),
        Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 2 }],
        Catch: catchAll,
        End: true,
      },
      ...notifyThenFail,
    },
  },
  // Parameters double the input: the Task's effective input is twice the state's.
  DoubledParameters: {
    StartAt: 'Send',
    States: {
      Send: {
        Type: 'Task',
        Resource: lambdaArn('echo'),
        Parameters: { 'first.$': '$.text', 'second.$': '$.text' },
        Catch: catchAll,
        End: true,
      },
      ...notifyThenFail,
    },
  },
  // A Pass copies its input beside itself; then a Task with a side effect.
  DoubledOutput: {
    StartAt: 'Copy',
    States: {
      Copy: { Type: 'Pass', ResultPath: '$.copy', Next: 'Emit' },
      Emit: emitTask('AfterCopy', { End: true }),
    },
  },
  // Each Map iteration's input (ItemSelector) is twice the Map's text.
  DoubledItems: {
    StartAt: 'ForEach',
    States: {
      ForEach: {
        Type: 'Map',
        ItemsPath: '$.items',
        ItemSelector: { 'first.$': '$.text', 'second.$': '$.text' },
        ItemProcessor: {
          ProcessorConfig: { Mode: 'INLINE' },
          StartAt: 'Take',
          States: { Take: { Type: 'Pass', Result: 'taken', End: true } },
        },
        Catch: catchAll,
        End: true,
      },
      ...notifyThenFail,
    },
  },
  // One item at a time: an item emits, then produces its result (too large for the first item).
  EmitThenProduce: {
    StartAt: 'ForEach',
    States: {
      ForEach: {
        Type: 'Map',
        ItemsPath: '$.items',
        MaxConcurrency: 1,
        ItemProcessor: {
          ProcessorConfig: { Mode: 'INLINE' },
          StartAt: 'Emit',
          States: {
            Emit: emitTask('Item', { Next: 'Produce' }),
            Produce: { Type: 'Task', Resource: lambdaArn('sized'), End: true },
          },
        },
        Catch: catchAll,
        End: true,
      },
      ...notifyThenFail,
    },
  },
  // A counter loop: 4 history events a turn, ending on its own after `turns` turns.
  Loop: {
    StartAt: 'Count',
    States: {
      Count: {
        Type: 'Pass',
        Parameters: { 'turn.$': 'States.MathAdd($.turn, 1)', 'turns.$': '$.turns' },
        Next: 'Again',
      },
      Again: {
        Type: 'Choice',
        Choices: [{ Variable: '$.turn', NumericLessThanPath: '$.turns', Next: 'Count' }],
        Default: 'Done',
      },
      Done: { Type: 'Succeed' },
    },
  },
};

const text = (bytes: number) => 'x'.repeat(bytes);
const resultCause = (subject: string) =>
  `The state/task '${subject}' returned a result with a size exceeding the maximum number of bytes service limit.`;

describe('Step Functions quotas in the local runtime', () => {
  const { run, events, stop } = runner(MACHINES, ['sized', 'echo']);
  afterAll(() => stop());

  describe('payload: 262,144 bytes of UTF-8 JSON', () => {
    it('takes a Task result of exactly the quota', async () => {
      const execution = await run('SizedResult', { bytes: MAX_PAYLOAD_BYTES });
      expect(execution.status).toBe('SUCCEEDED');
    });

    it('fails on a Task result one byte over, with no Retry or Catch, as AWS reports it', async () => {
      const before = events.entries.length;
      const execution = await run('SizedResult', { bytes: MAX_PAYLOAD_BYTES + 1 });
      const cause = resultCause(lambdaArn('sized'));
      expect(execution).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded', cause });
      expect(eventTypes(execution)).toEqual([
        'ExecutionStarted',
        'TaskStateEntered',
        'LambdaFunctionScheduled',
        'LambdaFunctionStarted',
        'LambdaFunctionFailed',
        'ExecutionFailed',
      ]);
      expect(execution.history.all.at(-1)).toMatchObject({
        executionFailedEventDetails: { error: 'States.DataLimitExceeded', cause },
      });
      expect(enteredStates(execution)).not.toContain('Notify');
      expect(events.entries.slice(before)).toEqual([]);
    });

    it("fails on a Task's input after Parameters before the function runs", async () => {
      const execution = await run('DoubledParameters', { text: text(MAX_PAYLOAD_BYTES / 2) });
      expect(execution).toMatchObject({
        status: 'FAILED',
        error: 'States.DataLimitExceeded',
        cause: expect.stringMatching(/^The state\/task 'Send' received an input with a size exceeding/),
      });
      expect(eventTypes(execution)).not.toContain('LambdaFunctionSucceeded');
      expect(enteredStates(execution)).not.toContain('Notify');
    });

    it("fails on a state's output and runs no later state", async () => {
      const before = events.entries.length;
      const execution = await run('DoubledOutput', { text: text(MAX_PAYLOAD_BYTES / 2) });
      expect(execution).toMatchObject({
        status: 'FAILED',
        error: 'States.DataLimitExceeded',
        cause: resultCause('Copy'),
      });
      // As AWS records it: the state entered, then the execution failed.
      expect(eventTypes(execution)).toEqual(['ExecutionStarted', 'PassStateEntered', 'ExecutionFailed']);
      expect(events.entries.slice(before)).toEqual([]);
    });

    it("fails on a state's input: a Map iteration's, after ItemSelector, past the Map's Catch", async () => {
      const execution = await run('DoubledItems', { text: text(MAX_PAYLOAD_BYTES / 2), items: [1] });
      expect(execution).toMatchObject({
        status: 'FAILED',
        error: 'States.DataLimitExceeded',
        cause: expect.stringMatching(/^The state\/task 'Take' received an input with a size exceeding/),
      });
      expect(enteredStates(execution)).not.toContain('Notify');
    });

    it('starts no Task once the execution has failed on a quota', async () => {
      const before = events.entries.length;
      const items = [{ bytes: MAX_PAYLOAD_BYTES + 1 }, { bytes: 10 }, { bytes: 10 }];
      const execution = await run('EmitThenProduce', { items });
      expect(execution).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
      // The first item emitted before its result broke the quota; the later items emit nothing.
      expect(events.entries.slice(before)).toHaveLength(1);
      expect(enteredStates(execution)).not.toContain('Notify');
    });
  });

  describe('execution history: 25,000 events', () => {
    const turnsFor = (events: number) => Math.ceil(events / 4);

    it('runs a loop whose history stays within the quota', async () => {
      // ExecutionStarted, 4 events a turn (the last turn's Choice goes to Done), Succeed entered and exited,
      // ExecutionSucceeded: 4 + 4 × turns events, here the most below 25,000.
      const turns = Math.floor((MAX_HISTORY_EVENTS - 1 - 4) / 4);
      const execution = await run('Loop', { turn: 0, turns });
      expect(execution.status).toBe('SUCCEEDED');
      expect(execution.history.all).toHaveLength(4 + 4 * turns);
    });

    it('fails the execution with its 25,000th event, as AWS does', async () => {
      const execution = await run('Loop', { turn: 0, turns: turnsFor(MAX_HISTORY_EVENTS) + 10 });
      const cause = 'The execution reached the maximum number of history events (25000).';
      expect(execution).toMatchObject({ status: 'FAILED', error: 'States.Runtime', cause });
      const history = execution.history.all;
      expect(history).toHaveLength(MAX_HISTORY_EVENTS);
      expect(history.at(-1)).toMatchObject({
        id: MAX_HISTORY_EVENTS,
        type: 'ExecutionFailed',
        executionFailedEventDetails: { error: 'States.Runtime', cause },
      });
      expect(history.at(-2)?.type).toMatch(/^(Pass|Choice)State(Entered|Exited)$/);
    });
  });
});

describe('Lambda invocation payload quotas (synchronous: 6 MB)', () => {
  const lambdas = new InProcessLambdas([quotaFunction('sized'), quotaFunction('echo')]);
  /** A JSON string payload of exactly `bytes` bytes. */
  const payloadOf = (bytes: number) => text(bytes - 2);

  it('takes a request of 6,291,456 bytes and refuses a larger one as Lambda does', async () => {
    await expect(lambdas.invoke('echo', payloadOf(6_291_456))).resolves.toHaveLength(6_291_454);
    await expect(lambdas.invoke('echo', payloadOf(6_291_457))).rejects.toMatchObject({
      name: 'Lambda.RequestTooLargeException',
      errorMessage:
        '6291457 byte payload is too large for the RequestResponse invocation type (limit 6291456 bytes)',
    });
  });

  it('returns a response of 6,291,556 bytes and fails a larger one with Function.ResponseSizeTooLarge', async () => {
    await expect(lambdas.invoke('sized', { bytes: 6_291_556 })).resolves.toHaveLength(6_291_554);
    await expect(lambdas.invoke('sized', { bytes: 6_291_557 })).rejects.toMatchObject({
      name: 'Function.ResponseSizeTooLarge',
      errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).',
    });
  });
});
