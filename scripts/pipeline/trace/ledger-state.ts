import { once } from 'node:events';
import {
  connectCluster,
  connectRedis,
  type RedisMode,
} from '../../../nest-worker/src/idempotency/redis-connection';
import { entityKey, namespacedScope } from '../../../nest-worker/src/idempotency/redis-keys';
import { RELAY_SCOPE, relayEntity } from '../../../nest-worker/src/idempotency/relay-pending-marks';

/** What the worker's Redis remembers of the product: each destination's last applied record. */
export interface LedgerState {
  /** product-ingest → Pimcore, keyed by externalId: version, contentHash, appliedAs (the Pimcore id). */
  readonly pimcore: Readonly<Record<string, string>> | null;
  /** medusa-sync → Medusa, keyed by Pimcore object: version, contentHash (fingerprint), appliedAs (Medusa id). */
  readonly medusa: Readonly<Record<string, string>> | null;
  /** An event for the object is on its way to the relay (webhook coalescing). */
  readonly relayPending: boolean;
}

/** Ledger hashes are the idempotency ledger's `ledger` keys (nest-worker/src/idempotency). */
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
    const read = async (key: string) => {
      const record = await redis.hgetall(key);
      return Object.keys(record).length === 0 ? null : record;
    };
    const relayScope = namespacedScope(RELAY_SCOPE, namespace);
    const object = pimcoreId === undefined ? undefined : relayEntity(pimcoreId);
    return {
      pimcore: await read(entityKey(namespacedScope('pimcore', namespace), externalId, 'ledger')),
      medusa: object === undefined ? null : await read(entityKey(relayScope, object, 'ledger')),
      relayPending:
        object !== undefined && (await redis.exists(entityKey(relayScope, object, 'relay-pending'))) === 1,
    };
  } finally {
    failed.abort();
    redis.disconnect();
  }
}
