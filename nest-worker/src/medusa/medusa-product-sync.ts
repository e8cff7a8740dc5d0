import type { PimcoreProduct } from '../pimcore';
import type { MedusaAdminClient } from './medusa-admin-client';
import type { MedusaProduct, MedusaProductBody } from './medusa-api-types';
import type { MedusaConfig } from './medusa-config';
import { MedusaPermanentError } from './medusa-errors';
import { planOptionChanges } from './medusa-option-changes';
import { REVISION_KEY, toProductUpdate } from './medusa-product-body';

export type SyncOutcome =
  /** The product was created, or updated to the body (published or draft). */
  | { readonly kind: 'created' | 'updated'; readonly medusaId: string }
  /** Medusa already shows a newer Pimcore revision: nothing was written. */
  | { readonly kind: 'stale'; readonly medusaId: string }
  /** Nothing to take out of the storefront: Medusa has no such product. */
  | { readonly kind: 'absent' };

/**
 * Upserts one product into Medusa by handle (docs/relay.md). A product found under the handle
 * must carry our external_id, or the handle belongs to someone else and the product is refused. The
 * revision in its metadata is the last line of defence against going back in time when the worker's
 * Redis ledger was lost. Stock levels follow when a stock location is configured.
 */
export class MedusaProductSync {
  constructor(
    private readonly client: MedusaAdminClient,
    private readonly config: Pick<MedusaConfig, 'stockLocationId'>,
  ) {}

  /** Makes Medusa show `body` (published, or draft when Pimcore unpublished it), then the stock. */
  async upsert(body: MedusaProductBody, product: PimcoreProduct, signal?: AbortSignal): Promise<SyncOutcome> {
    const revision = Number(body.metadata[REVISION_KEY]);
    const existing = await this.findOwned(body, signal);
    if (existing === null && body.status === 'draft') return { kind: 'absent' };
    if (existing !== null && revisionOf(existing) > revision) return { kind: 'stale', medusaId: existing.id };
    const written =
      existing === null
        ? await this.create(body, signal)
        : { product: await this.update(existing, body, signal), created: false };
    if (this.config.stockLocationId !== undefined && body.status === 'published') {
      await this.setStock(written.product, product, this.config.stockLocationId, signal);
    }
    return { kind: written.created ? 'created' : 'updated', medusaId: written.product.id };
  }

  /**
   * Takes a product whose Pimcore object is gone out of the storefront: status draft, never a delete
   * (orders and carts refer to it).
   */
  async draft(medusaId: string, signal?: AbortSignal): Promise<SyncOutcome> {
    try {
      const product = await this.client.updateProduct(medusaId, { status: 'draft' }, signal);
      return { kind: 'updated', medusaId: product.id };
    } catch (error) {
      if (error instanceof MedusaPermanentError && error.status === 404) return { kind: 'absent' };
      throw error;
    }
  }

  /**
   * Drafts the product only if it is the one the relay wrote for this Pimcore object (its metadata
   * says so): a repair event names it, and an event must not take down someone else's product.
   */
  async draftOwned(medusaId: string, pimcoreId: number, signal?: AbortSignal): Promise<SyncOutcome> {
    const product = await this.client.getProduct(medusaId, signal);
    if (product === null || Number(product.metadata?.pimcore_id) !== pimcoreId) return { kind: 'absent' };
    if (product.status === 'draft') return { kind: 'updated', medusaId };
    return this.draft(medusaId, signal);
  }

  private async create(
    body: MedusaProductBody,
    signal: AbortSignal | undefined,
  ): Promise<{ product: MedusaProduct; created: boolean }> {
    try {
      return { product: await this.client.createProduct(body, signal), created: true };
    } catch (error) {
      // Another writer (a redelivery whose Redis claim was lost) may have created it since the lookup:
      // then the handle is ours and this becomes an update. Any other refusal stands.
      if (!(error instanceof MedusaPermanentError) || error.reason !== 'rejected') throw error;
      const existing = await this.findOwned(body, signal);
      if (existing === null) throw error;
      return { product: await this.update(existing, body, signal), created: false };
    }
  }

  /**
   * Options first (new options and values the variants will use), then the product with its variants
   * (ids kept), then the options and values no variant uses any more.
   */
  private async update(
    existing: MedusaProduct,
    body: MedusaProductBody,
    signal: AbortSignal | undefined,
  ): Promise<MedusaProduct> {
    const { before, after } = planOptionChanges(existing.options, body.options);
    if (before !== undefined) await this.client.linkProductOptions(existing.id, before, signal);
    const product = await this.client.updateProduct(existing.id, toProductUpdate(body, existing), signal);
    if (after !== undefined) return this.client.linkProductOptions(existing.id, after, signal);
    return product;
  }

  private async findOwned(
    body: MedusaProductBody,
    signal: AbortSignal | undefined,
  ): Promise<MedusaProduct | null> {
    const existing = await this.client.findProductByHandle(body.handle, signal);
    if (existing !== null && existing.external_id !== body.external_id) {
      throw new MedusaPermanentError(
        'handle-taken',
        `Medusa product ${existing.id} has the handle ${body.handle} but external_id ` +
          `${existing.external_id ?? 'null'}, not ${body.external_id}: refusing to overwrite another product`,
      );
    }
    return existing;
  }

  /**
   * Each variant's inventory item (found by SKU, or created: Medusa makes none for a variant added by
   * an update) is linked to the variant — again every time, which Medusa treats as a no-op, so an item
   * created just before a crash still gets its link — and stocked at the location.
   */
  private async setStock(
    written: MedusaProduct,
    product: PimcoreProduct,
    locationId: string,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const variantIds = new Map((written.variants ?? []).map((variant) => [variant.sku, variant.id]));
    for (const variant of product.product.variants) {
      const variantId = variantIds.get(variant.sku);
      if (variantId === undefined) {
        throw new MedusaPermanentError(
          'unexpected-response',
          `Medusa's answer for ${written.handle} lacks the variant ${variant.sku} it was sent`,
        );
      }
      const item =
        (await this.client.findInventoryItemBySku(variant.sku, signal)) ??
        (await this.client.createInventoryItem(variant.sku, variant.title, signal));
      await this.client.linkInventoryItem(written.id, variantId, item.id, signal);
      await this.client.setStockedQuantity(item, locationId, variant.stock, signal);
    }
  }
}

function revisionOf(product: MedusaProduct): number {
  const revision = Number(product.metadata?.[REVISION_KEY]);
  return Number.isFinite(revision) ? revision : -Infinity;
}
