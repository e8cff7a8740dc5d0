import { NotJson, readProductItems, type ReadItem, type ReadOptions } from '../../../lambdas/ingestion';
import { streamOf } from '../fixtures';

/** The byte-level splitting of JSON arrays: the cases a chunk boundary or a bracket can break. */

async function read(text: string | Buffer, chunkSize?: number, options: Partial<ReadOptions> = {}) {
  const items: ReadItem[] = [];
  for await (const item of readProductItems(streamOf(text, chunkSize), { maxBytes: 1 << 30, ...options })) {
    items.push(item);
  }
  return items.map((item) => (item.kind === 'value' ? item.value : item.reason));
}

async function notJson(text: string, chunkSize?: number): Promise<NotJson> {
  try {
    await read(text, chunkSize);
  } catch (error) {
    if (error instanceof NotJson) return error;
    throw error;
  }
  throw new Error('expected NotJson');
}

describe('readProductItems: splitting JSON arrays on the bytes', () => {
  const tricky = [
    { goods_id: 1, name: 'quote " inside', path: 'C:\\dir\\', brackets: '[{,]}' },
    '\\"',
    { nested: [[{ a: 'ends with a backslash \\' }], []], arabic: 'حقيبة يد جلدية', emoji: '👜' },
    -0.5e-3,
    null,
  ];

  it.each([1, 2, 3, 5, 13, 64])(
    'finds every item whatever the chunk boundaries (%i-byte chunks)',
    async (size) => {
      expect(await read(JSON.stringify(tricky), size)).toEqual(tricky);
      expect(await read(JSON.stringify(tricky, null, 2), size)).toEqual(tricky);
    },
  );

  it('reads an empty array as no items', async () => {
    expect(await read('[ ]')).toEqual([]);
  });

  it('gives the exact byte offset when JSON.parse locates the error, counting UTF-8 bytes', async () => {
    const prefix = '[{"name":"حقيبة"},\n  {"a":1,,"b":2}]';
    const error = await notJson(prefix, 4);
    const errorAt = Buffer.byteLength('[{"name":"حقيبة"},\n  {"a":1,');
    expect(error.offset).toBe(errorAt);
    expect(error.message).toContain(`at or before byte ${errorAt}: item 1`);
  });

  it.each([
    ['a leading comma', '[,1]', 1],
    ['two commas', '[1,,2]', 3],
    ['an array closed with "}"', '[1}', 2],
    ['a comma before "]"', '[1,2 ,]', 6],
    ['content after the array', '[1]\n]', 4],
    ['an unclosed string', '["abc]', 6],
  ])('NotJson for %s, at byte %#', async (_, text, offset) => {
    expect((await notJson(text)).offset).toBe(offset);
  });

  it('counts maxItemBytes in bytes of JSON text and keeps reading after an oversized item', async () => {
    const big = { text: 'é'.repeat(600) }; // 1,200 bytes of UTF-8 in 600 characters
    expect(await read(JSON.stringify([big, 1]), 100, { maxItemBytes: 1000 })).toEqual(['item_too_large', 1]);
    expect(await read(JSON.stringify([big, 1]), 100, { maxItemBytes: 1300 })).toEqual([big, 1]);
  });

  it('measures depth outside strings only', async () => {
    const text = JSON.stringify([{ a: '[[[[[[[[[[' }, [[[1]]]]);
    expect(await read(text, 3, { maxDepth: 3 })).toEqual([{ a: '[[[[[[[[[[' }, [[[1]]]]);
    expect(await read(text, 3, { maxDepth: 2 })).toEqual([{ a: '[[[[[[[[[[' }, 'item_too_deep']);
  });
});
