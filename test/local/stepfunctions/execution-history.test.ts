import type { JsonObject } from '../../../local/aws-json/json';
import { emitTask, eventTypes, lambdaArn, runner } from './quota-harness';

/** The history records every event AWS records, so that the 25,000-event quota falls where AWS's does. */
const MACHINES: Record<string, JsonObject> = {
  Mapping: {
    StartAt: 'ForEach',
    States: {
      ForEach: {
        Type: 'Map',
        ItemsPath: '$.items',
        ItemProcessor: {
          ProcessorConfig: { Mode: 'INLINE' },
          StartAt: 'Echo',
          States: { Echo: { Type: 'Task', Resource: lambdaArn('echo'), End: true } },
        },
        End: true,
      },
    },
  },
  RetryThenCatch: {
    StartAt: 'Produce',
    States: {
      Produce: {
        Type: 'Task',
        Resource: lambdaArn('unavailable'),
        Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 1 }],
        Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Notify' }],
        End: true,
      },
      Notify: emitTask('Caught', { End: true }),
    },
  },
  Branching: {
    StartAt: 'Both',
    States: {
      Both: {
        Type: 'Parallel',
        Branches: [
          { StartAt: 'Left', States: { Left: { Type: 'Pass', End: true } } },
          { StartAt: 'Right', States: { Right: { Type: 'Pass', End: true } } },
        ],
        End: true,
      },
    },
  },
};

describe('the execution history', () => {
  const { run, stop } = runner(MACHINES, ['echo', 'unavailable']);
  afterAll(() => stop());

  it('records an inline Map as AWS does: started, each iteration, succeeded', async () => {
    const execution = await run('Mapping', { items: [1] });
    expect(eventTypes(execution)).toEqual([
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
    expect(execution.history.all[5]).toMatchObject({
      lambdaFunctionScheduledEventDetails: { resource: lambdaArn('echo') },
    });
  });

  it('schedules and starts a Task again for each retry; a caught Task exits without succeeding', async () => {
    const execution = await run('RetryThenCatch', {});
    expect(eventTypes(execution)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionFailed',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionFailed',
      'TaskStateExited',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    expect(execution.history.all[10]).toMatchObject({
      taskScheduledEventDetails: { resourceType: 'events', resource: 'putEvents' },
    });
  });

  it('records a Parallel as started and succeeded, with no event per branch', async () => {
    const execution = await run('Branching', {});
    const types = eventTypes(execution);
    expect(types.slice(0, 3)).toEqual(['ExecutionStarted', 'ParallelStateEntered', 'ParallelStateStarted']);
    // The branches run side by side: their events interleave.
    expect(types.slice(3, -3).sort()).toEqual([
      'PassStateEntered',
      'PassStateEntered',
      'PassStateExited',
      'PassStateExited',
    ]);
    expect(types.slice(-3)).toEqual(['ParallelStateSucceeded', 'ParallelStateExited', 'ExecutionSucceeded']);
  });
});
