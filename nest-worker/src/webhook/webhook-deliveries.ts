import { randomUUID } from 'node:crypto';
import { RELEASE_IF_OWNER } from '../idempotency/lua-script';
import type { RedisConnection } from '../idempotency/redis-connection';
import { entityKey } from '../idempotency/redis-keys';

export interface WebhookDeliveriesOptions {
  /** Prefixes the keys (e.g. "webhook:pimcore", with REDIS_KEY_NAMESPACE if any). */
  readonly scope: string;
  /** How long a processed delivery id is remembered (Pimcore's retries come within hours). */
  readonly doneTtlSeconds: number;
  /** How long a delivery being processed holds its id if this worker dies before settling it. */
  readonly pendingTtlMs: number;
}

/** The state of a delivery id when a request for it comes in. */
export type DeliveryClaim =
  | { readonly state: 'claimed'; readonly owner: string }
  /** `eventId` is empty for a delivery that was coalesced (it put no event of its own). */
  | { readonly state: 'done'; readonly eventId: string }
  | { readonly state: 'in-progress' };

const PENDING = 'pending:';
const DONE = 'done:';

/** Marks the delivery done only while the caller still holds it. */
const COMPLETE_IF_OWNER = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3]) end
return 0`;

/**
 * Webhook delivery ids in Redis, so a redelivered webhook puts no second event on the bus. A request
 * claims its id (`SET NX`, never GET-then-SET) while it works; the id is marked done only after the
 * event is on the bus, and released when that failed, so the sender's retry is processed.
 */
export class WebhookDeliveries {
  constructor(
    private readonly redis: RedisConnection,
    private readonly options: WebhookDeliveriesOptions,
  ) {}

  async claim(deliveryId: string): Promise<DeliveryClaim> {
    const owner = `${PENDING}${randomUUID()}`;
    const key = this.key(deliveryId);
    const set = await this.redis.set(key, owner, 'PX', this.options.pendingTtlMs, 'NX');
    if (set === 'OK') return { state: 'claimed', owner };
    const current = await this.redis.get(key);
    if (current?.startsWith(DONE)) return { state: 'done', eventId: current.slice(DONE.length) };
    // Held by a request still working on it (or expired in between: the sender's retry settles it).
    return { state: 'in-progress' };
  }

  async complete(deliveryId: string, owner: string, eventId: string): Promise<void> {
    await this.redis.eval(
      COMPLETE_IF_OWNER,
      1,
      this.key(deliveryId),
      owner,
      `${DONE}${eventId}`,
      this.options.doneTtlSeconds,
    );
  }

  async release(deliveryId: string, owner: string): Promise<void> {
    // Frees the delivery id only while the caller still holds it.
    await RELEASE_IF_OWNER.run(this.redis, this.key(deliveryId), owner);
  }

  private key(deliveryId: string): string {
    return entityKey(this.options.scope, deliveryId, 'delivery');
  }
}
