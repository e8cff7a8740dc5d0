import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { CanonicalProduct } from '../../contracts/canonical-product';
import { DEFAULT_TRANSFORM_CONFIG, parseTransformConfig } from '../../lambdas/domain/transform-config';
import { validateRawProduct } from '../../lambdas/domain/validate-product';
import type { StagedProduct } from '../../lambdas/domain/staged-product';

export const SAMPLES = join(__dirname, '..', '..', 'samples');

/** The real Shein export; public data kept outside the repository, so it may be absent. */
export const REAL_SAMPLE = '/work/shared/samples/shein_products.json';
export const hasRealSample = existsSync(REAL_SAMPLE);
export const realSampleTitle = (title: string) =>
  hasRealSample ? title : `${title} — SKIPPED: ${REAL_SAMPLE} is not on this machine`;
export const testWithRealSample = hasRealSample ? test : test.skip;

export function readJson<T = unknown>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

export function sample<T = unknown[]>(name: string): T {
  return readJson<T>(join(SAMPLES, name));
}

/** Fixtures are JSON that tests edit freely. */
export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A fresh copy of a product of samples/shein_products.example.json. */
export const exampleProduct = (index = 0): Json =>
  structuredClone(sample<Json[]>('shein_products.example.json')[index]!);

/**
 * The first example product with `count` sizes, one SKU each: with 5,000 it is ~2.7 MB of JSON (under
 * the 4 MiB item limit), but its canonical product is far too large for one EventBridge event.
 */
export function productWithSizes(count: number): Json {
  const item = exampleProduct(0);
  const attributes = item.info.saleAttr.multiLevelSaleAttribute;
  const [sku] = attributes.sku_list;
  attributes.sku_list = Array.from({ length: count }, (_, i) => ({
    sku_code: `many-${i}`,
    stock: sku.stock,
    price: sku.price,
    sku_sale_attr: [{ ...sku.sku_sale_attr[0], attr_value_name: `W${i}`, attr_value_name_en: `W${i}` }],
  }));
  return item;
}

/** A fresh copy of an item of samples/shein_listing.example.json. */
export const exampleListing = (index = 0): Json =>
  structuredClone(sample<Json[]>('shein_listing.example.json')[index]!);

/** The reviewed canonical output for samples/shein_products.example.json under GOLDEN_CONFIG. */
export const GOLDEN = readJson<CanonicalProduct[]>(
  join(__dirname, 'domain', '__golden__', 'example.canonical.json'),
);

export function stageOrFail(item: unknown, index = 0, config = DEFAULT_TRANSFORM_CONFIG): StagedProduct {
  const result = validateRawProduct(item, index, config);
  if (!result.ok) throw new Error(`expected a valid product, got ${JSON.stringify(result.reject)}`);
  return result.product;
}

/** A readable stream of `text` in chunks of `chunkSize` bytes, like a file or S3 body. */
export function streamOf(text: string | Buffer, chunkSize = 64 * 1024): Readable {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  const chunks: Buffer[] = [];
  for (let start = 0; start < bytes.length; start += chunkSize)
    chunks.push(bytes.subarray(start, start + chunkSize));
  return Readable.from(chunks, { objectMode: false });
}

/** The configuration the golden file was produced with: two target currencies and two mapped categories. */
export const GOLDEN_CONFIG = parseTransformConfig(
  JSON.stringify({
    targetCurrencies: ['AED', 'EUR'],
    exchangeRates: { base: 'USD', rates: { SAR: '3.75', AED: '3.6725', EUR: '0.92' } },
    categoryMap: { '31002': '/Women/Dresses/Maxi', '31020': '/Women/Knitwear' },
  }),
);
