import { z } from 'zod';
import {
  canonicalProductSchema,
  type CanonicalProduct,
  type CanonicalVariant,
  type Money,
} from '../../../contracts/canonical-product';
import type { PimcoreProduct, PimcoreProductData } from './pimcore-client';
import { PimcorePermanentError } from './pimcore-errors';

/**
 * Canonical product ↔ the fields of the Pimcore "Product" class (pimcore/class_Product_export.json).
 * Scalars go to input fields, texts to localized fields, and structured data to textareas as JSON, which
 * stock Pimcore and the Datahub can store and edit without custom data types.
 */

/** Pimcore language → text; null clears a language the product no longer has. */
export type LocalizedTexts = Readonly<Record<string, string | null>>;

/** What the pipeline writes into a Product object, named as the class's fields. */
export interface PimcoreProductFields {
  readonly externalId: string;
  readonly handle: string;
  readonly sku: string;
  readonly contentHash: string;
  readonly title: LocalizedTexts;
  readonly description: LocalizedTexts;
  readonly brand: string | null;
  /** Where the product sits in the PIM's category tree (canonical category.pimPath). */
  readonly categoryPath: string;
  /** JSON array of https URLs, main image first. */
  readonly images: string;
  /** JSON array of {name, value}. */
  readonly attributes: string;
  /** JSON array of {name, values}. */
  readonly options: string;
  /** JSON array of canonical variants (sku, title, options, prices, compareAtPrices, stock). */
  readonly variants: string;
  /** JSON array of the lowest variant price per currency, for editors' grids and searches. */
  readonly prices: string;
  readonly sourceShape: string;
  readonly sourceGoodsId: string;
  readonly productRelationId: string | null;
  readonly goodsUrlName: string | null;
  readonly sourceCategoryId: string;
  /** JSON array of the English category names, root first. */
  readonly sourceCategoryPath: string;
}

export interface MappedProduct {
  readonly fields: PimcoreProductFields;
  /** Product locales that are not among the Pimcore languages, whose texts are left out. */
  readonly skippedLocales: readonly string[];
}

/** BCP-47 (ar-SA) → Pimcore's spelling (ar_SA), and back. */
const toPimcoreLanguage = (locale: string): string => locale.replaceAll('-', '_');
const toLocaleTag = (language: string): string => language.replaceAll('_', '-');

/** The object key: unique under the parent folder, so Pimcore itself refuses a second object for a product. */
export const objectKeyOf = (product: CanonicalProduct): string => product.handle;

export function toPimcoreFields(product: CanonicalProduct, languages: readonly string[]): MappedProduct {
  const skipped = new Set<string>();
  const localized = (texts: Readonly<Record<string, string>>): LocalizedTexts => {
    const byLanguage = new Map(
      Object.entries(texts).map(([locale, text]) => [toPimcoreLanguage(locale), text]),
    );
    for (const language of byLanguage.keys()) {
      if (!languages.includes(language)) skipped.add(toLocaleTag(language));
    }
    return Object.fromEntries(languages.map((language) => [language, byLanguage.get(language) ?? null]));
  };
  const fields: PimcoreProductFields = {
    externalId: product.externalId,
    handle: product.handle,
    sku: product.sku,
    contentHash: product.contentHash,
    title: localized(product.title),
    description: localized(product.description),
    brand: product.brand,
    categoryPath: product.category.pimPath,
    images: asJson(product.images),
    attributes: asJson(product.attributes),
    options: asJson(product.options),
    variants: asJson(product.variants),
    prices: asJson(lowestPrices(product.variants)),
    sourceShape: product.source.shape,
    sourceGoodsId: product.source.goodsId,
    productRelationId: product.source.productRelationId,
    goodsUrlName: product.source.goodsUrlName,
    sourceCategoryId: product.category.sourceId,
    sourceCategoryPath: asJson(product.category.path),
  };
  return { fields, skippedLocales: [...skipped].sort() };
}

/** Indented, because editors read and fix these in a textarea. */
const asJson = (value: unknown): string => JSON.stringify(value, null, 2);

function lowestPrices(variants: readonly CanonicalVariant[]): Money[] {
  const lowest = new Map<string, number>();
  for (const { currencyCode, amount } of variants.flatMap((variant) => variant.prices)) {
    lowest.set(currencyCode, Math.min(amount, lowest.get(currencyCode) ?? amount));
  }
  return [...lowest]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([currencyCode, amount]) => ({ currencyCode, amount }));
}

const canonical = canonicalProductSchema.shape;

/** A textarea holding JSON, checked against the canonical schema of what it holds. */
function jsonText<T extends z.ZodType>(schema: T) {
  return z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'is not valid JSON' });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

/** Localized texts as Pimcore returns them (null for an empty language) → canonical locale map. */
function localizedRead(keepEmpty: boolean) {
  return z.record(z.string(), z.string().nullable()).transform((texts) =>
    Object.fromEntries(
      Object.entries(texts)
        .filter((entry): entry is [string, string] => entry[1] !== null && (keepEmpty || entry[1] !== ''))
        .map(([language, text]) => [toLocaleTag(language), text]),
    ),
  );
}

const storedFieldsSchema = z.object({
  externalId: canonical.externalId,
  handle: canonical.handle,
  sku: canonical.sku,
  contentHash: z.string().nullable(),
  title: localizedRead(false).pipe(canonical.title),
  // Listing exports carry no description, and Pimcore may hand an empty one back as null.
  description: localizedRead(true)
    .transform((texts) => ({ en: '', ...texts }))
    .pipe(canonical.description),
  brand: z
    .string()
    .nullable()
    .transform((brand) => (brand === '' ? null : brand)),
  categoryPath: canonical.category.shape.pimPath,
  images: jsonText(canonical.images),
  attributes: jsonText(canonical.attributes),
  options: jsonText(canonical.options),
  variants: jsonText(canonical.variants),
  sourceShape: canonical.source.shape.shape,
  sourceGoodsId: canonical.source.shape.goodsId,
  productRelationId: canonical.source.shape.productRelationId,
  goodsUrlName: canonical.source.shape.goodsUrlName,
  sourceCategoryId: canonical.category.shape.sourceId,
  sourceCategoryPath: jsonText(canonical.category.shape.path),
});
type StoredFields = z.infer<typeof storedFieldsSchema>;

/** The class's localized fields: one value per Pimcore language. */
export const LOCALIZED_FIELDS = ['title', 'description'] as const satisfies readonly (keyof StoredFields)[];
/** The class's other fields the read side needs (`prices` is derived, for editors only). */
export const PLAIN_READ_FIELDS = storedFieldsSchema
  .keyof()
  .options.filter((field) => !(LOCALIZED_FIELDS as readonly string[]).includes(field));

/** An object as both APIs return it: system properties plus the class's fields under `data`. */
const storedProductSchema = z.object({
  // The Datahub types ids as GraphQL ID (a string); the REST endpoint sends numbers.
  id: z.coerce.number<string | number>().pipe(z.int().positive()),
  key: z.string(),
  fullpath: z.string(),
  published: z.boolean(),
  creationDate: z.int(),
  modificationDate: z.int(),
  version: z.int().nullable(),
  data: storedFieldsSchema,
});

/** Reads an object returned by Pimcore; throws PimcorePermanentError "invalid-data" naming the bad field. */
export function toPimcoreProduct(stored: unknown): PimcoreProduct {
  const parsed = storedProductSchema.safeParse(stored);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    const where = issue?.path.join('.') ?? '';
    throw new PimcorePermanentError(
      'invalid-data',
      `Pimcore object ${describeId(stored)} cannot be read: ${where}: ${issue?.message ?? 'invalid'}`,
    );
  }
  const { id, key, fullpath, published, creationDate, modificationDate, version, data } = parsed.data;
  return {
    pimcoreId: id,
    key,
    fullPath: fullpath,
    published,
    creationDate,
    modificationDate,
    version,
    contentHash: data.contentHash,
    product: toProductData(data),
  };
}

function toProductData(data: StoredFields): PimcoreProductData {
  return {
    externalId: data.externalId,
    handle: data.handle,
    sku: data.sku,
    title: data.title,
    description: data.description,
    brand: data.brand,
    category: { sourceId: data.sourceCategoryId, path: data.sourceCategoryPath, pimPath: data.categoryPath },
    images: data.images,
    attributes: data.attributes,
    options: data.options,
    variants: data.variants,
    source: {
      shape: data.sourceShape,
      goodsId: data.sourceGoodsId,
      productRelationId: data.productRelationId,
      goodsUrlName: data.goodsUrlName,
    },
  };
}

function describeId(stored: unknown): string {
  const id = stored !== null && typeof stored === 'object' ? (stored as { id?: unknown }).id : undefined;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : '(no id)';
}
