import { FaultStepError, runFaultSteps, type FaultStep } from '../../scripts/chaos/fault-steps';

/**
 * The fault run's steps (scripts/chaos/fault-steps.ts), without the pipeline: a step that throws or
 * never ends fails the run with an error naming the step, instead of the run going on (or hanging) and
 * then reporting faults that did not happen.
 */

const never = () => new Promise<void>(() => undefined);
const now = async () => {};

/**
 * A step's time limit: generous by default, so a step that does end is never cut however loaded the
 * machine; only the tests of a step that never ends pass a short one, to be cut quickly.
 */
const GENEROUS_MS = 60_000;
const SHORT_MS = 200;

function recorder(stepTimeoutMs = GENEROUS_MS) {
  const done: string[] = [];
  const log: string[] = [];
  const step = (name: string, overrides: Partial<FaultStep> = {}): FaultStep => ({
    name,
    due: now,
    inject: async () => {
      done.push(name);
    },
    ...overrides,
  });
  return { done, log, step, options: { stepTimeoutMs, log: (line: string) => log.push(line) } };
}

it('runs every step in order, each once it is due, and logs each fault', async () => {
  const { done, log, step, options } = recorder();
  await runFaultSteps([step('restart Redis'), step('SIGKILL ingest-1'), step('upload again')], options);
  expect(done).toEqual(['restart Redis', 'SIGKILL ingest-1', 'upload again']);
  expect(log).toEqual(['fault: restart Redis', 'fault: SIGKILL ingest-1', 'fault: upload again']);
});

it('fails the run, naming the step and its error, when an injection throws; later steps do not run', async () => {
  const { done, step, options } = recorder();
  const run = runFaultSteps(
    [
      step('restart Redis'),
      step('SIGKILL ingest-1', {
        inject: async () => {
          throw new Error('kill ESRCH');
        },
      }),
      step('upload again'),
    ],
    options,
  );
  await expect(run).rejects.toThrow(FaultStepError);
  await expect(run).rejects.toThrow('fault step 2/3 (SIGKILL ingest-1) failed: kill ESRCH');
  expect(done).toEqual(['restart Redis']);
});

it('fails the run, naming the step, when an injection never ends', async () => {
  const { done, step, options } = recorder(SHORT_MS);
  const run = runFaultSteps([step('restart Redis', { inject: never }), step('SIGKILL ingest-1')], options);
  await expect(run).rejects.toThrow('fault step 1/2 (restart Redis) failed: not done after 200 ms');
  expect(done).toEqual([]);
});

it('fails the run, naming the step, when the progress it waits for stalls or its wait fails', async () => {
  const stalled = recorder(SHORT_MS);
  await expect(
    runFaultSteps(
      [stalled.step('restart Redis'), stalled.step('SIGKILL relay-1', { due: never })],
      stalled.options,
    ),
  ).rejects.toThrow(
    'fault step 2/2 (SIGKILL relay-1): the run did not get far enough: not done after 200 ms',
  );
  expect(stalled.done).toEqual(['restart Redis']);
  expect(stalled.log).toEqual(['fault: restart Redis']);

  const failed = recorder();
  await expect(
    runFaultSteps(
      [
        failed.step('restart Redis', {
          due: async () => {
            throw new Error('timed out after 600000 ms waiting until Medusa holds 12 products');
          },
        }),
      ],
      failed.options,
    ),
  ).rejects.toThrow(
    'fault step 1/1 (restart Redis): the run did not get far enough: timed out after 600000 ms waiting until Medusa holds 12 products',
  );
  expect(failed.done).toEqual([]);
});
