import { randomBytes } from 'node:crypto';

/** The simulator's stored shapes, which are also the admin API's response shapes. */

export type ProductStatus = 'draft' | 'proposed' | 'published' | 'rejected';

export interface OptionValue {
  readonly id: string;
  readonly value: string;
}

export interface ProductOption {
  readonly id: string;
  readonly title: string;
  readonly values: readonly OptionValue[];
}

export interface Price {
  readonly id: string;
  /** Major units, as sent: 23.8 means 23.80. */
  readonly amount: number;
  readonly currency_code: string;
}

export interface ProductVariant {
  readonly id: string;
  readonly title: string;
  readonly sku: string | null;
  readonly manage_inventory: boolean;
  readonly allow_backorder: boolean;
  /** Option title → value; rendered as Medusa's `options: [{ id, value, option_id }]`. */
  readonly optionValues: Readonly<Record<string, string>>;
  readonly prices: readonly Price[];
  readonly metadata: Record<string, unknown> | null;
}

export interface Image {
  readonly id: string;
  readonly url: string;
  readonly rank: number;
}

export interface SalesChannel {
  readonly id: string;
  readonly name: string;
}

export interface Product {
  readonly id: string;
  readonly title: string;
  readonly subtitle: string | null;
  readonly description: string | null;
  readonly handle: string;
  readonly status: ProductStatus;
  readonly external_id: string | null;
  readonly thumbnail: string | null;
  readonly images: readonly Image[];
  readonly sales_channels: readonly SalesChannel[];
  readonly metadata: Record<string, unknown> | null;
  readonly options: readonly ProductOption[];
  readonly variants: readonly ProductVariant[];
  readonly created_at: string;
  readonly updated_at: string;
}

export interface Region {
  readonly id: string;
  readonly name: string;
  readonly currency_code: string;
}

/** Medusa ids are a prefix and a ULID; 26 random Crockford characters look the same to a client. */
export function newId(prefix: string): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const bytes = randomBytes(26);
  let id = '';
  for (const byte of bytes) id += alphabet[byte % alphabet.length];
  return `${prefix}_${id}`;
}

/** As Medusa derives a missing handle from the title (kebab case). */
export function handleFromTitle(title: string): string {
  return title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export interface StockLocation {
  readonly id: string;
  readonly name: string;
  /** The sales channels the location serves: only their carts can take its stock. */
  readonly sales_channel_ids: readonly string[];
}

export interface InventoryLevel {
  readonly id: string;
  readonly location_id: string;
  readonly stocked_quantity: number;
  readonly reserved_quantity: number;
}

/** Stock lives here, not on the variant: one item per SKU, a level per stock location. */
export interface InventoryItem {
  readonly id: string;
  readonly sku: string | null;
  readonly title: string | null;
  readonly location_levels: readonly InventoryLevel[];
  readonly created_at: string;
  readonly updated_at: string;
}

export interface LineItem {
  readonly id: string;
  readonly variant_id: string;
  readonly product_id: string;
  readonly product_handle: string;
  readonly variant_sku: string | null;
  readonly title: string;
  readonly quantity: number;
  /** Major units in the cart's currency, from the variant's price. */
  readonly unit_price: number;
}

export interface Cart {
  readonly id: string;
  readonly region_id: string;
  readonly currency_code: string;
  readonly sales_channel_id: string;
  readonly items: readonly LineItem[];
  readonly created_at: string;
  readonly updated_at: string;
}
