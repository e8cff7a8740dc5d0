import { z } from 'zod';
import { invalidData } from './errors';

/**
 * The admin product bodies as Medusa 2.21.2's validators (api/admin/products/validators.ts) define
 * them: strict at the product and variant level, so a field the API does not know (inventory_quantity,
 * for one) is a 400, never silently dropped. Nested images, prices and channel refs are plain objects
 * there: unknown keys in them are dropped, not refused.
 */

/** Medusa's booleanString: true/false or the strings "true"/"false" (form posts). */
const booleanString = z.union([z.boolean(), z.enum(['true', 'false']).transform((text) => text === 'true')]);

const createPrice = z.object({
  /** Major units (23.80 SAR), as Medusa v2 stores prices. */
  amount: z.number().nonnegative(),
  currency_code: z.string().min(1),
});
const updatePrice = createPrice.extend({ id: z.string().optional() });

const optionInput = z.strictObject({
  title: z.string().min(1),
  values: z.array(z.string().min(1)).min(1),
});

const variantFields = {
  sku: z.string().min(1).nullable().optional(),
  options: z.record(z.string(), z.string()).optional(),
  manage_inventory: booleanString.optional(),
  allow_backorder: booleanString.optional(),
  metadata: z.record(z.string(), z.unknown()).nullable().optional(),
};
const createVariant = z.strictObject({
  ...variantFields,
  title: z.string().min(1),
  // Required on create (an empty list is allowed); optional on update.
  prices: z.array(createPrice),
});
const updateVariant = z.strictObject({
  ...variantFields,
  id: z.string().optional(),
  title: z.string().min(1).optional(),
  prices: z.array(updatePrice).optional(),
});

const productFields = {
  subtitle: z.string().nullable().optional(),
  description: z.string().nullable().optional(),
  handle: z.string().min(1).optional(),
  status: z.enum(['draft', 'proposed', 'published', 'rejected']).optional(),
  external_id: z.string().nullable().optional(),
  thumbnail: z.string().nullable().optional(),
  sales_channels: z.array(z.object({ id: z.string().min(1) })).optional(),
  metadata: z.record(z.string(), z.unknown()).nullable().optional(),
};

export const createProductBody = z.strictObject({
  ...productFields,
  title: z.string().min(1),
  images: z.array(z.object({ url: z.string().min(1) })).optional(),
  options: z.array(optionInput).optional(),
  variants: z.array(createVariant).optional(),
});

/** Since 2.16 options are edited through /admin/products/:id/options/batch, not the update body. */
const removedOptions = z
  .unknown()
  .optional()
  .refine((value) => value === undefined, {
    message:
      "The 'options' property was removed in version 2.16.0. Please remove it from your request payload.",
  });

export const updateProductBody = z.strictObject({
  ...productFields,
  title: z.string().min(1).optional(),
  images: z.array(z.object({ id: z.string().optional(), url: z.string().min(1) })).optional(),
  options: removedOptions,
  variants: z.array(updateVariant).optional(),
});

/** POST /admin/products/:id/options/batch: new options, values added and removed, options removed. */
export const optionsBatchBody = z.strictObject({
  add: z.array(optionInput).optional(),
  update: z
    .array(
      z.object({
        product_option_id: z.string().min(1),
        // A string is an existing value's id; an object a new value.
        add: z.array(z.union([z.string().min(1), z.strictObject({ value: z.string().min(1) })])).optional(),
        remove: z.array(z.string().min(1)).optional(),
      }),
    )
    .optional(),
  remove: z.array(z.string().min(1)).optional(),
});

export type CreateProductBody = z.infer<typeof createProductBody>;
export type UpdateProductBody = z.infer<typeof updateProductBody>;
export type OptionsBatchBody = z.infer<typeof optionsBatchBody>;
export type OptionInput = z.infer<typeof optionInput>;
export type VariantInput = z.infer<typeof updateVariant>;
export type CreateVariantInput = z.infer<typeof createVariant>;

/** Parses or throws Medusa's "Invalid request: …" message (first three issues, joined by "; "). */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 3).map((issue) => describeIssue(issue, body));
  throw invalidData(`Invalid request: ${issues.join('; ')}`);
}

/** As Medusa's zod helpers do, the value is looked up in the body: absent means "required". */
function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>(
    (value, key) =>
      typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>)[key] : undefined,
    body,
  );
}

function describeIssue(issue: z.core.$ZodIssue, body: unknown): string {
  const path = issue.path.map(String).join(', ');
  if (issue.code === 'unrecognized_keys') return `Unrecognized fields: '${issue.keys.join(', ')}'`;
  if (issue.code === 'custom') return issue.message;
  if (issue.code === 'invalid_type') {
    const value = valueAt(body, issue.path);
    return value === undefined
      ? `Field '${path}' is required`
      : `Expected type: '${issue.expected}' for field '${path}', got: '${String(value)}'`;
  }
  if (issue.code === 'too_small' && issue.origin === 'number') {
    return `Value for field '${path}' too small, expected at least: '${String(issue.minimum)}'`;
  }
  return `${issue.message} for field '${path}'`;
}
