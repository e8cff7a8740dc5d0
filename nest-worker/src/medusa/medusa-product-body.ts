import { createHash } from 'node:crypto';
import type { CanonicalVariant } from '../../../contracts/canonical-product';
import { toDecimalString } from '../../../common/money';
import type { PimcoreProduct } from '../pimcore';
import type {
  MedusaProduct,
  MedusaProductBody,
  MedusaProductUpdate,
  MedusaVariantInput,
} from './medusa-api-types';
import { MedusaPermanentError } from './medusa-errors';

export interface MappingSettings {
  readonly salesChannelId: string;
  /** Lower-case codes each variant must have a price in; undefined: every currency it has. */
  readonly currencies: readonly string[] | undefined;
  /** True with a stock location: Medusa then tracks stock and the relay sets the levels. */
  readonly manageInventory: boolean;
}

/** Which Pimcore state a Medusa product shows: Pimcore's version id, else its modification time. */
export const pimcoreRevisionOf = (product: PimcoreProduct): number =>
  product.version ?? product.modificationDate;

/** The metadata key that records the revision, so an older one never overwrites it even without Redis. */
export const REVISION_KEY = 'pimcore_revision';

/**
 * The metadata key that records the fingerprint of what was written (fingerprintOf), so reconciliation
 * can tell from Medusa alone whether a product shows what Pimcore holds.
 */
export const FINGERPRINT_KEY = 'pipeline_fingerprint';

/** The body with its fingerprint in the metadata (the fingerprint is of the body without it). */
export function withFingerprint(body: MedusaProductBody, fingerprint: string): MedusaProductBody {
  return { ...body, metadata: { ...body.metadata, [FINGERPRINT_KEY]: fingerprint } };
}

/**
 * A product as Pimcore holds it → Medusa's product body. The texts are English (the storefront's
 * default); every locale's texts travel in metadata. Throws MedusaPermanentError ('unmappable') naming
 * the variant and currency when a configured currency has no price, since such a product could not
 * be bought in that region.
 */
export function toMedusaProductBody(pimcore: PimcoreProduct, settings: MappingSettings): MedusaProductBody {
  const { product } = pimcore;
  return {
    title: product.title.en,
    handle: product.handle,
    description: product.description.en === '' ? null : product.description.en,
    status: pimcore.published ? 'published' : 'draft',
    external_id: product.externalId,
    thumbnail: product.images[0] ?? null,
    images: product.images.map((url) => ({ url })),
    sales_channels: [{ id: settings.salesChannelId }],
    options: product.options.map((option) => ({ title: option.name, values: option.values })),
    variants: product.variants.map((variant) => ({
      title: variant.title,
      sku: variant.sku,
      options: variant.options,
      prices: medusaPrices(variant, settings.currencies, product.externalId),
      manage_inventory: settings.manageInventory,
    })),
    metadata: {
      pimcore_id: pimcore.pimcoreId,
      pimcore_path: pimcore.fullPath,
      [REVISION_KEY]: pimcoreRevisionOf(pimcore),
      content_hash: pimcore.contentHash,
      source: product.source.shape,
      shein_goods_id: product.source.goodsId,
      shein_product_relation_id: product.source.productRelationId,
      brand: product.brand,
      category_path: product.category.path.join(' > '),
      titles: product.title,
      descriptions: product.description,
      attributes: product.attributes,
    },
  };
}

/**
 * What Medusa is asked to hold, as a hash: a delivery that hashes the same as the last one applied has
 * nothing to change. The Pimcore revision is left out (an editor's save that changes nothing Medusa
 * shows is not worth a write); the stock levels are in when Medusa manages inventory, since an
 * editor may change only those.
 */
export function fingerprintOf(
  body: MedusaProductBody,
  pimcore: PimcoreProduct,
  settings: MappingSettings,
): string {
  const { [REVISION_KEY]: revision, [FINGERPRINT_KEY]: written, ...metadata } = body.metadata;
  const stock = settings.manageInventory
    ? pimcore.product.variants.map((variant) => [variant.sku, variant.stock])
    : [];
  return createHash('sha256')
    .update(JSON.stringify({ ...body, metadata, stock }))
    .digest('hex');
}

/**
 * The update of `existing` to `body`: Medusa replaces the variants with the ones sent, so each variant it
 * already has goes with its id (matched by SKU) and keeps it. Variants that Pimcore no longer has are
 * left out, and Medusa removes them: Pimcore is the source of truth.
 */
export function toProductUpdate(body: MedusaProductBody, existing: MedusaProduct): MedusaProductUpdate {
  const variantIds = new Map(
    (existing.variants ?? []).flatMap((variant) => (variant.sku ? [[variant.sku, variant.id] as const] : [])),
  );
  const { options, ...update } = body;
  return {
    ...update,
    variants: body.variants.map((variant) => {
      const id = variantIds.get(variant.sku);
      return id === undefined ? variant : { id, ...variant };
    }),
  };
}

function medusaPrices(
  variant: CanonicalVariant,
  currencies: readonly string[] | undefined,
  externalId: string,
): MedusaVariantInput['prices'] {
  const all = variant.prices.map((money) => ({
    amount: Number(toDecimalString(money)),
    currency_code: money.currencyCode.toLowerCase(),
  }));
  if (currencies === undefined) return all;
  return currencies.map((currency) => {
    const price = all.find((candidate) => candidate.currency_code === currency);
    if (price === undefined) {
      throw new MedusaPermanentError(
        'unmappable',
        `${externalId} variant ${variant.sku} has no ${currency.toUpperCase()} price ` +
          `(MEDUSA_CURRENCIES asks for ${currencies.join(',')}; it has ${all.map((p) => p.currency_code).join(',')})`,
      );
    }
    return price;
  });
}
