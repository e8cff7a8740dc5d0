import { z } from 'zod';
import { isPlainObject } from './detect-shape';

/**
 * Field schemas shared by the Shein shapes. Shein writes numbers as strings ("20", "23.80") and ids as
 * either strings or numbers; these accept both and give one type, and every one of them is idempotent,
 * so a staged product parses again to itself.
 */

const digits = z.string().trim().regex(/^\d+$/, 'expected digits');

/** A union's own message is a bare "Invalid input": say what is wanted instead. */
const expecting = (wanted: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `expected ${wanted}`),
});

/** goods_id, cat_id, attr_id…: digits, kept as a string. */
export const idSchema = z
  .union([digits, z.int().min(0)], expecting('digits (text or a number)'))
  .transform(String);

/** Stock and other counts: a non-negative safe integer. */
export const countSchema = z
  .union([digits.transform(Number), z.int()], expecting('a whole number'))
  .pipe(z.int().min(0));

export const requiredText = z.string().trim().min(1, 'expected text');
export const optionalText = z.string().trim().nullish();

/** A decimal amount kept as text; money.ts turns it into minor units without floating point. */
const decimalText = z.union([z.string().trim(), z.number().transform(String)], expecting('a decimal amount'));

/** Shein's price block: no currency code, only a display string with a symbol. */
export const priceSchema = z.object({
  amount: decimalText,
  amountWithSymbol: z.string(),
  usdAmount: decimalText.nullish(),
});
export type RawPrice = z.infer<typeof priceSchema>;

/**
 * An image URL made absolute https: Shein's protocol-relative "//img.ltwebstatic.com/…" and plain
 * http become https; anything else (data:, javascript:, relative paths) is refused.
 */
export const imageUrlSchema = z
  .string()
  .trim()
  .transform((url, ctx) => {
    const absolute = url.startsWith('//') ? `https:${url}` : url.replace(/^http:\/\//i, 'https://');
    const parsed = URL.parse(absolute);
    if (parsed?.protocol !== 'https:' || parsed.hostname === '') {
      ctx.addIssue({
        code: 'custom',
        message: 'expected an http(s) or protocol-relative image URL',
        input: url,
      });
      return z.NEVER;
    }
    return parsed.href;
  });

/**
 * A map keyed by numeric ids (Shein's cateInfos). Other keys are dropped before validation, so junk
 * or hostile keys such as "__proto__" can neither fail the product nor reach the output.
 */
export function idKeyedRecord<Value extends z.ZodType>(value: Value) {
  return z.preprocess(
    (input) =>
      isPlainObject(input)
        ? Object.fromEntries(Object.entries(input).filter(([key]) => /^\d+$/.test(key)))
        : input,
    z.record(z.string(), value),
  );
}
