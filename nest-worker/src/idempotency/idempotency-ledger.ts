import type { Redis } from 'ioredis';

export interface IdempotencyLedgerOptions {
  /** Namespaces keys per destination, e.g. "pimcore" or "medusa". */
  readonly scope: string;
  /** A claim outlives a crashed worker by at most this long. */
  readonly claimTtlMs: number;
  /** How long "this content was applied" is remembered. */
  readonly appliedTtlSeconds: number;
}

/** Sets the key's expiry only while the caller still owns it. */
const RENEW_IF_OWNER = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

/** Deletes the key only while the caller still owns it. */
const RELEASE_IF_OWNER = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * Records an application in one step: the content is marked applied, and the product's last applied
 * version moves forward (never back).
 */
const MARK_APPLIED = `
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
local current = tonumber(redis.call('GET', KEYS[2]))
if current == nil or tonumber(ARGV[3]) > current then redis.call('SET', KEYS[2], ARGV[3]) end
return 1`;

/**
 * Exactly-once in effect on top of at-least-once delivery, in Redis (ioredis):
 * - a claim per entity (`SET NX PX`, never GET-then-SET) so one worker at a time works on a product,
 *   owner-checked when renewed (with the visibility heartbeat) and released;
 * - an applied marker per entity *and content hash*, so a duplicate delivery is dropped while a
 *   re-upload with changed content is applied;
 * - the last applied version per entity, so an older version never overwrites a newer one.
 */
export class IdempotencyLedger {
  constructor(
    private readonly redis: Redis,
    private readonly options: IdempotencyLedgerOptions,
  ) {}

  async claim(entity: string, owner: string): Promise<boolean> {
    const result = await this.redis.set(this.claimKey(entity), owner, 'PX', this.options.claimTtlMs, 'NX');
    return result === 'OK';
  }

  async renew(entity: string, owner: string): Promise<boolean> {
    const renewed = await this.redis.eval(
      RENEW_IF_OWNER,
      1,
      this.claimKey(entity),
      owner,
      this.options.claimTtlMs,
    );
    return renewed === 1;
  }

  async release(entity: string, owner: string): Promise<void> {
    await this.redis.eval(RELEASE_IF_OWNER, 1, this.claimKey(entity), owner);
  }

  async isApplied(entity: string, contentHash: string): Promise<boolean> {
    return (await this.redis.exists(this.appliedKey(entity, contentHash))) === 1;
  }

  async lastAppliedVersion(entity: string): Promise<number | undefined> {
    const value = await this.redis.get(this.versionKey(entity));
    return value === null ? undefined : Number(value);
  }

  async markApplied(entity: string, contentHash: string, version: number, appliedAs: string): Promise<void> {
    await this.redis.eval(
      MARK_APPLIED,
      2,
      this.appliedKey(entity, contentHash),
      this.versionKey(entity),
      appliedAs,
      this.options.appliedTtlSeconds,
      version,
    );
  }

  private claimKey(entity: string): string {
    return `pipeline:${this.options.scope}:claim:${entity}`;
  }

  private appliedKey(entity: string, contentHash: string): string {
    return `pipeline:${this.options.scope}:applied:${entity}:${contentHash}`;
  }

  private versionKey(entity: string): string {
    return `pipeline:${this.options.scope}:version:${entity}`;
  }
}
