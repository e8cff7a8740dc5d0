import { once } from 'node:events';
import {
  connectCluster,
  connectRedis,
  type RedisMode,
} from '../../../nest-worker/src/idempotency/redis-connection';
import {
  IdempotencyLedger,
  type AppliedRecord,
} from '../../../nest-worker/src/idempotency/idempotency-ledger';
import { namespacedScope } from '../../../nest-worker/src/idempotency/redis-keys';
import {
  RELAY_SCOPE,
  relayEntity,
  RelayPendingMarks,
} from '../../../nest-worker/src/idempotency/relay-pending-marks';

/** What the worker's Redis remembers of the product: each destination's last applied record. */
export interface LedgerState {
  /** product-ingest → Pimcore, keyed by externalId: version, contentHash, appliedAs (the Pimcore id). */
  readonly pimcore: AppliedRecord | null;
  /** medusa-sync → Medusa, keyed by Pimcore object: version, contentHash (fingerprint), appliedAs (Medusa id). */
  readonly medusa: AppliedRecord | null;
  /** An event for the object is on its way to the relay (webhook coalescing). */
  readonly relayPending: boolean;
}

/** Read through the worker's own ledger and marks, so trace reads the keys as the worker writes them. */
export async function readLedgerState(
  connection: { readonly url: string; readonly mode: RedisMode; readonly namespace?: string },
  externalId: string,
  pimcoreId: number | undefined,
): Promise<LedgerState> {
  const { namespace } = connection;
  // The worker's own connection settings (cluster or not, TLS): the keys are read as it wrote them.
  const redis = connection.mode === 'cluster' ? connectCluster(connection.url) : connectRedis(connection.url);
  const failed = new AbortController();
  try {
    await Promise.race([
      once(redis, 'ready', { signal: failed.signal }),
      once(redis, 'error', { signal: failed.signal }).then(([error]) => Promise.reject(error as Error)),
      new Promise((_, reject) => setTimeout(() => reject(new Error('no answer within 5 s')), 5000).unref()),
    ]);
    // Read only: the claim and expiry settings a ledger needs for writing play no part.
    const ledger = (scope: string) =>
      new IdempotencyLedger(redis, {
        scope: namespacedScope(scope, namespace),
        claimTtlMs: 0,
        appliedTtlSeconds: 0,
      });
    const medusa =
      pimcoreId === undefined ? undefined : await ledger(RELAY_SCOPE).lastApplied(relayEntity(pimcoreId));
    return {
      pimcore: (await ledger('pimcore').lastApplied(externalId)) ?? null,
      medusa: medusa ?? null,
      relayPending:
        pimcoreId !== undefined && (await new RelayPendingMarks(redis, namespace).isPending(pimcoreId)),
    };
  } finally {
    failed.abort();
    redis.disconnect();
  }
}
