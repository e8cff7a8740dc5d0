import { IdempotencyLedger } from '../../../nest-worker/src/idempotency/idempotency-ledger';
import { ProductClaims } from '../../../nest-worker/src/idempotency/product-claims';
import { REDIS_MODES } from '../../../nest-worker/src/idempotency/redis-connection';
import { entityKey } from '../../../nest-worker/src/idempotency/redis-keys';
import type { HandlerContext, HandlerOutcome } from '../../../nest-worker/src/queue/consumed-message';
import { useRedisCluster } from '../redis-cluster';
import { useRedisInMode } from '../redis-helpers';

const done: HandlerOutcome = { kind: 'done', result: 'applied' };

/** A handler context whose heartbeats the test runs itself. */
function context(): HandlerContext & { heartbeats: (() => Promise<void>)[] } {
  const heartbeats: (() => Promise<void>)[] = [];
  return { signal: new AbortController().signal, onHeartbeat: (renew) => heartbeats.push(renew), heartbeats };
}

const cluster = useRedisCluster();

/** Long enough that no claim in these tests expires before the test is done with it, on any machine. */
const CLAIM_TTL_MS = 60_000;

describe.each(REDIS_MODES)('ProductClaims (real Redis, %s)', (mode) => {
  const connection = useRedisInMode(mode, cluster);
  let scope: string;
  let ledger: IdempotencyLedger;
  let claims: ProductClaims;
  beforeEach(() => {
    scope = connection.scope('claims');
    ledger = new IdempotencyLedger(connection.redis, {
      scope,
      claimTtlMs: CLAIM_TTL_MS,
      appliedTtlSeconds: 60,
    });
    claims = new ProductClaims(ledger, 7);
  });
  const claimKey = (entity: string) => entityKey(scope, entity, 'claim');

  it('runs the work under a won claim, renews it at every heartbeat and releases it afterwards', async () => {
    const held = context();
    const claim = await claims.claim('shein:1');
    const outcome = await claim.hold(held, async () => {
      expect(held.heartbeats).toHaveLength(1);
      // As if most of the claim's TTL had passed (Redis counts it down; the test sets it, not sleeps).
      const nearlyOver = 10_000;
      for (let beat = 0; beat < 3; beat++) {
        await connection.redis.pexpire(claimKey('shein:1'), nearlyOver);
        await held.heartbeats[0]!();
        // Each heartbeat gave the claim its whole TTL again: only the renewals keep it past the first one.
        expect(await connection.redis.pttl(claimKey('shein:1'))).toBeGreaterThan(nearlyOver);
      }
      expect(await ledger.claim('shein:1', 'other')).toBe(false);
      return done;
    });
    expect(outcome).toBe(done);
    expect(await ledger.claim('shein:1', 'other')).toBe(true);
  });

  it('answers busy, without running the work, while another worker holds the product', async () => {
    expect(await ledger.claim('shein:2', 'other')).toBe(true);
    const held = context();
    const work = jest.fn(async () => done);
    const outcome = await (await claims.claim('shein:2')).hold(held, work);
    expect(outcome).toEqual({ kind: 'retry-later', reason: 'ProductBusy', delaySeconds: 7 });
    expect(work).not.toHaveBeenCalled();
    expect(held.heartbeats).toHaveLength(0);
  });

  it('releases the claim when the work throws', async () => {
    const claim = await claims.claim('shein:3');
    await expect(claim.hold(context(), () => Promise.reject(new Error('bug')))).rejects.toThrow('bug');
    expect(await ledger.claim('shein:3', 'other')).toBe(true);
  });

  it('claims and reads in one round trip; release() gives up only a claim that was won', async () => {
    await ledger.markApplied('shein:4', 'hash-1', 1000, '42');
    const claimAndRead = jest.spyOn(ledger, 'claimAndRead');
    const claim = jest.spyOn(ledger, 'claim');
    const lastApplied = jest.spyOn(ledger, 'lastApplied');

    const won = await claims.claimAndRead('shein:4');
    const lost = await claims.claimAndRead('shein:4');
    expect(won.last).toEqual({ version: 1000, contentHash: 'hash-1', appliedAs: '42' });
    expect(lost.last).toEqual(won.last);
    expect(claimAndRead).toHaveBeenCalledTimes(2);
    expect(claim).not.toHaveBeenCalled();
    expect(lastApplied).not.toHaveBeenCalled();

    lost.claim.release();
    expect(await ledger.claim('shein:4', 'other')).toBe(false);
    won.claim.release();
    expect(await ledger.claim('shein:4', 'other')).toBe(true);
  });
});
