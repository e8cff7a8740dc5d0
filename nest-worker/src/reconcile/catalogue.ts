import type { MedusaAdminClient } from '../medusa/medusa-admin-client';
import type { MedusaProduct } from '../medusa/medusa-api-types';
import {
  FINGERPRINT_KEY,
  fingerprintOf,
  pimcoreRevisionOf,
  REVISION_KEY,
  toMedusaProductBody,
  type MappingSettings,
} from '../medusa/medusa-product-body';
import type { PimcoreClient, PimcoreProduct } from '../pimcore';

/** Products asked for per page on each side: small pages, since a Pimcore node carries every locale. */
export const PAGE_SIZE = 100;

/** A Pimcore object as reconciliation compares it: what Medusa should show for it. */
export interface PimcoreEntry {
  readonly pimcoreId: number;
  readonly externalId: string;
  readonly handle: string;
  readonly published: boolean;
  readonly revision: number;
  /** The fingerprint of the Medusa product the relay would write, or why it cannot write one. */
  readonly expected: { readonly fingerprint: string } | { readonly unmappable: string };
}

/** A Medusa product as reconciliation compares it. */
export interface MedusaEntry {
  readonly medusaId: string;
  readonly handle: string;
  readonly status: string;
  readonly externalId: string | null;
  /** Set on the products the relay wrote (metadata.pimcore_id): the only ones reconciliation owns. */
  readonly pimcoreId?: number;
  readonly revision?: number;
  readonly fingerprint?: string;
}

export function pimcoreEntryOf(product: PimcoreProduct, mapping: MappingSettings): PimcoreEntry {
  let expected: PimcoreEntry['expected'];
  try {
    const body = toMedusaProductBody(product, mapping);
    expected = { fingerprint: fingerprintOf(body, product, mapping) };
  } catch (error) {
    // The relay refuses it the same way (dead letter): reported, not repaired.
    expected = { unmappable: (error as Error).message };
  }
  return {
    pimcoreId: product.pimcoreId,
    externalId: product.product.externalId,
    handle: product.product.handle,
    published: product.published,
    revision: pimcoreRevisionOf(product),
    expected,
  };
}

export function medusaEntryOf(product: MedusaProduct): MedusaEntry {
  const metadata = product.metadata ?? {};
  const pimcoreId = Number(metadata.pimcore_id);
  const revision = Number(metadata[REVISION_KEY]);
  const fingerprint = metadata[FINGERPRINT_KEY];
  return {
    medusaId: product.id,
    handle: product.handle,
    status: product.status,
    externalId: product.external_id ?? null,
    ...(Number.isInteger(pimcoreId) && pimcoreId > 0 && { pimcoreId }),
    ...(Number.isFinite(revision) && { revision }),
    ...(typeof fingerprint === 'string' && { fingerprint }),
  };
}

/**
 * Every item of a paged listing: pages of PAGE_SIZE until one comes back short or the total the side
 * reported is reached.
 */
async function* everyItem<T>(
  page: (offset: number) => Promise<{ readonly items: readonly T[]; readonly total: number }>,
): AsyncGenerator<T> {
  for (let offset = 0; ; offset += PAGE_SIZE) {
    const { items, total } = await page(offset);
    yield* items;
    if (items.length < PAGE_SIZE || offset + PAGE_SIZE >= total) return;
  }
}

/** Every Product object, page by page (Pimcore's count when the walk started decides where it ends). */
export async function* pimcoreCatalogue(
  pimcore: PimcoreClient,
  mapping: MappingSettings,
  signal?: AbortSignal,
): AsyncGenerator<PimcoreEntry> {
  const products = everyItem(async (offset) => {
    const page = await pimcore.listProducts({ offset, limit: PAGE_SIZE }, { signal });
    return { items: page.products, total: page.total };
  });
  for await (const product of products) yield pimcoreEntryOf(product, mapping);
}

/** Every Medusa product, page by page. */
export async function* medusaCatalogue(
  medusa: MedusaAdminClient,
  signal?: AbortSignal,
): AsyncGenerator<MedusaEntry> {
  const products = everyItem(async (offset) => {
    const page = await medusa.listProducts({ offset, limit: PAGE_SIZE }, signal);
    return { items: page.products, total: page.count };
  });
  for await (const product of products) yield medusaEntryOf(product);
}
