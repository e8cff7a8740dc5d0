import { priceVariants, type VariantMoney } from './prices';
import type { Outcome } from './reject';
import type { SourceProduct, SourceVariant } from './shein/source-product';
import { toSourceProduct, type StagedProduct } from './staged-product';
import type { TransformConfig } from './transform-config';
import { planVariants, type VariantPlan } from './variants';

/** What validation and the transform both work out from a staged product: its prices and variants. */
export interface ProductPlan {
  readonly source: SourceProduct;
  readonly money: ReadonlyMap<SourceVariant, VariantMoney>;
  readonly variants: VariantPlan;
}

/**
 * Plans already made in this process, by staged product and configuration. When Validate and
 * Transform run in one process (npm run ingest, bench:ingest), the transform takes the plan validation
 * made instead of making it again; the Lambdas, in separate processes, each make it once. Staged
 * products are never changed after validation, and a plan depends only on the product and the
 * configuration, so a remembered plan is the one that would be made again. Weak: a plan lives as long
 * as its staged product (one batch). Measured both ways (bench:ingest, NDJSON): about 10 % faster at
 * 1,000 products, even at 10,000; at 100,000 the runs disagree (the plans kept for a batch get promoted
 * to V8's old space), so it stays while the smallest size has the least margin.
 */
const plans = new WeakMap<StagedProduct, { readonly config: TransformConfig; readonly plan: ProductPlan }>();

/** The product's prices in every configured currency (checked first), then its options and variants. */
export function planProduct(staged: StagedProduct, config: TransformConfig): Outcome<ProductPlan> {
  const known = plans.get(staged);
  if (known?.config === config) return { ok: true, value: known.plan };
  const source = toSourceProduct(staged);
  const money = priceVariants(source, config);
  if (!money.ok) return money;
  const variants = planVariants(source);
  if (!variants.ok) return variants;
  const plan: ProductPlan = { source, money: money.value, variants: variants.value };
  plans.set(staged, { config, plan });
  return { ok: true, value: plan };
}
