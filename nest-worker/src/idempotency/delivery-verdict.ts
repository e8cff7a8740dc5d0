import type { AppliedRecord } from './idempotency-ledger';

/**
 * What to do with a delivery, given what the ledger says was applied last:
 * - `apply`: new, or changed content that is not older than what was applied;
 * - `duplicate`: the content applied already (whatever its version): nothing to write;
 * - `newer-same-content`: nothing to write, but the ledger must move to this newer version so that a
 *   later delivery of the version in between counts as stale;
 * - `stale`: changed content older than what was applied: an older state never overwrites a newer one.
 * Both consumers judge by it: product-ingest with the export's version and content hash, medusa-sync
 * with the Pimcore revision and the fingerprint of what Medusa would show.
 */
export type DeliveryVerdict = 'apply' | 'duplicate' | 'newer-same-content' | 'stale';

export function judgeDelivery(
  last: AppliedRecord | undefined,
  contentHash: string,
  version: number,
): DeliveryVerdict {
  if (last === undefined) return 'apply';
  if (last.contentHash === contentHash) return version > last.version ? 'newer-same-content' : 'duplicate';
  return version < last.version ? 'stale' : 'apply';
}
