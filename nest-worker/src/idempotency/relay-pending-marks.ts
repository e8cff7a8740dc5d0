import { onRedis } from './idempotency-ledger';
import { LuaScript, RELEASE_IF_OWNER } from './lua-script';
import type { RedisConnection } from './redis-connection';
import { entityKey, namespacedScope } from './redis-keys';

/** The relay's scope: its claim, ledger and pending mark of one Pimcore object share one hash slot. */
export const RELAY_SCOPE = 'medusa';

/** The relay's entity for a Pimcore object. */
export function relayEntity(pimcoreId: number): string {
  return `pimcore-object:${pimcoreId}`;
}

/**
 * Sets the mark for this delivery when it is free, or already this delivery's (its sender's retry after
 * a crash before PutEvents, or after a release that failed: that delivery has no event on the bus yet).
 */
const HOLD_UNLESS_OTHERS = new LuaScript(`
local current = redis.call('GET', KEYS[1])
if current == false or current == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
  return 1
end
return 0`);

/**
 * "A relay event for this Pimcore object is on its way" (`pipeline:{medusa[:<ns>]:pimcore-object:<id>}:
 * relay-pending`, holding the delivery id whose event it is). The webhook sets it before it puts an
 * event; the medusa-sync consumer deletes it before it reads the object. The consumer reads the object
 * as Pimcore holds it then, so while the mark is set, an event not yet read covers any later change:
 * a webhook that finds the mark puts no event of its own.
 */
export class RelayPendingMarks {
  private readonly scope: string;

  constructor(
    private readonly redis: RedisConnection,
    namespace: string | undefined,
  ) {
    this.scope = namespacedScope(RELAY_SCOPE, namespace);
  }

  /** True when this delivery holds the mark (and must put the event); false when another's event covers it. */
  async hold(pimcoreId: number, deliveryId: string, ttlSeconds: number): Promise<boolean> {
    return (await HOLD_UNLESS_OTHERS.run(this.redis, this.key(pimcoreId), deliveryId, ttlSeconds)) === 1;
  }

  /** After a failed PutEvents: frees the mark, unless another delivery holds it by now. */
  async release(pimcoreId: number, deliveryId: string): Promise<void> {
    await RELEASE_IF_OWNER.run(this.redis, this.key(pimcoreId), deliveryId);
  }

  /** The consumer's delete, before its read; a lost connection is a RedisUnavailableError (hand back). */
  async clear(pimcoreId: number): Promise<void> {
    await onRedis(() => this.redis.del(this.key(pimcoreId)));
  }

  /** Whether an event for the object is on its way (read by `npx pipeline trace`). */
  async isPending(pimcoreId: number): Promise<boolean> {
    return (await onRedis(() => this.redis.exists(this.key(pimcoreId)))) === 1;
  }

  private key(pimcoreId: number): string {
    return entityKey(this.scope, relayEntity(pimcoreId), 'relay-pending');
  }
}
