import type { LocalExecution } from '../../../local/stepfunctions/local-execution';
import { MAX_HISTORY_EVENTS, MAX_PAYLOAD_BYTES, payloadBytes } from '../../../local/stepfunctions/quotas';
import { emitTask, enteredStates, eventTypes, lambdaArn, runner } from './quota-harness';
import { PUBLISHED, validationOf } from './quota-task-handlers';

/**
 * The ingestion workflow's old shape: Validate returned every staged batch's key into the state, and an
 * inline Map ran Transform and Publish per batch, gathering their results into the state. On AWS that
 * shape fails past some number of batches on a quota no Catch can handle; the local runtime must fail it
 * at the same number, for the same reason.
 */
const catchToEmitFailed = [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'EmitFailed' }];

const OLD_WORKFLOW = {
  StartAt: 'Prepare',
  States: {
    Prepare: {
      Type: 'Pass',
      Parameters: {
        'ingestionId.$': '$$.Execution.Name',
        'source.$': '$.source',
        'batchCount.$': '$.batchCount',
      },
      Next: 'Validate',
    },
    Validate: {
      Type: 'Task',
      Resource: lambdaArn('validate'),
      ResultPath: '$.validation',
      Catch: catchToEmitFailed,
      Next: 'ForEachBatch',
    },
    ForEachBatch: {
      Type: 'Map',
      ItemsPath: '$.validation.batches',
      ItemSelector: { 'ingestionId.$': '$.ingestionId', 'batchKey.$': '$$.Map.Item.Value.key' },
      MaxConcurrency: 40,
      ItemProcessor: {
        ProcessorConfig: { Mode: 'INLINE' },
        StartAt: 'Transform',
        States: {
          Transform: { Type: 'Task', Resource: lambdaArn('transform'), Next: 'Publish' },
          Publish: { Type: 'Task', Resource: lambdaArn('publish'), End: true },
        },
      },
      ResultPath: '$.batchResults',
      Catch: catchToEmitFailed,
      Next: 'Summarize',
    },
    Summarize: { Type: 'Task', Resource: lambdaArn('summarize'), Catch: catchToEmitFailed, End: true },
    EmitFailed: emitTask('IngestionFailed', { Next: 'Failed' }),
    Failed: { Type: 'Fail', Error: 'IngestionFailed' },
  },
};

const SOURCE = 'incoming/shein_products.json';
/** Execution names are UUIDs here, as the pipeline's: batch entries of 82 bytes, about the real ones' 84. */
const ingestionId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** ForEachBatch's output for `batches` batches: its input with every iteration's result beside it. */
function mapOutputBytes(batches: number): number {
  const id = ingestionId(0);
  return payloadBytes({
    ingestionId: id,
    source: SOURCE,
    batchCount: batches,
    validation: validationOf(id, SOURCE, batches),
    batchResults: Array.from({ length: batches }, () => PUBLISHED),
  });
}

/** The fewest batches for which `size(batches)`, growing with them, exceeds the payload quota. */
function fewestBatchesOver(size: (batches: number) => number): number {
  let [within, over] = [0, 1];
  while (size(over) <= MAX_PAYLOAD_BYTES) [within, over] = [over, over * 2];
  while (over - within > 1) {
    const middle = Math.floor((within + over) / 2);
    if (size(middle) <= MAX_PAYLOAD_BYTES) within = middle;
    else over = middle;
  }
  return over;
}

describe('the old inline-Map ingestion workflow against the quotas', () => {
  const { run, events, stop } = runner({ OldIngestion: OLD_WORKFLOW }, [
    'validate',
    'transform',
    'publish',
    'summarize',
  ]);
  let runs = 0;
  const ingest = (batchCount: number) =>
    run('OldIngestion', { source: SOURCE, batchCount }, ingestionId((runs += 1)));
  afterAll(() => stop());

  /**
   * Where the history quota falls: measured on runs of 1 and 2 batches, the history grows by a fixed
   * number of events a batch; ForEachBatch exits at event `mapExitAt(batches)`, the execution ends at
   * event `totalEvents(batches)`.
   */
  let totalEvents: (batches: number) => number;
  let mapExitAt: (batches: number) => number;
  beforeAll(async () => {
    const [one, two] = [await ingest(1), await ingest(2)];
    const exitOf = (execution: LocalExecution) => eventTypes(execution).indexOf('MapStateExited') + 1;
    const perBatch = two.history.all.length - one.history.all.length;
    totalEvents = (batches) => one.history.all.length + perBatch * (batches - 1);
    mapExitAt = (batches) => exitOf(one) + perBatch * (batches - 1);
  });

  /** The most batches whose whole history fits the quota. */
  const mostBatchesWithinHistory = () => {
    let batches = 1;
    while (totalEvents(batches + 1) <= MAX_HISTORY_EVENTS) batches += 1;
    return batches;
  };

  it('succeeds with the most batches its history can hold', async () => {
    const batches = mostBatchesWithinHistory();
    // The history quota is the first this shape reaches: the state's payload is still under its quota.
    expect(mapOutputBytes(batches)).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
    const execution = await ingest(batches);
    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output!)).toMatchObject({ batches });
    expect(execution.history.all).toHaveLength(totalEvents(batches));
  });

  it('fails inside ForEachBatch past that, uncaught: no EmitFailed, no Summarize', async () => {
    // The fewest batches whose ForEachBatch cannot exit within the history quota; the payload quota
    // would take more.
    let batches = mostBatchesWithinHistory() + 1;
    while (mapExitAt(batches) < MAX_HISTORY_EVENTS) batches += 1;
    expect(batches).toBeLessThan(fewestBatchesOver(mapOutputBytes));
    const before = events.entries.length;
    const execution = await ingest(batches);
    expect(execution).toMatchObject({
      status: 'FAILED',
      error: 'States.Runtime',
      cause: 'The execution reached the maximum number of history events (25000).',
    });
    expect(execution.history.all).toHaveLength(MAX_HISTORY_EVENTS);
    expect(enteredStates(execution)).not.toContain('EmitFailed');
    expect(enteredStates(execution)).not.toContain('Summarize');
    expect(events.entries.slice(before)).toEqual([]);
  });

  it("fails at Validate, uncaught, when Validate's own result is over the payload quota", async () => {
    const batches = fewestBatchesOver((count) => payloadBytes(validationOf(ingestionId(0), SOURCE, count)));
    const before = events.entries.length;
    const execution = await ingest(batches);
    expect(execution).toMatchObject({
      status: 'FAILED',
      error: 'States.DataLimitExceeded',
      cause: `The state/task '${lambdaArn('validate')}' returned a result with a size exceeding the maximum number of bytes service limit.`,
    });
    expect(enteredStates(execution)).toEqual(['Prepare', 'Validate']);
    expect(events.entries.slice(before)).toEqual([]);
  });
});
