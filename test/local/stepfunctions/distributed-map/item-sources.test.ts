import { gzipSync } from 'node:zlib';
import { BUCKET, distributedMap, outputOf, standard, startMapRuntime, type MapRuntime } from './harness';

const reader = (inputType: string, key: string, config: object = {}) => ({
  Resource: 'arn:aws:states:::s3:getObject',
  ReaderConfig: { InputType: inputType, ...config },
  Parameters: { Bucket: BUCKET, 'Key.$': key },
});

const MACHINES = [
  standard('JsonArray', {
    StartAt: 'Map',
    States: {
      Map: distributedMap({
        ItemReader: reader('JSON', '$.key'),
        ItemSelector: {
          'value.$': '$$.Map.Item.Value',
          'index.$': '$$.Map.Item.Index',
          'run.$': '$.run',
          'execution.$': '$$.Execution.Name',
        },
      }),
    },
  }),
  standard('JsonLines', {
    StartAt: 'Map',
    States: {
      Map: distributedMap({
        ItemReader: reader('JSONL', "States.Format('lines/{}', $.name)", { MaxItemsPath: '$.max' }),
      }),
    },
  }),
  standard('CsvFirstRow', {
    StartAt: 'Map',
    States: {
      Map: distributedMap({ ItemReader: reader('CSV', '$.key', { CSVHeaderLocation: 'FIRST_ROW' }) }),
    },
  }),
  standard('CsvGiven', {
    StartAt: 'Map',
    States: {
      Map: distributedMap({
        ItemReader: reader('CSV', '$.key', {
          CSVHeaderLocation: 'GIVEN',
          CSVHeaders: ['userId', 'movieId', 'rating'],
          CSVDelimiter: 'PIPE',
        }),
      }),
    },
  }),
  standard('Listing', {
    StartAt: 'Map',
    States: {
      Map: distributedMap({
        ItemReader: {
          Resource: 'arn:aws:states:::s3:listObjectsV2',
          Parameters: { Bucket: BUCKET, 'Prefix.$': '$.prefix' },
        },
      }),
    },
  }),
  standard('FromInput', {
    StartAt: 'Map',
    States: {
      Map: distributedMap({
        InputPath: '$.order',
        ItemsPath: '$.lines',
        ItemSelector: { 'sku.$': '$$.Map.Item.Value', 'orderId.$': '$.id' },
        ResultPath: '$.results',
      }),
    },
  }),
  standard('Batched', {
    StartAt: 'Map',
    States: {
      Map: distributedMap({
        ItemsPath: '$.items',
        ItemSelector: { 'n.$': '$$.Map.Item.Value' },
        ItemBatcher: { MaxItemsPerBatch: 2, BatchInput: { 'source.$': '$.source' } },
      }),
    },
  }),
  standard('BatchedByBytes', {
    StartAt: 'Map',
    States: {
      Map: distributedMap({ ItemsPath: '$.items', ItemBatcher: { MaxInputBytesPerBatchPath: '$.bytes' } }),
    },
  }),
  standard('MissingObject', {
    StartAt: 'Map',
    States: {
      Map: distributedMap({
        ItemReader: reader('JSON', '$.key'),
        Catch: [{ ErrorEquals: ['States.ItemReaderFailed'], ResultPath: '$.error', Next: 'Caught' }],
        Next: 'Done',
      }),
      Done: { Type: 'Succeed' },
      Caught: { Type: 'Pass', End: true },
    },
  }),
];

describe('a Distributed Map reads its items as AWS does', () => {
  let runtime: MapRuntime;
  beforeAll(async () => {
    runtime = await startMapRuntime(MACHINES);
  });
  afterAll(() => runtime.stop());

  it('reads a JSON array from S3, each item through ItemSelector ($, $$.Map.Item.Value / Index, $$.Execution)', async () => {
    await runtime.upload('items.json', JSON.stringify([{ a: 1 }, 'two', 3]));
    const execution = await runtime.run('JsonArray', { key: 'items.json', run: 'r1' });
    expect(execution.status).toBe('SUCCEEDED');
    expect(outputOf(execution)).toEqual([
      { value: { a: 1 }, index: 0, run: 'r1', execution: execution.name },
      { value: 'two', index: 1, run: 'r1', execution: execution.name },
      { value: 3, index: 2, run: 'r1', execution: execution.name },
    ]);
  });

  it('reads JSON Lines (a gzipped key too), at most MaxItems(Path), with the key from an intrinsic function', async () => {
    const lines = Array.from({ length: 5 }, (_, n) => JSON.stringify({ n })).join('\n');
    await runtime.upload('lines/plain.jsonl', `${lines}\n\n`);
    const all = await runtime.run('JsonLines', { name: 'plain.jsonl', max: 0 });
    expect(outputOf(all)).toEqual([0, 1, 2, 3, 4].map((n) => ({ n })));
    const limited = await runtime.run('JsonLines', { name: 'plain.jsonl', max: 2 });
    expect(outputOf(limited)).toEqual([{ n: 0 }, { n: 1 }]);
    await runtime.upload('lines/zipped.jsonl.gz', gzipSync(lines));
    const zipped = await runtime.run('JsonLines', { name: 'zipped.jsonl.gz', max: 3 });
    expect(outputOf(zipped)).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
  });

  it('reads CSV with the header in the first row: fields are strings, missing ones "", extra ones skipped', async () => {
    await runtime.upload('ratings.csv', 'userId,movieId,rating\n1,307,3.5\n2,"48,1",4,extra\n3\n');
    const execution = await runtime.run('CsvFirstRow', { key: 'ratings.csv' });
    expect(outputOf(execution)).toEqual([
      { userId: '1', movieId: '307', rating: '3.5' },
      { userId: '2', movieId: '48,1', rating: '4' },
      { userId: '3', movieId: '', rating: '' },
    ]);
  });

  it('reads CSV with given headers and another CSVDelimiter; duplicate headers fail with States.ItemReaderFailed', async () => {
    await runtime.upload('ratings.psv', '1|307|3.5\n1|481|2\n');
    const execution = await runtime.run('CsvGiven', { key: 'ratings.psv' });
    expect(outputOf(execution)).toEqual([
      { userId: '1', movieId: '307', rating: '3.5' },
      { userId: '1', movieId: '481', rating: '2' },
    ]);
    await runtime.upload('duplicate.csv', 'a,a\n1,2\n');
    const duplicate = await runtime.run('CsvFirstRow', { key: 'duplicate.csv' });
    expect(duplicate).toMatchObject({
      error: 'States.ItemReaderFailed',
      cause: 'CSV headers cannot contain duplicates.',
    });
  });

  it('lists objects under a prefix (listObjectsV2) as {Etag, Key, LastModified, Size, StorageClass}', async () => {
    await runtime.upload('listing/a.txt', 'aaa');
    await runtime.upload('listing/b.txt', 'bb');
    await runtime.upload('other/c.txt', 'c');
    const execution = await runtime.run('Listing', { prefix: 'listing/' });
    const items = outputOf(execution) as { Key: string }[];
    expect(items.map((item) => item.Key)).toEqual(['listing/a.txt', 'listing/b.txt']);
    expect(items[0]).toEqual({
      Etag: expect.stringMatching(/^"[0-9a-f]{32}"$/),
      Key: 'listing/a.txt',
      LastModified: expect.any(Number),
      Size: 3,
      StorageClass: 'STANDARD',
    });
    expect(String((items[0] as unknown as { LastModified: number }).LastModified)).toHaveLength(10); // epoch seconds
  });

  it('takes the items from the effective input (InputPath, ItemsPath); ResultPath places the result in the raw input', async () => {
    const execution = await runtime.run('FromInput', { order: { id: 'o-1', lines: ['x', 'y'] } });
    expect(outputOf(execution)).toEqual({
      order: { id: 'o-1', lines: ['x', 'y'] },
      results: [
        { sku: 'x', orderId: 'o-1' },
        { sku: 'y', orderId: 'o-1' },
      ],
    });
  });

  it('batches items (after ItemSelector) as {"Items": [...], "BatchInput": {...}}', async () => {
    const execution = await runtime.run('Batched', { items: [1, 2, 3, 4, 5], source: 's' });
    expect(outputOf(execution)).toEqual([
      { Items: [{ n: 1 }, { n: 2 }], BatchInput: { source: 's' } },
      { Items: [{ n: 3 }, { n: 4 }], BatchInput: { source: 's' } },
      { Items: [{ n: 5 }], BatchInput: { source: 's' } },
    ]);
  });

  it('batches by MaxInputBytesPerBatch: no batch input is over the limit', async () => {
    const items = Array.from({ length: 10 }, (_, n) => `item-${n}`); // 8 bytes of JSON each
    const execution = await runtime.run('BatchedByBytes', { items, bytes: 40 });
    const batches = outputOf(execution) as { Items: string[] }[];
    expect(batches.flatMap((batch) => batch.Items)).toEqual(items);
    for (const batch of batches) expect(Buffer.byteLength(JSON.stringify(batch))).toBeLessThanOrEqual(40);
    expect(batches.length).toBeGreaterThan(1);
  });

  it('fails with States.ItemReaderFailed, which a Catch handles, when the object does not exist', async () => {
    const execution = await runtime.run('MissingObject', { key: 'nope.json' });
    expect(execution.status).toBe('SUCCEEDED');
    expect(outputOf(execution)).toMatchObject({
      error: {
        Error: 'States.ItemReaderFailed',
        Cause: expect.stringMatching(/key does not exist.*Service: S3, Status Code: 404/),
      },
    });
  });
});
