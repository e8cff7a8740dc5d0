import type { CanonicalProduct } from '../../../contracts/canonical-product';
import { productIngestedDetailSchema } from '../../../contracts/product-ingested';
import { chunkEntries, entrySize, MAX_REQUEST_BYTES } from '../../../lambdas/publishing/event-entries';
import {
  MAX_PRODUCT_BYTES,
  productBytes,
  productIngestedEntry,
} from '../../../lambdas/publishing/product-ingested-entry';
import { GOLDEN } from '../fixtures';

/** The longest names AWS allows: bus 256 characters, execution 80, bucket 63, key 1,024 bytes. */
const LONGEST_BUS = 'b'.repeat(256);
const LONGEST_METADATA = {
  ingestionId: 'i'.repeat(80),
  sourceBucket: 's'.repeat(63),
  sourceKey: '\u0001'.repeat(1024), // a character JSON escapes to six bytes
  index: Number.MAX_SAFE_INTEGER,
  ingestedAt: '2026-12-01T00:00:00.000Z',
};

/** A golden product grown (in its description) to exactly `bytes` bytes of JSON. */
function productOf(bytes: number): CanonicalProduct {
  const product = structuredClone(GOLDEN[0]!);
  product.description.en += 'x'.repeat(bytes - productBytes(GOLDEN[0]!));
  expect(productBytes(product)).toBe(bytes);
  return product;
}

describe('ProductIngested entries and the product size limit (issue 15, item 6)', () => {
  it('builds the entry Publish sends: the products bus, the ingestion source, the detail contract', () => {
    const product = GOLDEN[0]!;
    const metadata = { ...LONGEST_METADATA, sourceKey: 'incoming/x.json', index: 3 };
    const entry = productIngestedEntry('products-test', metadata, product);
    expect(entry).toMatchObject({
      EventBusName: 'products-test',
      Source: 'product-pipeline.ingestion',
      DetailType: 'ProductIngested',
    });
    expect(productIngestedDetailSchema.parse(JSON.parse(entry.Detail!))).toEqual({
      ingestion: metadata,
      product,
    });
  });

  it('allows the largest product whose event fits one entry with the longest names AWS allows', () => {
    expect(MAX_PRODUCT_BYTES).toBe(255_405);
    const largest = productIngestedEntry(LONGEST_BUS, LONGEST_METADATA, productOf(MAX_PRODUCT_BYTES));
    expect(entrySize(largest)).toBe(MAX_REQUEST_BYTES);
    expect(chunkEntries([largest], (entry) => entry).oversized).toEqual([]);

    const tooLarge = productIngestedEntry(LONGEST_BUS, LONGEST_METADATA, productOf(MAX_PRODUCT_BYTES + 1));
    expect(chunkEntries([tooLarge], (entry) => entry).oversized).toEqual([tooLarge]);
  });
});
