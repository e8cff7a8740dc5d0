import type { CanonicalProduct } from '../../contracts/canonical-product';
import type { DeadLetter } from './dead-letters';
import type { MedusaHolding } from './medusa-part';
import type { PimcoreHolding } from './pimcore-part';

/** Where every expected product stands, from the parts' own state. */
export interface Reconciliation {
  readonly expected: number;
  /** Exactly one Pimcore object with the expected content. */
  readonly inPimcore: number;
  readonly published: number;
  /** Exactly one Medusa product with the expected content. */
  readonly inMedusa: number;
  /** Not in Medusa, but a DLQ holds a message about it (with the reason). */
  readonly deadLettered: readonly ProductLetter[];
  readonly duplicatedInPimcore: readonly string[];
  readonly duplicatedInMedusa: readonly string[];
  /** Duplicated in Pimcore or in Medusa, each named once. */
  readonly duplicated: readonly string[];
  /** Neither in Medusa with the expected content nor in a DLQ: still on its way, or lost. */
  readonly missing: readonly string[];
  /** The latest updated_at (epoch ms) of the expected products in Medusa, where Medusa reports it. */
  readonly lastInMedusaAt?: number;
}

export interface ProductLetter {
  readonly externalId: string;
  readonly queue: string;
  readonly reason: string;
}

export interface PartsState {
  readonly pimcore: ReadonlyMap<string, PimcoreHolding>;
  readonly medusa: ReadonlyMap<string, MedusaHolding>;
  readonly deadLetters: readonly DeadLetter[];
}

type Expected = Pick<CanonicalProduct, 'externalId' | 'contentHash'>;

export function reconcile(expected: readonly Expected[], state: PartsState): Reconciliation {
  const externalIdOfPimcoreId = new Map<number, string>();
  for (const [externalId, holding] of state.pimcore) {
    for (const id of holding.pimcoreIds) externalIdOfPimcoreId.set(id, externalId);
  }
  const lettersByProduct = new Map<string, DeadLetter>();
  for (const letter of state.deadLetters) {
    const externalId = letter.externalId ?? externalIdOfPimcoreId.get(letter.pimcoreId ?? -1);
    if (externalId !== undefined) lettersByProduct.set(externalId, letter);
  }
  let inPimcore = 0;
  let published = 0;
  let inMedusa = 0;
  let lastInMedusaAt: number | undefined;
  const deadLettered: ProductLetter[] = [];
  const duplicatedInPimcore: string[] = [];
  const duplicatedInMedusa: string[] = [];
  const missing: string[] = [];
  for (const { externalId, contentHash } of expected) {
    const pimcore = state.pimcore.get(externalId);
    const medusa = state.medusa.get(externalId);
    if (pimcore && pimcore.objects > 1) duplicatedInPimcore.push(externalId);
    if (medusa && medusa.products > 1) duplicatedInMedusa.push(externalId);
    if (pimcore?.objects === 1 && pimcore.contentHash === contentHash) inPimcore += 1;
    if (pimcore?.published) published += 1;
    if (medusa?.products === 1 && medusa.contentHash === contentHash) {
      inMedusa += 1;
      if (medusa.updatedAt !== undefined) lastInMedusaAt = Math.max(lastInMedusaAt ?? 0, medusa.updatedAt);
      continue;
    }
    const letter = lettersByProduct.get(externalId);
    if (letter) deadLettered.push({ externalId, queue: letter.queue, reason: letter.reason });
    else missing.push(externalId);
  }
  return {
    expected: expected.length,
    inPimcore,
    published,
    inMedusa,
    deadLettered,
    duplicatedInPimcore,
    duplicatedInMedusa,
    duplicated: [...new Set([...duplicatedInPimcore, ...duplicatedInMedusa])],
    missing,
    ...(lastInMedusaAt === undefined ? {} : { lastInMedusaAt }),
  };
}
