import { appDetailItem } from '../generate/app-detail-item';
import { generateProducts } from '../generate/generate-products';
import type { JsonObject } from '../generate/json';
import { objectAt, objectsAt } from '../generate/json';
import { createModel, GoodsIdSequence } from '../generate/product-model';
import { Random } from '../generate/random';

/**
 * The products the probe's uploads are made of: the product generator's (`npm run gen:products`), each
 * kind from a seed of its own, so no two kinds share a goods_id and nothing one kind uploads changes what
 * another finds in Pimcore or Medusa.
 */

/** `count` valid flat listing items (about 1.6 KB each). */
export function listingItems(seed: number, count: number): JsonObject[] {
  return [...generateProducts({ count, shape: 'listing', invalidRatio: 0, seed })];
}

/** A JSON array export, one product per line, as the generator writes it. */
export function arrayExport(items: readonly (JsonObject | string)[]): string {
  const lines = items.map((item) => (typeof item === 'string' ? item : JSON.stringify(item)));
  return `[\n${lines.join(',\n')}\n]\n`;
}

/** What a SKU keeps in a lean export: its code, stock, size, and its sale and retail price. */
const LEAN_SKU_FIELDS = new Set(['sku_code', 'stock', 'price', 'sku_sale_attr']);
const LEAN_PRICE_FIELDS = new Set(['salePrice', 'retailPrice']);

/**
 * An app product-detail item with `variants` sizes, each SKU lean (the generator's own SKUs carry
 * ~8 KB of promotions per mall, and its size guide a line per size, so 5,000 of them would be rejected
 * as over the item size limit instead of as too large to publish): 5,000 variants are ~3 MB of JSON.
 */
export function productWithVariants(seed: number, variants: number): JsonObject {
  const random = new Random(seed);
  const ids = new GoodsIdSequence(seed);
  let model = createModel(random, ids);
  while (model.sizes.length === 0) model = createModel(random, ids);
  const sizes = Array.from({ length: variants }, (_, index) => `W${index + 1}`);
  const colour = { ...model.colours[0]!, stock: sizes.map(() => 7) };
  const item = appDetailItem(
    { ...model, sizes, salePrices: sizes.map(() => model.salePrices[0]!), colours: [colour] },
    colour,
  );
  // Nor the size guide, which gives every size its measurements.
  delete objectAt(item, ['info', 'saleAttr']).sizeInfo;
  for (const sku of objectsAt(item, ['info', 'saleAttr', 'multiLevelSaleAttribute', 'sku_list'])) {
    for (const field of Object.keys(sku)) if (!LEAN_SKU_FIELDS.has(field)) delete sku[field];
    const price = sku.price as JsonObject;
    for (const field of Object.keys(price)) if (!LEAN_PRICE_FIELDS.has(field)) delete price[field];
  }
  return item;
}
