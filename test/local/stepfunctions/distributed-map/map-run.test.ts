import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { JsonObject } from '../../../../local/aws-json/json';
import { concurrency, resetConcurrency } from './concurrency-handlers';
import {
  BUCKET,
  distributedMap,
  lambdaArn,
  machineArn,
  outputOf,
  standard,
  startMapRuntime,
  type MapRuntime,
} from './harness';

const counting = {
  StartAt: 'Count',
  States: { Count: { Type: 'Task', Resource: lambdaArn('countConcurrent'), End: true } },
};
const writer = (prefix: string) => ({
  Resource: 'arn:aws:states:::s3:putObject',
  Parameters: { Bucket: BUCKET, 'Prefix.$': prefix },
});
const caught = {
  Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Caught' }],
  Next: 'Done',
};
const withCatch = ({ End: _end, ...map }: { End?: boolean }) => ({
  StartAt: 'Map',
  States: { Map: { ...map, ...caught }, Done: { Type: 'Succeed' }, Caught: { Type: 'Pass', End: true } },
});

const MACHINES = [
  standard('Limited', {
    StartAt: 'Map',
    States: { Map: distributedMap({ ItemsPath: '$.items', MaxConcurrencyPath: '$.limit' }, counting) },
  }),
  standard('InlineUncapped', {
    StartAt: 'Map',
    States: {
      Map: {
        Type: 'Map',
        ItemsPath: '$.items',
        MaxConcurrency: 100,
        ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, ...counting },
        End: true,
      },
    },
  }),
  standard(
    'Tolerant',
    withCatch(
      distributedMap({
        ItemsPath: '$.items',
        ToleratedFailureCountPath: '$.count',
        ResultWriter: writer('$.prefix'),
      }),
    ),
  ),
  standard(
    'Percentage',
    withCatch(
      distributedMap({
        ItemsPath: '$.items',
        ToleratedFailurePercentage: 25,
        MaxConcurrency: 1,
        ResultWriter: writer('$.prefix'),
      }),
    ),
  ),
  standard('Intolerant', withCatch(distributedMap({ ItemsPath: '$.items', MaxConcurrency: 1 }))),
  standard('Written', {
    StartAt: 'Map',
    States: {
      Map: distributedMap({ ItemsPath: '$.items', Label: 'Orders', ResultWriter: writer('$.prefix') }),
    },
  }),
  standard('WrittenJsonLines', {
    StartAt: 'Map',
    States: {
      Map: distributedMap({
        ItemsPath: '$.items',
        ResultWriter: {
          ...writer('$.prefix'),
          WriterConfig: { OutputType: 'JSONL', Transformation: 'COMPACT' },
        },
      }),
    },
  }),
  standard('Express', {
    StartAt: 'Map',
    States: { Map: distributedMap({ ItemsPath: '$.items', Label: 'Fast' }, undefined, 'EXPRESS') },
  }),
  standard('Slow', {
    StartAt: 'Map',
    States: {
      Map: distributedMap(
        { ItemsPath: '$.items', Label: 'Slow' },
        { StartAt: 'Wait', States: { Wait: { Type: 'Wait', Seconds: 60, End: true } } },
      ),
    },
  }),
];

describe('a Distributed Map runs its items as child executions, as AWS does', () => {
  let runtime: MapRuntime;
  beforeAll(async () => {
    runtime = await startMapRuntime(MACHINES);
  });
  afterAll(() => runtime.stop());

  const manifestOf = async (execution: { output?: string }) => {
    const { ResultWriterDetails } = JSON.parse(execution.output!) as { ResultWriterDetails: { Key: string } };
    return JSON.parse(await runtime.download(ResultWriterDetails.Key)) as JsonObject & {
      ResultFiles: Record<string, { Key: string; Size: number }[]>;
    };
  };

  it('runs at most MaxConcurrency(Path) children at once', async () => {
    resetConcurrency(3);
    const execution = await runtime.run('Limited', { items: [1, 2, 3, 4, 5, 6, 7, 8, 9], limit: 3 });
    expect(outputOf(execution)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(concurrency.largest).toBe(3);
  });

  it('caps an inline Map at 40 iterations at once', async () => {
    resetConcurrency(40);
    const items = Array.from({ length: 60 }, (_, n) => n);
    const execution = await runtime.run('InlineUncapped', { items });
    expect(outputOf(execution)).toEqual(items);
    expect(concurrency.largest).toBe(40);
  });

  it('writes the results to S3 (manifest.json, SUCCEEDED_0.json) and returns where', async () => {
    const execution = await runtime.run('Written', { items: [{ n: 1 }, { n: 2 }], prefix: 'results' });
    const output = outputOf(execution) as {
      MapRunArn: string;
      ResultWriterDetails: { Bucket: string; Key: string };
    };
    expect(output.MapRunArn).toMatch(
      /^arn:aws:states:us-east-1:000000000000:mapRun:Written\/Orders:[0-9a-f-]{36}$/,
    );
    const mapRunId = output.MapRunArn.split(':').at(-1)!;
    expect(output.ResultWriterDetails).toEqual({ Bucket: BUCKET, Key: `results/${mapRunId}/manifest.json` });
    const manifest = await manifestOf(execution);
    const succeeded = await runtime.download(`results/${mapRunId}/SUCCEEDED_0.json`);
    expect(manifest).toEqual({
      DestinationBucket: BUCKET,
      MapRunArn: output.MapRunArn,
      ResultFiles: {
        FAILED: [],
        PENDING: [],
        SUCCEEDED: [{ Key: `results/${mapRunId}/SUCCEEDED_0.json`, Size: Buffer.byteLength(succeeded) }],
      },
    });
    const records = JSON.parse(succeeded) as JsonObject[];
    expect(records.map((record) => record.Input).sort()).toEqual(['{"n":1}', '{"n":2}']);
    const record = records.find((entry) => entry.Input === '{"n":1}')!;
    expect(record).toEqual({
      ExecutionArn: `arn:aws:states:us-east-1:000000000000:execution:Written/Orders:${String(record.Name)}`,
      Input: '{"n":1}',
      InputDetails: { Included: true },
      Name: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-3[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      Output: '{"n":1}',
      OutputDetails: { Included: true },
      RedriveCount: 0,
      RedriveStatus: 'NOT_REDRIVABLE',
      RedriveStatusReason: 'Execution is SUCCEEDED and cannot be redriven',
      StartDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      StateMachineArn: `${machineArn('Written')}/Orders`,
      Status: 'SUCCEEDED',
      StopDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    expect(Object.keys(record)).toEqual(Object.keys(record).sort());
  });

  it('follows WriterConfig: JSON Lines of the outputs (COMPACT)', async () => {
    const execution = await runtime.run('WrittenJsonLines', { items: [1, 2, 3], prefix: 'lines/' });
    const manifest = await manifestOf(execution);
    expect(manifest.ResultFiles.SUCCEEDED[0].Key).toMatch(/^lines\/[0-9a-f-]{36}\/SUCCEEDED_0\.json$/);
    const text = await runtime.download(manifest.ResultFiles.SUCCEEDED[0].Key);
    expect(text.trim().split('\n').map(Number).sort()).toEqual([1, 2, 3]);
  });

  it('succeeds with failures up to ToleratedFailureCount, listing them in FAILED_0.json', async () => {
    const items: JsonObject[] = [{ fail: true }, { n: 2 }, { fail: true }, { n: 4 }];
    const execution = await runtime.run('Tolerant', { items, count: 2, prefix: 'tolerant' });
    expect(execution.status).toBe('SUCCEEDED');
    expect(outputOf(execution)).not.toHaveProperty('error');
    const manifest = await manifestOf(execution);
    const failed = JSON.parse(await runtime.download(manifest.ResultFiles.FAILED[0].Key)) as JsonObject[];
    expect(failed).toHaveLength(2);
    expect(failed[0]).toMatchObject({
      Error: 'ItemFailed',
      Cause: 'the item asked to fail',
      Input: '{"fail":true}',
      Status: 'FAILED',
      RedriveCount: 0,
    });
    expect(failed[0]).not.toHaveProperty('Output');
    expect(manifest.ResultFiles.SUCCEEDED).toHaveLength(1);
  });

  it('fails with States.ExceedToleratedFailureThreshold past the count, caught by a Catch', async () => {
    const items: JsonObject[] = [{ fail: true }, { fail: true }, { fail: true }, { n: 4 }];
    const execution = await runtime.run('Tolerant', { items, count: 2, prefix: 'intolerant' });
    expect(execution.status).toBe('SUCCEEDED');
    expect(outputOf(execution)).toMatchObject({
      error: {
        Error: 'States.ExceedToleratedFailureThreshold',
        Cause: 'The specified tolerated failure threshold was exceeded',
      },
    });
  });

  it('applies ToleratedFailurePercentage to all the items: below it succeeds, above it fails and lists unstarted items as PENDING', async () => {
    const below = await runtime.run('Percentage', { items: [{ fail: true }, 2, 3, 4], prefix: 'below' });
    expect(outputOf(below)).not.toHaveProperty('error');
    const above = await runtime.run('Percentage', {
      items: [{ fail: true }, { fail: true }, 3, 4],
      prefix: 'above',
    });
    expect(outputOf(above)).toMatchObject({ error: { Error: 'States.ExceedToleratedFailureThreshold' } });
    const listing = await runtime.s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'above/' }));
    const keys = listing.Contents!.map((object) => object.Key!);
    const pending = JSON.parse(await runtime.download(keys.find((key) => key.endsWith('/PENDING_0.json'))!));
    expect(pending).toEqual([
      { Input: '3', InputDetails: { Included: true }, Status: 'PENDING' },
      { Input: '4', InputDetails: { Included: true }, Status: 'PENDING' },
    ]);
  });

  it('with no tolerance stops starting children after the first failure', async () => {
    const items: JsonObject[] = [{ n: 1 }, { fail: true }, { n: 3 }, { n: 4 }];
    const execution = await runtime.run('Intolerant', { items });
    expect(outputOf(execution)).toMatchObject({ error: { Error: 'States.ExceedToleratedFailureThreshold' } });
    const children = runtime.serviceEvents.events.filter((event) =>
      String(event.detail.stateMachineArn).startsWith(`${machineArn('Intolerant')}/`),
    );
    const started = new Set(children.map((event) => event.detail.executionArn));
    expect(started.size).toBe(2);
  });

  it('puts the Execution Status Change events of a STANDARD execution and of its STANDARD children on the default bus', async () => {
    const execution = await runtime.run('Written', { items: [{ n: 1 }], prefix: 'events' });
    const events = runtime.serviceEvents.of(execution.arn);
    expect(events.map((event) => event.detail.status)).toEqual(['RUNNING', 'SUCCEEDED']);
    const [started, ended] = events;
    expect(started).toEqual({
      bus: 'default',
      detailType: 'Step Functions Execution Status Change',
      resources: [execution.arn],
      detail: {
        executionArn: execution.arn,
        stateMachineArn: machineArn('Written'),
        name: execution.name,
        status: 'RUNNING',
        startDate: execution.startDate,
        stopDate: null,
        input: '{"items":[{"n":1}],"prefix":"events"}',
        output: null,
        inputDetails: { included: true },
        outputDetails: null,
        error: null,
        cause: null,
        stateMachineVersionArn: null,
        stateMachineAliasArn: null,
        redriveCount: 0,
        redriveDate: null,
        redriveStatus: 'NOT_REDRIVABLE',
        redriveStatusReason: 'Execution is RUNNING and cannot be redriven',
      },
    });
    expect(ended.detail).toMatchObject({
      status: 'SUCCEEDED',
      stopDate: execution.stopDate,
      output: execution.output,
      outputDetails: { included: true },
    });
    const child = runtime.serviceEvents.events.filter(
      (event) =>
        event.detail.stateMachineArn === `${machineArn('Written')}/Orders` &&
        event.detail.input === '{"n":1}',
    );
    expect(child.map((event) => event.detail.status)).toEqual(
      expect.arrayContaining(['RUNNING', 'SUCCEEDED']),
    );
  });

  it('runs EXPRESS children with express ARNs and puts no status events for them', async () => {
    const before = runtime.serviceEvents.events.length;
    const execution = await runtime.run('Express', { items: [{ n: 1 }, { fail: true }], prefix: 'x' });
    expect(outputOf(execution)).toBe(null);
    const events = runtime.serviceEvents.events.slice(before);
    expect(events.map((event) => event.detail.executionArn)).toEqual([execution.arn, execution.arn]);
    expect(events.map((event) => event.detail.status)).toEqual(['RUNNING', 'FAILED']);
    expect(events[1].detail).toMatchObject({
      error: 'States.ExceedToleratedFailureThreshold',
      redriveStatus: 'REDRIVABLE',
    });
  });

  it('aborts the running children when the parent is stopped', async () => {
    const execution = runtime.stepFunctions.start({
      stateMachineArn: machineArn('Slow'),
      input: '{"items":[1,2]}',
    });
    const childEvents = () =>
      runtime.serviceEvents.events.filter(
        (event) => event.detail.stateMachineArn === `${machineArn('Slow')}/Slow`,
      );
    for (const deadline = Date.now() + 10_000; childEvents().length < 2 && Date.now() < deadline;) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    runtime.stepFunctions.stopExecution(execution.arn);
    await execution.finished;
    for (const deadline = Date.now() + 10_000; childEvents().length < 4 && Date.now() < deadline;) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(execution.status).toBe('ABORTED');
    expect(
      childEvents()
        .map((event) => event.detail.status)
        .sort(),
    ).toEqual(['ABORTED', 'ABORTED', 'RUNNING', 'RUNNING']);
  });
});
