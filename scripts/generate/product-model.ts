import {
  BRANDS,
  COLOURS,
  DETAIL_ATTRIBUTES,
  PRODUCT_KINDS,
  SIZE_SYSTEMS,
  type DetailAttribute,
  type LocalizedName,
  type ProductKind,
} from './catalog';
import type { Random } from './random';

/**
 * A model as Shein sells it: one design in one to four colours, each colour its own goods_id, grouped
 * by productRelationID. The generated file lists a model's colours one after the other, like an export.
 */
export interface ProductModel {
  readonly kind: ProductKind;
  readonly brand: string;
  readonly relationId: string;
  readonly colours: readonly ColourVariant[];
  /** Empty for one-size products (a single SKU without sale attributes). */
  readonly sizes: readonly string[];
  /** Halalas per size, in the order of `sizes` (one entry for one-size products). */
  readonly salePrices: readonly number[];
  /** Retail price factor: 1 for no discount. */
  readonly retailFactor: number;
  readonly details: readonly ChosenDetail[];
}

export interface ColourVariant {
  readonly goodsId: string;
  readonly goodsSn: string;
  readonly colour: LocalizedName;
  /** Hash-like stems of the colour's photos, main photo first. */
  readonly photos: readonly string[];
  /** Stock per SKU, in the order of the model's sizes. */
  readonly stock: readonly number[];
}

export interface ChosenDetail {
  readonly attribute: DetailAttribute;
  readonly values: readonly LocalizedName[];
}

/**
 * Unique 8-digit goods_ids in a seed-dependent order: n ↦ (n·A + offset) mod M is a permutation of
 * [0, M) because A is coprime with M, so no two products of a file share an id unless asked to.
 */
export class GoodsIdSequence {
  private static readonly RANGE = 90_000_000;
  private static readonly STEP = 7_654_321;
  private next = 0;
  private readonly offset: number;

  constructor(seed: number) {
    this.offset = Math.abs(seed * 2_654_435) % GoodsIdSequence.RANGE;
  }

  take(): string {
    const n = this.next++;
    return String(10_000_000 + ((n * GoodsIdSequence.STEP + this.offset) % GoodsIdSequence.RANGE));
  }
}

/** A sale price in halalas, log-uniform over the kind's range (many cheap items, a long tail), on 5s. */
function salePrice(random: Random, [low, high]: readonly [number, number]): number {
  const price = Math.exp(Math.log(low) + random.next() * (Math.log(high) - Math.log(low)));
  return Math.round(price / 5) * 5;
}

function chooseSizes(random: Random, kind: ProductKind): string[] {
  if (kind.sizes === 'one-size') return [];
  const all = SIZE_SYSTEMS[kind.sizes];
  const count = random.int(2, Math.min(6, all.length));
  const first = random.int(0, all.length - count);
  return all.slice(first, first + count);
}

function chooseDetails(random: Random, kind: ProductKind): ChosenDetail[] {
  return kind.details.flatMap((name) => {
    const attribute = DETAIL_ATTRIBUTES[name];
    if (attribute === undefined) return [];
    const values = random.sample(attribute.values, attribute.multiValued ? random.int(1, 2) : 1);
    return [{ attribute, values }];
  });
}

export function createModel(random: Random, ids: GoodsIdSequence): ProductModel {
  const kind = random.pick(PRODUCT_KINDS);
  const sizes = chooseSizes(random, kind);
  const base = salePrice(random, kind.priceRange);
  // Plus sizes of some models cost more, as in real exports.
  const plusSizeStep = random.chance(0.2) ? Math.round(base * 0.05) : 0;
  const salePrices = (sizes.length === 0 ? [''] : sizes).map(
    (_, i) => base + Math.max(0, i - 2) * plusSizeStep,
  );
  const colours = random.sample(COLOURS, random.int(1, 4)).map((colour): ColourVariant => {
    const goodsId = ids.take();
    return {
      goodsId,
      goodsSn: `sz24${goodsId}${random.int(10, 99)}`,
      colour,
      photos: Array.from(
        { length: random.int(3, 8) },
        () => `${random.int(1_700_000_000, 1_760_000_000)}${random.hex(40)}`,
      ),
      stock: salePrices.map(() => (random.chance(0.15) ? 0 : random.int(1, 300))),
    };
  });
  return {
    kind,
    brand: random.pick(BRANDS),
    relationId: `z${colours[0]?.goodsId ?? ''}${random.int(1000, 9999)}`,
    colours,
    sizes,
    salePrices,
    retailFactor: random.chance(0.6) ? 1 + random.int(10, 60) / 100 : 1,
    details: chooseDetails(random, kind),
  };
}

/** The model's style detail, which titles mention ("Casual", "Elegant"), when it has one. */
function styleOf(model: ProductModel): LocalizedName | undefined {
  return model.details.find((detail) => detail.attribute.name.en === 'Style')?.values[0];
}

/** Shein's English URL title: "LUMA Casual Midi Dress Black". */
export function englishTitle(model: ProductModel, colour: ColourVariant): string {
  return [model.brand, styleOf(model)?.en, model.kind.noun.en, colour.colour.en].filter(Boolean).join(' ');
}

/** The storefront title in Arabic, as goods_name carries it: "LUMA فستان متوسط الطول كاجوال أسود". */
export function arabicTitle(model: ProductModel, colour: ColourVariant): string {
  return [model.brand, model.kind.noun.ar, styleOf(model)?.ar, colour.colour.ar].filter(Boolean).join(' ');
}
