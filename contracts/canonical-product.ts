import { hash } from 'node:crypto';
import { z } from 'zod';

/**
 * The canonical product (v1): the one contract between the ingestion Lambdas and the NestJS worker
 * (docs/architecture.md, "The canonical product (v1)"). Objects are strict, so a producer that adds or
 * misspells a field fails loudly instead of shipping data a consumer silently ignores.
 */

/** BCP-47 short tags: language, optional script, optional region (en, ar, en-US, zh-Hans-CN). */
const LOCALE_TAG = /^[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|\d{3}))?$/;
export const localeTagSchema = z.string().regex(LOCALE_TAG, 'expected a BCP-47 tag such as en or ar-SA');

const text = z.string().min(1);

/** A text per locale; English is always there because the PIM and the storefront fall back to it. */
function localizedSchema(value: z.ZodString) {
  return z
    .object({ en: value })
    .catchall(value)
    .superRefine((map, ctx) => {
      // The keys are strings, so localeTagSchema comes down to its regex; tested directly, it costs
      // no parse per key of every product.
      for (const locale of Object.keys(map)) {
        if (!LOCALE_TAG.test(locale)) {
          ctx.addIssue({ code: 'custom', path: [locale], message: `"${locale}" is not a BCP-47 locale tag` });
        }
      }
    });
}

export const currencyCodeSchema = z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code such as SAR');

/** An amount in the currency's minor units (2380 = SAR 23.80), so no consumer does float arithmetic. */
export const moneySchema = z.strictObject({
  currencyCode: currencyCodeSchema,
  amount: z.int().min(0),
});
export type Money = z.infer<typeof moneySchema>;

/** At most one amount per currency. */
const moneyListSchema = z
  .array(moneySchema)
  .refine(
    (list) => new Set(list.map((money) => money.currencyCode)).size === list.length,
    'one amount per currency',
  );

const variantSchema = z.strictObject({
  sku: text,
  title: text,
  /** Option name → the value this variant has for it. */
  options: z.record(text, text),
  prices: moneyListSchema.min(1),
  /** The retail price when it is above the sale price; empty when there is no discount. */
  compareAtPrices: moneyListSchema,
  stock: z.int().min(0),
});
export type CanonicalVariant = z.infer<typeof variantSchema>;

const optionSchema = z.strictObject({
  name: text,
  values: z
    .array(text)
    .min(1)
    .refine((values) => new Set(values).size === values.length, 'option values must be unique'),
});
export type CanonicalOption = z.infer<typeof optionSchema>;

export const SOURCE_SHAPES = ['shein-app-detail', 'shein-listing'] as const;
export type SourceShape = (typeof SOURCE_SHAPES)[number];

const productFields = {
  schemaVersion: z.literal(1),
  externalId: z.string().regex(/^shein:\d+$/),
  handle: z.string().regex(/^shein-\d+$/),
  sku: text,
  title: localizedSchema(z.string().min(1)),
  /** May be empty: listing exports carry no description. */
  description: localizedSchema(z.string()),
  brand: text.nullable(),
  category: z.strictObject({
    sourceId: text,
    /** English category names, root first. */
    path: z.array(text),
    /** Where the product goes in the PIM's category tree. */
    pimPath: text,
  }),
  /** Absolute https URLs, main image first, no repeats. */
  images: z
    .array(z.url({ protocol: /^https$/ }))
    .refine((images) => new Set(images).size === images.length, 'images must be unique'),
  attributes: z.array(z.strictObject({ name: text, value: text })),
  options: z
    .array(optionSchema)
    .min(1)
    .refine(
      (options) => new Set(options.map((o) => o.name)).size === options.length,
      'option names must be unique',
    ),
  variants: z.array(variantSchema).min(1),
  source: z.strictObject({
    shape: z.enum(SOURCE_SHAPES),
    goodsId: z.string().regex(/^\d+$/),
    /** Shein's colour group: every colour of a model is its own goods_id with the same relation id. */
    productRelationId: text.nullable(),
    goodsUrlName: text.nullable(),
  }),
};

/** The product before its hash is added: what a producer checks before hashing it once. */
export const canonicalProductWithoutHashSchema = z
  .strictObject(productFields)
  .superRefine((product, ctx) => checkVariantsMatchOptions(product.options, product.variants, ctx));

export const canonicalProductSchema = z
  .strictObject({ ...productFields, contentHash: z.string().regex(/^[0-9a-f]{64}$/) })
  .superRefine((product, ctx) => {
    checkVariantsMatchOptions(product.options, product.variants, ctx);
    const { contentHash, ...withoutHash } = product;
    if (computeContentHash(withoutHash) !== contentHash) {
      ctx.addIssue({
        code: 'custom',
        path: ['contentHash'],
        message: 'contentHash does not match the product',
      });
    }
  });
export type CanonicalProduct = z.infer<typeof canonicalProductSchema>;
export type CanonicalProductWithoutHash = Omit<CanonicalProduct, 'contentHash'>;

/**
 * Commerce systems (Medusa) refuse a variant that misses an option, has a value the option does not
 * list, repeats another variant's SKU or repeats another variant's combination of values.
 */
function checkVariantsMatchOptions(
  options: readonly CanonicalOption[],
  variants: readonly CanonicalVariant[],
  ctx: z.RefinementCtx,
): void {
  const seenSkus = new Set<string>();
  const seenCombinations = new Set<string>();
  variants.forEach((variant, index) => {
    const path = ['variants', index];
    const names = Object.keys(variant.options);
    if (names.length !== options.length) {
      ctx.addIssue({
        code: 'custom',
        path: [...path, 'options'],
        message: 'needs one value per product option',
      });
    }
    for (const option of options) {
      const value = variant.options[option.name];
      if (value === undefined || !option.values.includes(value)) {
        ctx.addIssue({
          code: 'custom',
          path: [...path, 'options', option.name],
          message: `needs one of the values of option "${option.name}"`,
        });
      }
    }
    if (seenSkus.has(variant.sku)) {
      ctx.addIssue({
        code: 'custom',
        path: [...path, 'sku'],
        message: `duplicate variant SKU "${variant.sku}"`,
      });
    }
    seenSkus.add(variant.sku);
    const combination = canonicalJson(options.map((option) => variant.options[option.name] ?? null));
    if (seenCombinations.has(combination)) {
      ctx.addIssue({
        code: 'custom',
        path: [...path, 'options'],
        message: 'repeats another variant’s options',
      });
    }
    seenCombinations.add(combination);
  });
}

/** Returned by sortedPlainCopy for a value whose JSON.stringify would not be its canonical JSON. */
const NOT_PLAIN = Symbol('not plain');

/**
 * A copy of the value with every object's keys inserted in sorted order, so that JSON.stringify of it
 * (native, several times faster than building the text here) is the canonical JSON; or NOT_PLAIN where
 * the two would differ: a key JSON.stringify would not keep in insertion order (integer-like keys come
 * first; any key starting with a digit is sent the slow way), "__proto__", a function or symbol field
 * (canonicalJson writes it as `undefined`) and an undefined, function or symbol element or a hole in an
 * array (canonicalJson leaves the slot empty). The copies are plain objects and arrays, so no toJSON of
 * the original is called, as canonicalJson calls none.
 */
function sortedPlainCopy(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const copy: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const element: unknown = value[i];
      if (element === undefined || typeof element === 'function' || typeof element === 'symbol') {
        return NOT_PLAIN;
      }
      const copied = sortedPlainCopy(element);
      if (copied === NOT_PLAIN) return NOT_PLAIN;
      copy[i] = copied;
    }
    return copy;
  }
  const record = value as Record<string, unknown>;
  // Sorting without a comparator orders strings by UTF-16 code units.
  const keys = Object.keys(record).sort();
  const copy: Record<string, unknown> = {};
  for (const key of keys) {
    const field = record[key];
    if (field === undefined) continue;
    const first = key.charCodeAt(0);
    if (
      (first >= 0x30 && first <= 0x39) ||
      key === '__proto__' ||
      typeof field === 'function' ||
      typeof field === 'symbol'
    ) {
      return NOT_PLAIN;
    }
    const copied = sortedPlainCopy(field);
    if (copied === NOT_PLAIN) return NOT_PLAIN;
    copy[key] = copied;
  }
  return copy;
}

/** canonicalJson written out by hand, for any value: the definition the fast path must match. */
function canonicalJsonByHand(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) {
    let json = '[';
    for (let i = 0; i < value.length; i++) {
      // An element JSON has no text for (undefined, a function) leaves an empty slot, as join did.
      json += (i === 0 ? '' : ',') + (canonicalJsonByHand(value[i]) ?? '');
    }
    return `${json}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let json = '{';
  for (const key of keys) {
    const field = record[key];
    if (field === undefined) continue;
    json += `${json.length === 1 ? '' : ','}${JSON.stringify(key)}:${canonicalJsonByHand(field)}`;
  }
  return `${json}}`;
}

/**
 * JSON with object keys sorted (by UTF-16 code units, as RFC 8785) and no whitespace, so equal products
 * serialise to equal bytes whatever order their keys were built in. JSON.stringify alone cannot sort
 * nested keys (and integer-like keys always come first), so plain data (every product) is copied with
 * sorted keys and stringified natively; anything else is written out by hand, with the same result.
 * Undefined fields are left out, as JSON.stringify does, so the hash survives a JSON round trip.
 */
export function canonicalJson(value: unknown): string {
  const sorted = sortedPlainCopy(value);
  return sorted === NOT_PLAIN ? canonicalJsonByHand(value) : JSON.stringify(sorted);
}

/** sha256 (hex) of the canonical JSON of the product without its contentHash. */
export function computeContentHash(product: CanonicalProductWithoutHash): string {
  return hash('sha256', canonicalJson(product), 'hex');
}
