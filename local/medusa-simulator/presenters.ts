import type { Cart, InventoryItem, Product, ProductOption, ProductVariant, StockLocation } from './model';

/** Admin and store response shapes, built from the stored ones. */

export function adminProduct(product: Product): Record<string, unknown> {
  return { ...product, variants: product.variants.map((variant) => adminVariant(variant, product)) };
}

export function adminVariant(variant: ProductVariant, product: Product): Record<string, unknown> {
  return {
    ...variantBase(variant, product.options),
    product_id: product.id,
    manage_inventory: variant.manage_inventory,
    allow_backorder: variant.allow_backorder,
    prices: variant.prices,
    metadata: variant.metadata,
  };
}

/**
 * The store shows no raw prices; with `region_id` a variant gets the `calculated_price` in the
 * region's currency (null when it has none, which makes it unpurchasable there).
 */
export function storeProduct(product: Product, currencyCode: string | undefined): Record<string, unknown> {
  return {
    ...withoutSalesChannels(product),
    variants: product.variants.map((variant) => {
      const base = {
        ...variantBase(variant, product.options),
        manage_inventory: variant.manage_inventory,
        allow_backorder: variant.allow_backorder,
      };
      if (currencyCode === undefined) return base;
      const price = variant.prices.find((candidate) => candidate.currency_code === currencyCode);
      return {
        ...base,
        calculated_price: price
          ? { calculated_amount: price.amount, original_amount: price.amount, currency_code: currencyCode }
          : null,
      };
    }),
  };
}

/** Totals as sums of the stored major-unit prices; rounded so 23.8 × 3 reads 71.4. */
export function storeCart(cart: Cart): Record<string, unknown> {
  const itemTotal = cart.items.reduce((sum, item) => sum + item.unit_price * item.quantity, 0);
  const total = Math.round(itemTotal * 1e6) / 1e6;
  return { ...cart, item_total: total, subtotal: total, total };
}

/** Quantities summed over the levels, each level with what it can still sell. */
export function adminInventoryItem(item: InventoryItem): Record<string, unknown> {
  const levels = item.location_levels.map((level) => ({
    ...level,
    inventory_item_id: item.id,
    incoming_quantity: 0,
    available_quantity: level.stocked_quantity - level.reserved_quantity,
  }));
  return {
    ...item,
    requires_shipping: true,
    stocked_quantity: levels.reduce((sum, level) => sum + level.stocked_quantity, 0),
    reserved_quantity: levels.reduce((sum, level) => sum + level.reserved_quantity, 0),
    location_levels: levels,
  };
}

/** The links to sales channels are not part of a location's default fields. */
export function adminStockLocation(location: StockLocation): Record<string, unknown> {
  return { id: location.id, name: location.name, address: null, metadata: null };
}

function variantBase(variant: ProductVariant, options: readonly ProductOption[]): Record<string, unknown> {
  return {
    id: variant.id,
    title: variant.title,
    sku: variant.sku,
    options: Object.entries(variant.optionValues).map(([title, value]) => {
      const option = options.find((candidate) => candidate.title === title);
      const optionValue = option?.values.find((candidate) => candidate.value === value);
      return { id: optionValue?.id ?? null, value, option_id: option?.id ?? null };
    }),
  };
}

/** The store API does not expose which channels a product is in. */
function withoutSalesChannels(product: Product): Omit<Product, 'sales_channels'> {
  return Object.fromEntries(Object.entries(product).filter(([key]) => key !== 'sales_channels')) as Omit<
    Product,
    'sales_channels'
  >;
}
