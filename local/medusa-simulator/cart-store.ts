import { z } from 'zod';
import { invalidData, MedusaApiError, notFound } from './errors';
import type { InventoryStore } from './inventory-store';
import {
  newId,
  type Cart,
  type LineItem,
  type Product,
  type ProductVariant,
  type Region,
  type StockLocation,
} from './model';
import type { ProductStore } from './product-store';

export const createCartBody = z.strictObject({
  region_id: z.string().optional(),
  sales_channel_id: z.string().optional(),
  email: z.string().optional(),
  currency_code: z.string().optional(),
  metadata: z.record(z.string(), z.unknown()).nullable().optional(),
});
export const addLineItemBody = z.strictObject({
  variant_id: z.string().min(1),
  quantity: z.number().gt(0),
  metadata: z.record(z.string(), z.unknown()).nullable().optional(),
});

export type AddLineItemBody = z.infer<typeof addLineItemBody>;

export interface CatalogView {
  readonly products: ProductStore;
  readonly inventory: InventoryStore;
  readonly regions: readonly Region[];
  readonly stockLocations: readonly StockLocation[];
}

/**
 * Store carts with the checks of Medusa 2.21.2's addToCartWorkflow, in its order: the variant exists
 * and its product is published, it has a price in the cart's currency, and (managing inventory,
 * without backorder) an item with a level at a location of the cart's sales channel that holds the
 * cart's whole quantity. Medusa does not check that the product is in the cart's sales channel.
 */
export class CartStore {
  private readonly carts = new Map<string, Cart>();

  constructor(private readonly catalog: CatalogView) {}

  create(regionId: string | undefined, salesChannelId: string): Cart {
    const region =
      regionId === undefined
        ? this.catalog.regions[0]
        : this.catalog.regions.find((candidate) => candidate.id === regionId);
    if (!region) throw notFound('No regions found');
    const now = new Date().toISOString();
    const cart: Cart = {
      id: newId('cart'),
      region_id: region.id,
      currency_code: region.currency_code,
      sales_channel_id: salesChannelId,
      items: [],
      created_at: now,
      updated_at: now,
    };
    this.carts.set(cart.id, cart);
    return cart;
  }

  get(id: string): Cart {
    const cart = this.carts.get(id);
    if (!cart) throw notFound(`Cart id not found: ${id}`);
    return cart;
  }

  addLineItem(cartId: string, body: AddLineItemBody): Cart {
    const cart = this.get(cartId);
    const found = this.findVariant(body.variant_id);
    if (!found || found.product.status !== 'published') {
      throw invalidData(
        `Variants ${body.variant_id} do not exist or belong to a product that is not published`,
      );
    }
    const { product, variant } = found;
    const price = variant.prices.find((candidate) => candidate.currency_code === cart.currency_code);
    if (!price) throw invalidData(`Variants with IDs ${variant.id} do not have a price`);
    const existing = cart.items.find((item) => item.variant_id === variant.id);
    const quantity = (existing?.quantity ?? 0) + body.quantity;
    this.confirmInventory(cart, variant, quantity);
    const item: LineItem = {
      id: existing?.id ?? newId('cali'),
      variant_id: variant.id,
      product_id: product.id,
      product_handle: product.handle,
      variant_sku: variant.sku,
      title: product.title,
      quantity,
      unit_price: price.amount,
    };
    const items = existing
      ? cart.items.map((candidate) => (candidate === existing ? item : candidate))
      : [...cart.items, item];
    const updated: Cart = { ...cart, items, updated_at: new Date().toISOString() };
    this.carts.set(cart.id, updated);
    return updated;
  }

  reset(): void {
    this.carts.clear();
  }

  private findVariant(id: string): { product: Product; variant: ProductVariant } | undefined {
    for (const product of this.catalog.products.list()) {
      const variant = product.variants.find((candidate) => candidate.id === id);
      if (variant) return { product, variant };
    }
    return undefined;
  }

  /**
   * Medusa 2.21.2 lets a variant through whose only level is at a location outside the channel (its
   * confirm-inventory input skips such variants); the simulator refuses it, as the rule is meant.
   */
  private confirmInventory(cart: Cart, variant: ProductVariant, quantity: number): void {
    if (!variant.manage_inventory || variant.allow_backorder) return;
    const channelLocations = new Set(
      this.catalog.stockLocations
        .filter((location) => location.sales_channel_ids.includes(cart.sales_channel_id))
        .map((location) => location.id),
    );
    const levels = this.catalog.inventory
      .itemsOf(variant.id)
      .map((item) => item.location_levels.filter((level) => channelLocations.has(level.location_id)));
    if (levels.length === 0 || levels.every((itemLevels) => itemLevels.length === 0)) {
      throw invalidData(
        `Sales channel ${cart.sales_channel_id} is not associated with any stock location for variant ${variant.id}.`,
      );
    }
    const available = levels.every((itemLevels) =>
      itemLevels.some((level) => level.stocked_quantity - level.reserved_quantity >= quantity),
    );
    if (!available) {
      throw new MedusaApiError(
        'not_allowed',
        'Some variant does not have the required inventory',
        'insufficient_inventory',
      );
    }
  }
}
