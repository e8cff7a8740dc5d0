import type { Product, ProductOption, ProductVariant } from './model';

/** Admin and store response shapes of a product, built from the stored one. */

export function adminProduct(product: Product): Record<string, unknown> {
  return {
    ...product,
    variants: product.variants.map((variant) => ({
      ...variantBase(variant, product.options),
      manage_inventory: variant.manage_inventory,
      allow_backorder: variant.allow_backorder,
      prices: variant.prices,
      metadata: variant.metadata,
    })),
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
      const base = variantBase(variant, product.options);
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
