import { priceVariants, type VariantMoney } from './prices';
import type { Outcome } from './reject';
import type { SourceProduct, SourceVariant } from './shein/source-product';
import { toSourceProduct, type StagedProduct } from './staged-product';
import type { TransformConfig } from './transform-config';
import { planVariants, type VariantPlan } from './variants';

/**
 * What validation and the transform both work out from a staged product: its prices and variants.
 * Each works it out afresh. Remembering validation's plans for the transform (a WeakMap by staged
 * product) saved the work but kept a batch's plans alive long enough to be promoted to V8's old space:
 * on 100,000 products the pipeline was 10-15 % slower with it.
 */
export interface ProductPlan {
  readonly source: SourceProduct;
  readonly money: ReadonlyMap<SourceVariant, VariantMoney>;
  readonly variants: VariantPlan;
}

/** The product's prices in every configured currency (checked first), then its options and variants. */
export function planProduct(staged: StagedProduct, config: TransformConfig): Outcome<ProductPlan> {
  const source = toSourceProduct(staged);
  const money = priceVariants(source, config);
  if (!money.ok) return money;
  const variants = planVariants(source);
  if (!variants.ok) return variants;
  return { ok: true, value: { source, money: money.value, variants: variants.value } };
}
