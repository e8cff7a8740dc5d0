import { appDetailItem } from './app-detail-item';
import { INVALID_REASONS, makeInvalid, type InvalidReason } from './invalid-items';
import type { JsonObject } from './json';
import { listingItem } from './listing-item';
import { createModel, GoodsIdSequence, type ProductModel } from './product-model';
import { Random } from './random';

export const SHAPES = ['app', 'listing', 'mixed'] as const;
export type ShapeChoice = (typeof SHAPES)[number];

export interface GenerateOptions {
  readonly count: number;
  readonly shape: ShapeChoice;
  /** Share of invalid items, 0 to 1. */
  readonly invalidRatio: number;
  readonly seed: number;
}

/**
 * Whether item `index` is invalid, and which one it is: invalid items are spread evenly (item i is
 * invalid when ⌊(i+1)·ratio⌋ passes ⌊i·ratio⌋), so a file of N items has exactly ⌊N·ratio⌋ of them
 * whatever the seed, and the k-th of them gets the k-th reason of INVALID_REASONS, cyclically.
 */
export function invalidOrdinal(index: number, ratio: number): number | undefined {
  const before = Math.floor(index * ratio);
  return Math.floor((index + 1) * ratio) > before ? before : undefined;
}

/**
 * The products of a generated file, one at a time (memory does not grow with the count). The same
 * options give the same items. A model's colours come one after the other, in one shape.
 */
export function* generateProducts(options: GenerateOptions): Generator<JsonObject, void, undefined> {
  const random = new Random(options.seed);
  const ids = new GoodsIdSequence(options.seed);
  let model: ProductModel | undefined;
  let colour = 0;
  let appShape = true;
  let lastValidGoodsId: string | undefined;
  for (let index = 0; index < options.count; index++) {
    if (model === undefined || colour === model.colours.length) {
      model = createModel(random, ids);
      colour = 0;
      appShape = options.shape === 'app' || (options.shape === 'mixed' && random.chance(0.5));
    }
    const variant = model.colours[colour++];
    if (variant === undefined) throw new Error('a model without colours');
    const item = appShape ? appDetailItem(model, variant) : listingItem(model, variant);
    const ordinal = invalidOrdinal(index, options.invalidRatio);
    if (ordinal === undefined) {
      lastValidGoodsId = variant.goodsId;
      yield item;
      continue;
    }
    let reason: InvalidReason = INVALID_REASONS[ordinal % INVALID_REASONS.length] ?? 'missing_id';
    // A duplicate needs an earlier valid product to copy; before the first one, the next reason serves.
    if (reason === 'duplicate_goods_id' && lastValidGoodsId === undefined) reason = 'invalid_id';
    yield makeInvalid(item, reason, lastValidGoodsId ?? '');
  }
}
