import { z } from 'zod';
import { invalidData } from './errors';

/**
 * The admin product bodies, strict at every level as Medusa's zodValidator makes them: a field the
 * API does not know (inventory_quantity, for one) is a 400, never silently dropped.
 */

const price = z.strictObject({
  id: z.string().optional(),
  /** Major units (23.80 SAR), as Medusa v2 stores prices. */
  amount: z.number().nonnegative(),
  currency_code: z.string().min(1),
});

const optionInput = z.strictObject({
  id: z.string().optional(),
  title: z.string().min(1),
  values: z.array(z.string().min(1)).min(1),
});

const variantInput = z.strictObject({
  id: z.string().optional(),
  title: z.string().min(1),
  sku: z.string().min(1).nullable().optional(),
  options: z.record(z.string(), z.string()).optional(),
  prices: z.array(price).optional(),
  manage_inventory: z.boolean().optional(),
  allow_backorder: z.boolean().optional(),
  metadata: z.record(z.string(), z.unknown()).nullable().optional(),
});

const productFields = {
  title: z.string().min(1),
  subtitle: z.string().nullable().optional(),
  description: z.string().nullable().optional(),
  handle: z.string().min(1).optional(),
  status: z.enum(['draft', 'proposed', 'published', 'rejected']).optional(),
  external_id: z.string().nullable().optional(),
  thumbnail: z.string().nullable().optional(),
  images: z.array(z.strictObject({ id: z.string().optional(), url: z.string().min(1) })).optional(),
  sales_channels: z.array(z.strictObject({ id: z.string().min(1) })).optional(),
  metadata: z.record(z.string(), z.unknown()).nullable().optional(),
  options: z.array(optionInput).optional(),
  variants: z.array(variantInput).optional(),
};

export const createProductBody = z.strictObject(productFields);
export const updateProductBody = z.strictObject({ ...productFields, title: productFields.title.optional() });

export type CreateProductBody = z.infer<typeof createProductBody>;
export type UpdateProductBody = z.infer<typeof updateProductBody>;
export type OptionInput = z.infer<typeof optionInput>;
export type VariantInput = z.infer<typeof variantInput>;

/** Parses or throws Medusa's "Invalid request: …" message (first three issues, joined by "; "). */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  throw invalidData(`Invalid request: ${result.error.issues.slice(0, 3).map(describeIssue).join('; ')}`);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String).join(', ');
  if (issue.code === 'unrecognized_keys') return `Unrecognized fields: '${issue.keys.join(', ')}'`;
  if (issue.code === 'invalid_type') {
    return issue.input === undefined
      ? `Field '${path}' is required`
      : `Expected type: '${issue.expected}' for field '${path}', got: '${typeof issue.input}'`;
  }
  return `${issue.message} for field '${path}'`;
}
