import { z } from 'zod';

/**
 * The shapes of Medusa's admin API as the relay uses it: the bodies it sends, and the parts of the
 * answers it reads (checked with these schemas). Imports nothing of the relay's, so every module of it
 * can import this one.
 */

/** The body of `POST /admin/products` the relay sends: only fields Medusa's strict validator knows. */
export interface MedusaProductBody {
  readonly title: string;
  readonly handle: string;
  readonly description: string | null;
  readonly status: 'published' | 'draft';
  readonly external_id: string;
  readonly thumbnail: string | null;
  readonly images: readonly { readonly url: string }[];
  readonly sales_channels: readonly { readonly id: string }[];
  readonly options: readonly MedusaOptionInput[];
  readonly variants: readonly MedusaVariantInput[];
  readonly metadata: Readonly<Record<string, unknown>>;
}

/** An update: everything but the options, which Medusa ≥ 2.16 changes through their own route. */
export type MedusaProductUpdate = Partial<Omit<MedusaProductBody, 'options'>>;

export interface MedusaOptionInput {
  readonly title: string;
  readonly values: readonly string[];
}

export interface MedusaVariantInput {
  readonly id?: string;
  readonly title: string;
  readonly sku: string;
  /** Option title → value; every option of the product has one. */
  readonly options: Readonly<Record<string, string>>;
  /** Major units (23.8 SAR), lower-case currency codes, as Medusa v2 stores prices. */
  readonly prices: readonly { readonly amount: number; readonly currency_code: string }[];
  readonly manage_inventory: boolean;
}

/** The body of `POST /admin/products/:id/options/batch` (Medusa ≥ 2.17; options left the update body in 2.16). */
export interface OptionLinkChanges {
  /** New options of the product, created with their values. */
  readonly add?: readonly MedusaOptionInput[];
  /**
   * Values added to (or removed from, by value id) an option the product has. A new value goes as
   * `{value}`: a bare string names an existing value by id.
   */
  readonly update?: readonly {
    readonly product_option_id: string;
    readonly add?: readonly { readonly value: string }[];
    readonly remove?: readonly string[];
  }[];
  /** Options (by id) the product no longer has. */
  readonly remove?: readonly string[];
}

/** The parts of an admin product the relay reads back; Medusa sends more, which is ignored. */
export const medusaProductSchema = z.object({
  id: z.string(),
  handle: z.string(),
  status: z.string(),
  external_id: z.string().nullable().optional(),
  metadata: z.record(z.string(), z.unknown()).nullable().optional(),
  options: z
    .array(
      z.object({
        id: z.string(),
        title: z.string(),
        values: z
          .array(z.object({ id: z.string(), value: z.string() }))
          .nullable()
          .optional(),
      }),
    )
    .nullable()
    .optional(),
  variants: z
    .array(
      z.object({
        id: z.string(),
        sku: z.string().nullable().optional(),
        title: z.string().nullable().optional(),
        manage_inventory: z.boolean().optional(),
        // Read by `npx pipeline trace` only (Medusa's admin answers include them by default).
        prices: z
          .array(z.object({ amount: z.number(), currency_code: z.string() }))
          .nullable()
          .optional(),
      }),
    )
    .nullable()
    .optional(),
});
export type MedusaProduct = z.infer<typeof medusaProductSchema>;

export const inventoryItemSchema = z.object({
  id: z.string(),
  sku: z.string().nullable().optional(),
  location_levels: z
    .array(z.object({ location_id: z.string(), stocked_quantity: z.number() }))
    .nullable()
    .optional(),
});
export type MedusaInventoryItem = z.infer<typeof inventoryItemSchema>;
