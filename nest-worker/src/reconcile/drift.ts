import { DETAIL_TYPES } from '../../../contracts/events';
import type { MedusaEntry, PimcoreEntry } from './catalogue';

/**
 * - `missing`: published in Pimcore, no product in Medusa.
 * - `stale`: in both, but Medusa shows another state (a draft, or other content).
 * - `unpublished`: published in Medusa though unpublished or deleted in Pimcore.
 * - `conflict`: what a repair event cannot fix (the handle belongs to another product, the product
 *   cannot be mapped, two Medusa products claim one external id); the relay dead-letters it too.
 */
export type DriftKind = 'missing' | 'stale' | 'unpublished' | 'conflict';

/** The publication event that repairs a drift through the relay's normal path. */
export interface Repair {
  readonly detailType: typeof DETAIL_TYPES.productPublished | typeof DETAIL_TYPES.productUnpublished;
  readonly pimcoreId: number;
  readonly externalId: string;
  readonly medusaId?: string;
}

export interface Drift {
  readonly kind: DriftKind;
  readonly externalId: string;
  readonly pimcoreId?: number;
  readonly medusaId?: string;
  /** What differs, for people. */
  readonly detail: string;
  /** Absent for conflicts. */
  readonly repair?: Repair;
}

/**
 * Compares the two catalogues by external id (the relay's key) and handle (Medusa's unique key). Only
 * Medusa products the relay wrote (metadata.pimcore_id) are ours to judge; the others are compared only
 * when they hold a handle one of ours needs.
 */
export function findDrift(pimcore: Iterable<PimcoreEntry>, medusa: readonly MedusaEntry[]): Drift[] {
  const drift: Drift[] = [];
  const ours = new Map<string, MedusaEntry>();
  const byHandle = new Map(medusa.map((entry) => [entry.handle, entry]));
  for (const entry of medusa) {
    if (entry.pimcoreId === undefined || entry.externalId === null) continue;
    const other = ours.get(entry.externalId);
    if (other !== undefined) {
      drift.push({
        kind: 'conflict',
        externalId: entry.externalId,
        medusaId: entry.medusaId,
        detail: `two Medusa products carry external_id ${entry.externalId}: ${other.medusaId} and ${entry.medusaId}`,
      });
      continue;
    }
    ours.set(entry.externalId, entry);
  }
  const seen = new Set<string>();
  for (const product of pimcore) {
    seen.add(product.externalId);
    const found = compare(product, ours.get(product.externalId), byHandle.get(product.handle));
    if (found !== undefined) drift.push(found);
  }
  for (const entry of ours.values()) {
    if (seen.has(entry.externalId!) || entry.status !== 'published') continue;
    drift.push({
      kind: 'unpublished',
      externalId: entry.externalId!,
      pimcoreId: entry.pimcoreId,
      medusaId: entry.medusaId,
      detail: `published in Medusa, but Pimcore has no object ${entry.pimcoreId} any more`,
      repair: unpublish(entry.pimcoreId!, entry),
    });
  }
  return drift;
}

function compare(
  product: PimcoreEntry,
  medusa: MedusaEntry | undefined,
  holderOfHandle: MedusaEntry | undefined,
): Drift | undefined {
  const about = { externalId: product.externalId, pimcoreId: product.pimcoreId, medusaId: medusa?.medusaId };
  if (!product.published) {
    if (medusa?.status !== 'published') return undefined;
    return {
      ...about,
      kind: 'unpublished',
      detail: 'published in Medusa, unpublished in Pimcore',
      repair: unpublish(product.pimcoreId, medusa),
    };
  }
  if ('unmappable' in product.expected) {
    return { ...about, kind: 'conflict', detail: `cannot be relayed: ${product.expected.unmappable}` };
  }
  const publish: Repair = {
    detailType: DETAIL_TYPES.productPublished,
    pimcoreId: product.pimcoreId,
    externalId: product.externalId,
  };
  if (medusa === undefined) {
    if (holderOfHandle !== undefined) {
      return {
        ...about,
        kind: 'conflict',
        medusaId: holderOfHandle.medusaId,
        detail: `Medusa product ${holderOfHandle.medusaId} holds the handle ${product.handle} with external_id ${holderOfHandle.externalId ?? 'null'}`,
      };
    }
    return { ...about, kind: 'missing', detail: 'published in Pimcore, not in Medusa', repair: publish };
  }
  if (medusa.status !== 'published') {
    return {
      ...about,
      kind: 'stale',
      detail: `${medusa.status} in Medusa, published in Pimcore`,
      repair: publish,
    };
  }
  // Products written before the fingerprint was recorded are judged by revision alone.
  const differs =
    medusa.fingerprint !== undefined
      ? medusa.fingerprint !== product.expected.fingerprint
      : (medusa.revision ?? -Infinity) < product.revision;
  if (!differs) return undefined;
  return {
    ...about,
    kind: 'stale',
    detail: `Medusa shows revision ${medusa.revision ?? 'none'}${medusa.fingerprint === undefined ? '' : ' with other content'}, Pimcore holds ${product.revision}`,
    repair: publish,
  };
}

function unpublish(pimcoreId: number, medusa: MedusaEntry): Repair {
  return {
    detailType: DETAIL_TYPES.productUnpublished,
    pimcoreId,
    externalId: medusa.externalId!,
    medusaId: medusa.medusaId,
  };
}
