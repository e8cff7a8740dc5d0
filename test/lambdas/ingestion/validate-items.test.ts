import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Reject } from '../../../lambdas/domain/reject';
import { goodsIdOf, type StagedProduct } from '../../../lambdas/domain/staged-product';
import {
  NotJson,
  NoValidProduct,
  readProductItems,
  validateItems,
  type StagingSink,
  type ValidateItemsOptions,
} from '../../../lambdas/ingestion';
import { MAX_PRODUCT_BYTES } from '../../../lambdas/publishing/product-ingested-entry';
import { exampleListing, productWithSizes, SAMPLES, streamOf } from '../fixtures';

/** A sink that remembers what it was given. */
function memorySink() {
  const batches: Array<{ number: number; products: readonly StagedProduct[] }> = [];
  const rejectWrites: Array<readonly Reject[]> = [];
  const sink: StagingSink = {
    writeBatch: async (number, products) => {
      batches.push({ number, products: [...products] });
    },
    writeRejects: async (rejects) => {
      rejectWrites.push([...rejects]);
    },
  };
  return { sink, batches, rejectWrites, rejects: () => rejectWrites.flat() };
}

const listing = exampleListing(0);
const listingWithId = (goodsId: number) => ({ ...listing, goods_id: goodsId });
const items = (text: string, chunkSize?: number) =>
  readProductItems(streamOf(text, chunkSize), { maxBytes: 1 << 30 });

async function validateText(text: string, options: Partial<ValidateItemsOptions> = {}) {
  const memory = memorySink();
  const summary = await validateItems(items(text), { batchSize: 250, ...options }, memory.sink);
  return { summary, ...memory };
}

describe('validateItems', () => {
  it('sorts the invalid sample into staged products and rejects with reasons', async () => {
    const text = readFileSync(join(SAMPLES, 'shein_products.invalid.json'), 'utf8');
    const { summary, batches, rejects } = await validateText(text, { batchSize: 1 });
    expect(summary).toEqual({
      total: 16,
      valid: 2,
      rejected: 14,
      batches: [
        { number: 1, count: 1 },
        { number: 2, count: 1 },
      ],
      rejectReasons: {
        unknown_shape: 2,
        upstream_error: 1,
        missing_id: 1,
        invalid_id: 1,
        missing_title: 1,
        missing_price: 1,
        invalid_price: 1,
        negative_price: 1,
        unknown_currency: 1,
        invalid_image_url: 1,
        invalid_field: 1,
        inconsistent_variants: 1,
        duplicate_goods_id: 1,
      },
    });
    expect(batches.map((batch) => batch.products.map((product) => product.index))).toEqual([[0], [15]]);
    expect(rejects().map((reject) => reject.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    expect(rejects().at(-1)).toEqual({
      index: 14,
      id: '50010002',
      reason: 'duplicate_goods_id',
      message: 'goods_id 50010002 already came at index 0; the first occurrence wins',
    });
  });

  it('stages batches of batchSize in file order, numbered from 1', async () => {
    const text = JSON.stringify(Array.from({ length: 7 }, (_, i) => listingWithId(100 + i)));
    const { summary, batches } = await validateText(text, { batchSize: 3 });
    expect(summary.batches).toEqual([
      { number: 1, count: 3 },
      { number: 2, count: 3 },
      { number: 3, count: 1 },
    ]);
    expect(batches.flatMap((batch) => batch.products.map(goodsIdOf))).toEqual([
      '100',
      '101',
      '102',
      '103',
      '104',
      '105',
      '106',
    ]);
  });

  it('writes rejects in groups as they accumulate', async () => {
    const text = JSON.stringify([listing, 1, 2, 3, 4, 5]);
    const { rejectWrites } = await validateText(text, { rejectsPerWrite: 2 });
    expect(rejectWrites.map((group) => group.map((reject) => reject.index))).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('applies the duplicate rule across batches: the first valid occurrence wins', async () => {
    const broken = { ...listingWithId(7), goods_name: '' };
    const text = JSON.stringify([broken, listingWithId(7), listingWithId(8), listingWithId(7)]);
    const { summary, batches, rejects } = await validateText(text, { batchSize: 1 });
    expect(batches.map((batch) => batch.products[0]!.index)).toEqual([1, 2]);
    expect(rejects().map((reject) => [reject.index, reject.reason])).toEqual([
      [0, 'missing_title'],
      [3, 'duplicate_goods_id'],
    ]);
    expect(rejects()[1]!.message).toContain('already came at index 1');
    expect(summary.rejectReasons).toEqual({ missing_title: 1, duplicate_goods_id: 1 });
  });

  it('reports items the reader skipped as rejects', async () => {
    const text = `${JSON.stringify(listing)}\n{"goods_name":"${'x'.repeat(2000)}"}\n`;
    const memory = memorySink();
    const readItems = readProductItems(streamOf(text), { maxBytes: 1 << 20, maxItemBytes: 1500 });
    const summary = await validateItems(readItems, { batchSize: 10 }, memory.sink);
    expect(summary.rejectReasons).toEqual({ item_too_large: 1 });
    expect(memory.rejects()).toEqual([
      { index: 1, reason: 'item_too_large', message: expect.stringContaining('larger than 1500 bytes') },
    ]);
  });

  it('reads NDJSON the same way', async () => {
    const text = [listingWithId(1), 'oops', listingWithId(2)].map((item) => JSON.stringify(item)).join('\n');
    const { summary } = await validateText(text);
    expect(summary).toMatchObject({ total: 3, valid: 2, rejected: 1, rejectReasons: { unknown_shape: 1 } });
  });

  it('throws NoValidProduct when nothing is valid, after writing the rejects', async () => {
    const memory = memorySink();
    const run = validateItems(items('[1, {"goods_id": 2}]'), { batchSize: 10 }, memory.sink);
    await expect(run).rejects.toThrow(NoValidProduct);
    await expect(validateItems(items('[1]'), { batchSize: 10 }, memorySink().sink)).rejects.toMatchObject({
      name: 'NoValidProduct',
      message: 'none of the 1 products is valid (unknown_shape ×1)',
    });
    expect(memory.rejects().map((reject) => reject.index)).toEqual([0, 1]);
    expect(memory.batches).toEqual([]);
  });

  it('throws NoValidProduct for an empty array', async () => {
    await expect(validateItems(items('[]'), { batchSize: 10 }, memorySink().sink)).rejects.toMatchObject({
      name: 'NoValidProduct',
      message: 'the upload holds no products',
    });
  });

  it.each([0, -1, 2.5, Number.NaN])('refuses batchSize %s', async (batchSize) => {
    await expect(validateItems(items('[]'), { batchSize }, memorySink().sink)).rejects.toThrow(RangeError);
  });

  it('stages while it reads: the first batch is written long before the upload ends', async () => {
    const total = 20_000;
    let generated = 0;
    let generatedAtFirstBatch: number | undefined;
    const source = Readable.from(
      (function* () {
        yield '[';
        for (; generated < total; generated++)
          yield `${generated ? ',' : ''}${JSON.stringify(listingWithId(generated))}`;
        yield ']';
      })(),
    );
    const sink: StagingSink = {
      writeBatch: async (_, products) => {
        generatedAtFirstBatch ??= generated;
        expect(products.length).toBeLessThanOrEqual(500);
      },
      writeRejects: async () => undefined,
    };
    const summary = await validateItems(
      readProductItems(source, { maxBytes: 1 << 30 }),
      { batchSize: 500 },
      sink,
    );
    expect(summary).toMatchObject({ total, valid: total, rejected: 0 });
    expect(summary.batches).toHaveLength(40);
    expect(generatedAtFirstBatch).toBeLessThan(total / 4);
  }, 60_000);

  it('rejects a product that is not UTF-8 as invalid_utf8, with its goods_id (issue 15, item 1)', async () => {
    const [before, after] = JSON.stringify(listingWithId(5)).split('"goods_name":"');
    const bad = Buffer.concat([
      Buffer.from(`${before}"goods_name":"`),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(after!),
    ]);
    for (const [open, separator, close] of [
      ['[', ',', ']'],
      ['', '\n', ''],
    ]) {
      const memory = memorySink();
      const text = Buffer.concat([
        Buffer.from(`${open}${JSON.stringify(listingWithId(4))}${separator}`),
        bad,
        Buffer.from(close!),
      ]);
      const reading = readProductItems(streamOf(text), { maxBytes: 1 << 20 });
      const summary = await validateItems(reading, { batchSize: 10 }, memory.sink);
      expect(summary).toMatchObject({ valid: 1, rejected: 1, rejectReasons: { invalid_utf8: 1 } });
      expect(memory.rejects()).toEqual([
        {
          index: 1,
          id: '5',
          reason: 'invalid_utf8',
          message: expect.stringMatching(/^item is not UTF-8 text: 0xFF 0xFE/),
        },
      ]);
    }
  });

  it('rejects a product too large for one event as product_too_large, with its size (issue 15, item 6)', async () => {
    const huge = productWithSizes(5000);
    const text = JSON.stringify([listingWithId(1), huge, listingWithId(2)]);
    expect(Buffer.byteLength(text)).toBeGreaterThan(2_500_000);
    const { summary, rejects } = await validateText(text);
    expect(summary).toMatchObject({
      total: 3,
      valid: 2,
      rejected: 1,
      rejectReasons: { product_too_large: 1 },
    });
    const [reject] = rejects();
    expect(reject).toMatchObject({
      index: 1,
      id: huge.info.productInfo.goods_id,
      reason: 'product_too_large',
    });
    const [, bytes] = /canonical product is (\d+) bytes \(5000 variants\)/.exec(reject!.message) ?? [];
    expect(Number(bytes)).toBeGreaterThan(MAX_PRODUCT_BYTES);
    expect(reject!.message).toContain(`at most ${MAX_PRODUCT_BYTES} bytes`);
  });

  it('lets a product too large for one event not claim its goods_id', async () => {
    const huge = productWithSizes(5000);
    const smaller = productWithSizes(50);
    const { summary, batches } = await validateText(JSON.stringify([huge, smaller]));
    expect(summary.rejectReasons).toEqual({ product_too_large: 1 });
    expect(batches.flatMap((batch) => batch.products.map((product) => product.index))).toEqual([1]);
  });

  it('hands what it read to the sink before a fatal error, so the counts cover it (issue 15, item 13)', async () => {
    const cut = `${JSON.stringify([listingWithId(1), 7, listingWithId(2)]).slice(0, -1)},{"goods_id":`;
    const memory = memorySink();
    await expect(validateItems(items(cut), { batchSize: 250 }, memory.sink)).rejects.toThrow(NotJson);
    expect(memory.batches.flatMap((batch) => batch.products.map((product) => product.index))).toEqual([0, 2]);
    expect(memory.rejects().map((reject) => reject.index)).toEqual([1]);
  });
});
