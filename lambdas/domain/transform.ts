import {
  canonicalProductWithoutHashSchema,
  computeContentHash,
  type CanonicalProduct,
  type CanonicalProductWithoutHash,
} from '../../contracts/canonical-product';
import { selectImages } from './images';
import { planProduct } from './product-plan';
import { englishAttributes, localizedDescription, localizedTitle } from './product-text';
import { formatPath } from './reject';
import { goodsIdOf, type StagedProduct } from './staged-product';
import type { TransformConfig } from './transform-config';

/**
 * A staged product that cannot become a canonical one. After validation this means the configuration
 * changed between Validate and Transform (a symbol or rate removed) or a bug: the handler reports the
 * product as transform_failed and carries on with the batch.
 */
export class TransformError extends Error {
  override readonly name = 'TransformError';
}

function pimPathOf(categoryId: string, config: TransformConfig): string {
  return Object.hasOwn(config.categoryMap, categoryId)
    ? config.categoryMap[categoryId]
    : config.fallbackCategoryPath;
}

/**
 * Products already made in this process, by staged product and configuration: validation makes each
 * product to measure it (product_too_large), and when the transform runs in the same process (npm run
 * ingest, bench:ingest) it takes that product instead of making it again. Safe for the reasons
 * product-plan.ts gives for plans; weak, so a product lives as long as its staged product (one batch).
 */
const made = new WeakMap<
  StagedProduct,
  { readonly config: TransformConfig; readonly product: CanonicalProduct }
>();

/**
 * Staged Shein product → canonical product (v1). Pure and deterministic: the output depends only on the
 * input and the configuration (no clock, no randomness, ordering fixed), so the same product always
 * gets the same contentHash and a re-run publishes nothing new downstream.
 */
export function transformProduct(staged: StagedProduct, config: TransformConfig): CanonicalProduct {
  const known = made.get(staged);
  if (known?.config === config) return known.product;
  const fail = (message: string) => new TransformError(`goods_id ${goodsIdOf(staged)}: ${message}`);
  const planned = planProduct(staged, config);
  if (!planned.ok) throw fail(planned.message);
  const { source, money, variants: plan } = planned.value;
  const product: CanonicalProductWithoutHash = {
    schemaVersion: 1,
    externalId: `shein:${source.goodsId}`,
    handle: `shein-${source.goodsId}`,
    sku: source.goodsSn,
    title: localizedTitle(source, config.sourceLocale),
    description: localizedDescription(source, config.sourceLocale),
    brand: source.brand,
    category: {
      sourceId: source.categoryId,
      path: [...source.categoryPath],
      pimPath: pimPathOf(source.categoryId, config),
    },
    images: selectImages(source.imageUrls),
    attributes: englishAttributes(source),
    options: plan.options,
    variants: plan.variants.map((variant) => {
      const variantMoney = money.get(variant.source);
      if (!variantMoney) throw fail(`no prices for SKU ${variant.sku}`);
      return {
        sku: variant.sku,
        title: variant.title,
        options: variant.options,
        prices: variantMoney.prices,
        compareAtPrices: variantMoney.compareAtPrices,
        stock: variant.source.stock,
      };
    }),
    source: {
      shape: staged.shape,
      goodsId: source.goodsId,
      productRelationId: source.productRelationId,
      goodsUrlName: source.goodsUrlName,
    },
  };
  // Checked without the hash, then hashed once: the full schema would hash the product a second time.
  const checked = canonicalProductWithoutHashSchema.safeParse(product);
  if (!checked.success) {
    const [issue] = checked.error.issues;
    throw fail(`the canonical product is invalid at ${formatPath(issue?.path ?? [])}: ${issue?.message}`);
  }
  const canonical = { ...checked.data, contentHash: computeContentHash(checked.data) };
  made.set(staged, { config, product: canonical });
  return canonical;
}
