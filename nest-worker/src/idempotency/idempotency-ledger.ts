import { ReplyError } from 'ioredis';
import type { RedisConnection } from './redis-connection';
import { LuaScript, RELEASE_IF_OWNER } from './lua-script';
import { entityKey } from './redis-keys';

export interface IdempotencyLedgerOptions {
  /** Namespaces keys per destination, e.g. "pimcore" or "medusa" (with REDIS_KEY_NAMESPACE, if any). */
  readonly scope: string;
  /** A claim outlives a crashed worker by at most this long. */
  readonly claimTtlMs: number;
  /** How long "this content was applied" is remembered. */
  readonly appliedTtlSeconds: number;
}

/**
 * A ledger command that did not reach Redis, or got no answer: the connection is down or lost (a
 * restart, a failover, a cluster without its slots). The message it was for is handed back with this
 * name as its reason ("RedisUnavailable"), where ioredis's own errors are plain `Error`s. A refusal
 * from Redis itself (a ReplyError: WRONGTYPE, CROSSSLOT, …) is left as it is.
 */
export class RedisUnavailableError extends Error {
  override readonly name = 'RedisUnavailable';

  constructor(cause: unknown) {
    super(`Redis unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** Errors that are Redis's answer, or a bug here, rather than a lost connection: passed on as they are. */
const NOT_A_LOST_CONNECTION = [ReplyError, RedisUnavailableError, TypeError, RangeError, ReferenceError];

/** Runs one Redis operation, naming a lost connection as such (RedisUnavailableError). */
export async function onRedis<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (NOT_A_LOST_CONNECTION.some((kind) => error instanceof kind)) throw error;
    throw new RedisUnavailableError(error);
  }
}

/** Sets the key's expiry only while the caller still owns it. */
const RENEW_IF_OWNER = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`);

/**
 * Records an application: the product's record moves to this version and content, never back to an
 * older version (equal versions: the later write is what Pimcore holds). Its TTL restarts.
 */
const MARK_APPLIED = new LuaScript(`
local current = tonumber(redis.call('HGET', KEYS[1], 'version'))
if current == nil or tonumber(ARGV[1]) >= current then
  redis.call('HSET', KEYS[1], 'version', ARGV[1], 'contentHash', ARGV[2], 'appliedAs', ARGV[3])
end
redis.call('EXPIRE', KEYS[1], ARGV[4])
return 1`);

const APPLIED_FIELDS = ['version', 'contentHash', 'appliedAs'] as const;

function toAppliedRecord([version, contentHash, appliedAs]: (string | null)[]): AppliedRecord | undefined {
  if (version === null || version === undefined || contentHash === null || contentHash === undefined) {
    return undefined;
  }
  return { version: Number(version), contentHash, appliedAs: appliedAs ?? '' };
}

/** What the ledger last applied to a product. */
export interface AppliedRecord {
  /** The version (publish time, ms) of the content last applied. */
  readonly version: number;
  readonly contentHash: string;
  /** The destination's id of the object written (e.g. the Pimcore id). */
  readonly appliedAs: string;
}

/**
 * Exactly-once in effect on top of at-least-once delivery, in Redis (ioredis):
 * - a claim per entity (`SET NX PX`, never GET-then-SET) so one worker at a time works on a product,
 *   owner-checked when renewed (with the visibility heartbeat) and released;
 * - per entity, the version and content hash last applied: a duplicate delivery (same content, not
 *   newer) is dropped, a re-upload with changed content is applied, an older version never overwrites
 *   a newer one, and a re-upload that goes back to earlier content is applied too (a marker per
 *   content hash would take it for a duplicate and leave the newer content in place).
 */
export class IdempotencyLedger {
  constructor(
    private readonly redis: RedisConnection,
    private readonly options: IdempotencyLedgerOptions,
  ) {}

  async claim(entity: string, owner: string): Promise<boolean> {
    const result = await onRedis(() =>
      this.redis.set(this.claimKey(entity), owner, 'PX', this.options.claimTtlMs, 'NX'),
    );
    return result === 'OK';
  }

  async renew(entity: string, owner: string): Promise<boolean> {
    const renewed = await onRedis(() =>
      RENEW_IF_OWNER.run(this.redis, this.claimKey(entity), owner, this.options.claimTtlMs),
    );
    return renewed === 1;
  }

  /** Sent whole, so a claim after it (ProductClaim.release does not wait) finds it released. */
  async release(entity: string, owner: string): Promise<void> {
    await onRedis(() => RELEASE_IF_OWNER.send(this.redis, this.claimKey(entity), owner));
  }

  async lastApplied(entity: string): Promise<AppliedRecord | undefined> {
    const fields = await onRedis(() => this.redis.hmget(this.ledgerKey(entity), ...APPLIED_FIELDS));
    return toAppliedRecord(fields);
  }

  /**
   * claim() and then lastApplied(), sent together in one write and answered in one round trip: Redis
   * runs them in order, so the read sees what was applied when the claim was taken. Both keys share a
   * hash tag, so in cluster mode the pipeline goes to the one node that holds them.
   */
  async claimAndRead(
    entity: string,
    owner: string,
  ): Promise<{ claimed: boolean; last: AppliedRecord | undefined }> {
    const [claim, read] = await onRedis(async () => {
      const results = await this.redis
        .pipeline()
        .set(this.claimKey(entity), owner, 'PX', this.options.claimTtlMs, 'NX')
        .hmget(this.ledgerKey(entity), ...APPLIED_FIELDS)
        .exec();
      // A connection lost under the pipeline fails its commands one by one.
      for (const [error] of results ?? []) if (error) throw error;
      return results ?? [];
    });
    if (claim === undefined || read === undefined) throw new Error('Redis answered no pipeline results');
    return { claimed: claim[1] === 'OK', last: toAppliedRecord(read[1] as (string | null)[]) };
  }

  async markApplied(entity: string, contentHash: string, version: number, appliedAs: string): Promise<void> {
    await onRedis(() =>
      MARK_APPLIED.run(
        this.redis,
        this.ledgerKey(entity),
        version,
        contentHash,
        appliedAs,
        this.options.appliedTtlSeconds,
      ),
    );
  }

  /** An entity's claim and ledger share a hash slot (redis-keys.ts). */
  private claimKey(entity: string): string {
    return entityKey(this.options.scope, entity, 'claim');
  }

  private ledgerKey(entity: string): string {
    return entityKey(this.options.scope, entity, 'ledger');
  }
}
