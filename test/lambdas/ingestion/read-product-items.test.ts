import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import {
  EmptyFile,
  NotArrayOrNdjson,
  NotJson,
  ObjectTooLarge,
  readProductItems,
  type ReadItem,
  type ReadOptions,
} from '../../../lambdas/ingestion';
import { SAMPLES, streamOf } from '../fixtures';

const MAX_BYTES = 64 * 1024 * 1024;

async function readAll(source: AsyncIterable<Buffer | string>, options: Partial<ReadOptions> = {}) {
  const items: ReadItem[] = [];
  for await (const item of readProductItems(source, { maxBytes: MAX_BYTES, ...options })) items.push(item);
  return items;
}

const valuesOf = (items: ReadItem[]) =>
  items.map((item) => (item.kind === 'value' ? item.value : item.reason));

async function failureOf(
  source: AsyncIterable<Buffer | string>,
  options: Partial<ReadOptions> = {},
): Promise<Error> {
  try {
    await readAll(source, options);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the reading to fail');
}

const exampleText = readFileSync(join(SAMPLES, 'shein_products.example.json'), 'utf8');
const exampleItems = JSON.parse(exampleText) as unknown[];
const ndjson = (values: unknown[]) => values.map((value) => JSON.stringify(value)).join('\n');

/** A source that makes its bytes on demand and records how many it has handed out. */
function lazySource(parts: () => Iterable<string>) {
  const state = { pulled: 0 };
  const source = Readable.from(
    (function* () {
      for (const part of parts()) {
        state.pulled += Buffer.byteLength(part);
        yield Buffer.from(part);
      }
    })(),
  );
  return { source, state };
}

describe('readProductItems: JSON arrays', () => {
  it.each([1, 7, 4096, 1 << 20])(
    'yields each item with its index, read in %i-byte chunks',
    async (chunkSize) => {
      const items = await readAll(streamOf(exampleText, chunkSize));
      expect(items.map((item) => item.index)).toEqual([0, 1, 2, 3]);
      expect(valuesOf(items)).toEqual(exampleItems); // Arabic text survives characters split across chunks
    },
  );

  it('reads any JSON array like JSON.parse does (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.jsonValue()),
        fc.integer({ min: 1, max: 64 }),
        async (values, chunkSize) => {
          const text = JSON.stringify(values);
          expect(valuesOf(await readAll(streamOf(text, chunkSize)))).toEqual(JSON.parse(text));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('accepts a byte-order mark and leading whitespace', async () => {
    const text = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(` \n\t [{"a":1}] \n`)]);
    expect(valuesOf(await readAll(streamOf(text, 2)))).toEqual([{ a: 1 }]);
  });

  it('keeps a "__proto__" key as a plain property, as JSON.parse does', async () => {
    const [item] = valuesOf(await readAll(streamOf('[{"__proto__":{"polluted":true},"goods_id":1}]')));
    expect(Object.getPrototypeOf(item)).toBe(Object.prototype);
    expect(Object.keys(item as object)).toEqual(['__proto__', 'goods_id']);
    expect((item as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('yields the first items long before the whole upload is read', async () => {
    const { source, state } = lazySource(function* () {
      yield '[';
      for (let i = 0; i < 20_000; i++)
        yield `${i ? ',' : ''}${JSON.stringify({ goods_id: i, padding: 'x'.repeat(1000) })}`;
      yield ']';
    });
    const iterator = readProductItems(source, { maxBytes: MAX_BYTES })[Symbol.asyncIterator]();
    await iterator.next();
    expect(state.pulled).toBeLessThan(2 * 1024 * 1024); // of ~20 MB
    await iterator.return(undefined);
  });
});

describe('readProductItems: early stop', () => {
  it.each(['array', 'ndjson'])('releases an endless %s upload when the consumer stops', async (format) => {
    const { source } = lazySource(function* () {
      if (format === 'array') yield '[';
      for (let i = 0; ; i++) {
        const separator = format === 'array' ? (i ? ',' : '') : '\n';
        yield `${separator}${JSON.stringify({ goods_id: i })}`;
      }
    });
    let count = 0;
    for await (const item of readProductItems(source, { maxBytes: MAX_BYTES })) {
      expect(item.index).toBe(count);
      if (++count === 50) break;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(source.destroyed).toBe(true);
  });
});

describe('readProductItems: NDJSON', () => {
  it('yields one item per line, skipping blank lines, with CRLF and without a final newline', async () => {
    const text = `\n${ndjson(exampleItems).replace(/\n/g, '\r\n\r\n')}`;
    const items = await readAll(streamOf(text, 5));
    expect(items.map((item) => item.index)).toEqual([0, 1, 2, 3]);
    expect(valuesOf(items)).toEqual(exampleItems);
  });

  it('reads any list of objects like JSON.parse does (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.dictionary(fc.string(), fc.jsonValue())),
        fc.integer({ min: 1, max: 64 }),
        async (values, chunkSize) => {
          const text = `${ndjson(values)}\n`;
          const expected = values.map((value) => JSON.parse(JSON.stringify(value)));
          if (values.length === 0) return; // an empty file is EmptyFile, tested below
          expect(valuesOf(await readAll(streamOf(text, chunkSize)))).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('readProductItems: fatal errors', () => {
  it.each(['', '   \n\t\r\n '])('EmptyFile for %j', async (text) => {
    const error = await failureOf(streamOf(text));
    expect(error).toBeInstanceOf(EmptyFile);
    expect(error.name).toBe('EmptyFile');
  });

  it.each(['"a string"', '42', 'null', 'garbage', '<?xml version="1.0"?>'])(
    'NotArrayOrNdjson for %j',
    async (text) => {
      const error = await failureOf(streamOf(`\n${text}`));
      expect(error).toBeInstanceOf(NotArrayOrNdjson);
      expect(error.name).toBe('NotArrayOrNdjson');
      expect(error.message).toContain('at byte 1');
    },
  );

  it('NotArrayOrNdjson for a file that is only part of a byte-order mark', async () => {
    expect(await failureOf(streamOf(Buffer.from([0xef, 0xbb]), 1))).toBeInstanceOf(NotArrayOrNdjson);
  });

  it.each([
    ['a missing comma', '[{"a":1} {"b":2}]'],
    ['a trailing comma', '[{"a":1},]'],
    ['an unclosed array', '[{"a":1}'],
    ['junk after the array', '[{"a":1}] x'],
    ['a bad literal', '[tru]'],
  ])('NotJson for an array with %s', async (_, text) => {
    const error = await failureOf(streamOf(text));
    expect(error).toBeInstanceOf(NotJson);
    expect(error.name).toBe('NotJson');
    expect(error.message).toMatch(/not valid JSON at or before byte \d+/);
  });

  it('NotJson points at most 16 KiB past a syntax error deep in a large upload', async () => {
    const good = JSON.stringify({ goods_id: 1, padding: 'x'.repeat(10_000) });
    const prefix = `[${Array.from({ length: 100 }, () => good).join(',')},`;
    const errorAt = Buffer.byteLength(prefix);
    const error = (await failureOf(streamOf(`${prefix}{oops}]`, 64 * 1024))) as NotJson;
    expect(error).toBeInstanceOf(NotJson);
    expect(error.offset).toBeGreaterThan(errorAt);
    expect(error.offset).toBeLessThanOrEqual(errorAt + 16 * 1024);
    expect(error.message).toContain(`byte ${error.offset}`);
  });

  it('NotJson names the broken line of an NDJSON upload', async () => {
    const text = `{"a":1}\n\n{"b":2}\n{"c":\n{"d":4}\n`;
    const error = (await failureOf(streamOf(text, 3))) as NotJson;
    expect(error).toBeInstanceOf(NotJson);
    expect(error.line).toBe(4);
    expect(error.message).toMatch(/^line 4 of the NDJSON upload is not valid JSON/);
  });

  it('NotJson for a single pretty-printed object, with a hint', async () => {
    const error = await failureOf(streamOf(JSON.stringify({ a: 1, b: [2] }, null, 2)));
    expect(error).toBeInstanceOf(NotJson);
    expect(error.message).toContain('line 1');
    expect(error.message).toContain('one complete JSON object per line');
  });

  it('ObjectTooLarge as soon as the upload passes maxBytes, without reading the rest', async () => {
    const { source, state } = lazySource(function* () {
      yield '[';
      for (;;) yield '{"goods_id":1},';
    });
    const error = await failureOf(source, { maxBytes: 1024 * 1024 });
    expect(error).toBeInstanceOf(ObjectTooLarge);
    expect(error.name).toBe('ObjectTooLarge');
    expect(error.message).toContain('1048576 bytes');
    expect(state.pulled).toBeLessThan(2 * 1024 * 1024);
  });

  it('ObjectTooLarge for NDJSON too', async () => {
    const text = ndjson(Array.from({ length: 100 }, (_, i) => ({ goods_id: i })));
    expect(await failureOf(streamOf(text, 100), { maxBytes: 500 })).toBeInstanceOf(ObjectTooLarge);
  });
});

describe('readProductItems: hostile input', () => {
  const deep = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

  it('skips an array item nested 100,000 deep as item_too_deep and reads on', async () => {
    const items = await readAll(streamOf(`[{"goods_id":1},${deep(100_000)},{"goods_id":2}]`));
    expect(items).toEqual([
      { kind: 'value', index: 0, value: { goods_id: 1 } },
      expect.objectContaining({ kind: 'rejected', index: 1, reason: 'item_too_deep' }),
      { kind: 'value', index: 2, value: { goods_id: 2 } },
    ]);
  });

  it('survives a whole upload nested 100,000 deep', async () => {
    const items = await readAll(streamOf(deep(100_000)));
    expect(items).toEqual([expect.objectContaining({ index: 0, reason: 'item_too_deep' })]);
  });

  it('enforces maxDepth exactly', async () => {
    const nested = (levels: number) => `[${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}]`;
    expect(valuesOf(await readAll(streamOf(nested(3)), { maxDepth: 2 }))).toEqual(['item_too_deep']);
    expect(valuesOf(await readAll(streamOf(nested(3)), { maxDepth: 3 }))).toEqual([{ a: { a: { a: 1 } } }]);
    const ndjsonNested = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
    expect(valuesOf(await readAll(streamOf(ndjsonNested(3)), { maxDepth: 2 }))).toEqual(['item_too_deep']);
    expect(valuesOf(await readAll(streamOf(ndjsonNested(3)), { maxDepth: 3 }))).toEqual([
      { a: { a: { a: 1 } } },
    ]);
  });

  it('enforces a maxDepth too large to check by recursion exactly, on NDJSON', async () => {
    const line = (levels: number) => `{"a":${'['.repeat(levels - 1)}${']'.repeat(levels - 1)}}`;
    const items = await readAll(streamOf(`${line(5000)}\n${line(5001)}\n`), { maxDepth: 5000 });
    expect(valuesOf(items).map((value) => (typeof value === 'string' ? value : 'value'))).toEqual([
      'value',
      'item_too_deep',
    ]);
  });

  it('checks the depth of every key and element of an NDJSON line, "__proto__" included', async () => {
    const lines = [
      '{"a":1,"b":[1,{"c":[2]}],"d":{"e":null}}',
      '{"a":1,"b":[1,{"c":[[2]]}],"d":{"e":null}}',
      '{"a":1,"b":[1,{"c":[2]}],"d":{"e":{"f":{"g":0}}}}',
      '{"a":1,"b":[1,{"c":[2]}],"d":{"e":{"f":{"g":{}}}}}',
      '{"__proto__":{"x":{"y":{"z":0}}}}',
      '{"__proto__":{"x":{"y":{"z":{}}}}}',
    ];
    const items = await readAll(streamOf(`${lines.join('\n')}\n`), { maxDepth: 4 });
    expect(valuesOf(items).map((value) => (typeof value === 'string' ? value : 'value'))).toEqual([
      'value',
      'item_too_deep',
      'value',
      'item_too_deep',
      'value',
      'item_too_deep',
    ]);
  });

  it('skips an NDJSON line nested 100,000 deep as item_too_deep and reads on', async () => {
    const items = await readAll(streamOf(`{"goods_id":1}\n{"junk":${deep(100_000)}}\n{"goods_id":2}\n`));
    expect(valuesOf(items)).toEqual([{ goods_id: 1 }, 'item_too_deep', { goods_id: 2 }]);
  });

  it('skips a 64 MB string as item_too_large without holding it', async () => {
    const size = 64 * 1024 * 1024;
    const { source } = lazySource(function* () {
      yield '[{"goods_id":1},{"goods_name":"';
      const block = 'x'.repeat(1024 * 1024);
      for (let i = 0; i < size / block.length; i++) yield block;
      yield '"},{"goods_id":2}]';
    });
    const heapBefore = process.memoryUsage().heapUsed;
    let heapPeak = heapBefore;
    const items: ReadItem[] = [];
    for await (const item of readProductItems(source, { maxBytes: 2 * size, maxItemBytes: 1024 * 1024 })) {
      items.push(item);
      heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
    }
    expect(valuesOf(items)).toEqual([{ goods_id: 1 }, 'item_too_large', { goods_id: 2 }]);
    expect(items[1]).toMatchObject({ message: expect.stringContaining('larger than 1048576 bytes') });
    expect(heapPeak - heapBefore).toBeLessThan(size / 2);
  }, 60_000);

  it('skips an NDJSON line over maxItemBytes and reads on', async () => {
    const text = `{"goods_id":1}\n{"goods_name":"${'x'.repeat(5000)}"}\n{"goods_id":2}`;
    const items = await readAll(streamOf(text, 256), { maxItemBytes: 1000 });
    expect(valuesOf(items)).toEqual([{ goods_id: 1 }, 'item_too_large', { goods_id: 2 }]);
    expect(items.map((item) => item.index)).toEqual([0, 1, 2]);
  });

  it('counts a huge top-level string in an array as one item too large', async () => {
    const items = await readAll(streamOf(`["${'y'.repeat(5000)}", 7]`, 100), { maxItemBytes: 1000 });
    expect(valuesOf(items)).toEqual(['item_too_large', 7]);
  });
});
