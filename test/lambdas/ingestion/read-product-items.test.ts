import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createGzip, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { waitFor } from '../../../local/whole-pipeline/wait';
import {
  CorruptGzip,
  DecompressedTooLarge,
  EmptyFile,
  InvalidUtf8,
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

/**
 * Waits until the upload's stream is destroyed: that happens once the reads in flight settle, a few
 * ticks after the reading stopped (however slow the machine); a stream never released fails after 20 s.
 */
const waitUntilReleased = (source: Readable) =>
  waitFor('the upload’s stream is released (destroyed)', () => source.destroyed, 20_000, 10);

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
    await waitUntilReleased(source);
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

describe('readProductItems: bytes that are not UTF-8 (issue 15, item 1)', () => {
  /** The case: bytes FF FE C3 28 inserted at the start of a goods_name. */
  const BAD = Buffer.from([0xff, 0xfe, 0xc3, 0x28]);
  const withBadName = (prefix: string, suffix: string) => {
    const [before, after] = `${prefix}{"goods_id":"7","goods_name":"Dress"}${suffix}`.split('Dress');
    return {
      bytes: Buffer.concat([Buffer.from(before!), BAD, Buffer.from(`Dress${after}`)]),
      at: before!.length,
    };
  };

  it.each([1, 3, 64 * 1024])(
    'rejects an array item as invalid_utf8, naming the byte, in %i-byte chunks',
    async (size) => {
      const { bytes, at } = withBadName('[{"goods_id":"1"},', ',{"goods_id":"3"}]');
      const items = await readAll(streamOf(bytes, size));
      expect(items).toEqual([
        { kind: 'value', index: 0, value: { goods_id: '1' } },
        {
          kind: 'rejected',
          index: 1,
          reason: 'invalid_utf8',
          message: `item is not UTF-8 text: 0xFF 0xFE 0xC3 0x28 at byte ${at} of the upload; export the file as UTF-8`,
          value: { goods_id: '7', goods_name: '\ufffd\ufffd\ufffd(Dress' },
        },
        { kind: 'value', index: 2, value: { goods_id: '3' } },
      ]);
    },
  );

  it('rejects an NDJSON line as invalid_utf8, naming the byte in the upload', async () => {
    const { bytes, at } = withBadName('\n{"goods_id":"1"}\r\n', '\n{"goods_id":"3"}\n');
    const items = await readAll(streamOf(bytes, 5));
    expect(items.map((item) => (item.kind === 'value' ? item.value : item.reason))).toEqual([
      { goods_id: '1' },
      'invalid_utf8',
      { goods_id: '3' },
    ]);
    expect(items[1]).toMatchObject({ message: expect.stringContaining(`at byte ${at} of the upload`) });
  });

  it('rejects an item whose bad bytes are outside its strings, without a value to name it by', async () => {
    const bytes = Buffer.concat([Buffer.from('[{"goods_id":"1"} '), BAD, Buffer.from(', {"goods_id":"2"}]')]);
    const items = await readAll(streamOf(bytes));
    expect(items[0]).toEqual({
      kind: 'rejected',
      index: 0,
      reason: 'invalid_utf8',
      message: expect.stringContaining('at byte 18 of the upload'),
    });
    expect(items[1]).toEqual({ kind: 'value', index: 1, value: { goods_id: '2' } });
  });

  it.each([
    ['overlong', [0xc0, 0xaf]],
    ['a surrogate', [0xed, 0xa0, 0x80]],
    ['above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['a lone continuation byte', [0x80]],
    ['a sequence cut short', [0xe2, 0x82]],
  ])('rejects %s', async (_, sequence) => {
    const bytes = Buffer.concat([Buffer.from('["a'), Buffer.from(sequence), Buffer.from('b"]')]);
    expect(await readAll(streamOf(bytes))).toEqual([
      expect.objectContaining({ reason: 'invalid_utf8', message: expect.stringContaining('at byte 3 ') }),
    ]);
  });

  it.each([
    ['a UTF-16 export', [0xff, 0xfe, 0x5b, 0x00], 0],
    ['a Latin-1 byte after whitespace', [0x0a, 0x20, 0xe9, 0x5b], 2],
  ])('fails %s with InvalidUtf8 and the byte offset', async (_, start, offset) => {
    const error = (await failureOf(streamOf(Buffer.from([...start, 0x5d])))) as InvalidUtf8;
    expect(error).toBeInstanceOf(InvalidUtf8);
    expect(error.name).toBe('InvalidUtf8');
    expect(error.offset).toBe(offset);
    expect(error.message).toContain(`at byte ${offset}`);
  });
});

describe('readProductItems: gzip (issue 15, item 7)', () => {
  it.each([1, 7, 64 * 1024])(
    'reads a gzip-compressed array like the plain one, in %i-byte chunks',
    async (chunkSize) => {
      expect(valuesOf(await readAll(streamOf(gzipSync(exampleText), chunkSize)))).toEqual(exampleItems);
    },
  );

  it('reads gzip-compressed NDJSON, and several gzip members one after the other', async () => {
    const [first, ...rest] = exampleItems;
    const bytes = Buffer.concat([gzipSync(`${ndjson([first])}\n`), gzipSync(ndjson(rest))]);
    expect(valuesOf(await readAll(streamOf(bytes, 100)))).toEqual(exampleItems);
  });

  it('applies the item limits to the decompressed bytes', async () => {
    const bytes = gzipSync(`[{"goods_name":"${'x'.repeat(5000)}"},{"goods_id":2}]`);
    expect(valuesOf(await readAll(streamOf(bytes), { maxItemBytes: 1000 }))).toEqual([
      'item_too_large',
      { goods_id: 2 },
    ]);
  });

  it('stops an endless gzip bomb at maxBytes of decompressed bytes with DecompressedTooLarge', async () => {
    // Megabytes of spaces compress a thousandfold: the upload stays small while zlib makes a lot.
    const block = ' '.repeat(1024 * 1024);
    const source = Readable.from(
      (function* () {
        yield '[';
        for (;;) yield block;
      })(),
    ).pipe(createGzip());
    const error = await failureOf(source, { maxBytes: 4 * 1024 * 1024 });
    expect(error).toBeInstanceOf(DecompressedTooLarge);
    expect(error.name).toBe('DecompressedTooLarge');
    expect(error.message).toBe(
      'the upload decompresses to more than the limit of 4194304 bytes; reading stopped there',
    );
    await waitUntilReleased(source);
  });

  it.each([
    ['cut short', gzipSync(exampleText).subarray(0, 200)],
    ['corrupt', Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00])],
  ])('fails on gzip that is %s with CorruptGzip', async (_, bytes) => {
    const error = await failureOf(streamOf(bytes));
    expect(error).toBeInstanceOf(CorruptGzip);
    expect(error.message).toMatch(/^the upload is gzip but cannot be decompressed: /);
  });

  it('releases an endless gzip upload when the consumer stops', async () => {
    const source = Readable.from(
      (function* () {
        yield '[';
        for (let i = 0; ; i++) yield `${i ? ',' : ''}${JSON.stringify({ goods_id: i })}`;
      })(),
    ).pipe(createGzip());
    let count = 0;
    for await (const item of readProductItems(source, { maxBytes: MAX_BYTES })) {
      expect(item.index).toBe(count);
      if (++count === 50) break;
    }
    // Released once the read zlib has in flight completes: this source compresses slowly.
    await waitUntilReleased(source);
  });
});
