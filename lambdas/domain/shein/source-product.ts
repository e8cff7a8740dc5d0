import type { RawPrice } from './fields';

/**
 * One view of a Shein product whatever shape it came in, so validation and the transform are written
 * once. Built from a staged product on demand; it is never stored.
 */

/** A price block and the path it was read from, so a message can name the field. */
export interface SourcePrice {
  readonly value: RawPrice;
  readonly path: string;
}

export interface SourceOptionValue {
  readonly name: string;
  readonly value: string;
}

export interface SourceVariant {
  readonly sku: string;
  readonly stock: number;
  readonly optionValues: readonly SourceOptionValue[];
  /** What the customer pays: the sale price, or the retail price when there is no sale price. */
  readonly sale: SourcePrice | undefined;
  readonly retail: SourcePrice | undefined;
  readonly path: string;
}

/** A product detail line ("Material: Knitted Fabric") in English and in the source language. */
export interface SourceDetail {
  readonly id: string | null;
  readonly nameEn: string | null;
  readonly valueEn: string | null;
  readonly name: string | null;
  readonly value: string | null;
}

export interface SourceProduct {
  readonly goodsId: string;
  readonly goodsSn: string;
  /** The title in the storefront's language (Arabic in the sample). */
  readonly goodsName: string;
  /** Shein's English URL title, when the export has one. */
  readonly goodsUrlName: string | null;
  readonly productRelationId: string | null;
  readonly brand: string | null;
  readonly categoryId: string;
  /** English category names, root first; empty when the export has no category tree. */
  readonly categoryPath: readonly string[];
  /** Image URLs as listed, main image first, repeats and size variants included. */
  readonly imageUrls: readonly string[];
  readonly details: readonly SourceDetail[];
  readonly variants: readonly SourceVariant[];
  /** Option name → its values in the order the shop shows them (XS, S, M…), when the export says. */
  readonly optionValueOrder: ReadonlyMap<string, readonly string[]>;
}

export interface PriceBlock {
  readonly salePrice?: RawPrice | null;
  readonly retailPrice?: RawPrice | null;
}

/**
 * The first block that has a price wins as a whole (a SKU's own prices before the product's), so a
 * sale price is never paired with another block's retail price.
 */
export function pickPrices(
  blocks: ReadonlyArray<{ readonly block: PriceBlock | null | undefined; readonly path: string }>,
): Pick<SourceVariant, 'sale' | 'retail'> {
  for (const { block, path } of blocks) {
    const at = (key: string) => (path ? `${path}.${key}` : key);
    const retail = block?.retailPrice ? { value: block.retailPrice, path: at('retailPrice') } : undefined;
    if (block?.salePrice) return { sale: { value: block.salePrice, path: at('salePrice') }, retail };
    if (retail) return { sale: retail, retail };
  }
  return { sale: undefined, retail: undefined };
}

/** "" and null both mean "not given". */
export function textOrNull(value: string | null | undefined): string | null {
  return value ? value : null;
}
