import type { Cluster } from 'ioredis';
import type Redis from 'ioredis';
import { IdempotencyLedger } from '../../../nest-worker/src/idempotency/idempotency-ledger';
import { REDIS_MODES } from '../../../nest-worker/src/idempotency/redis-connection';
import { entityKey } from '../../../nest-worker/src/idempotency/redis-keys';
import { useRedisCluster } from '../redis-cluster';
import { openTestConnection, useRedisInMode } from '../redis-helpers';
import { waitUntil } from '../worker-harness';

const cluster = useRedisCluster();

/** Long enough that no claim in these tests expires before the test is done with it, on any machine. */
const CLAIM_TTL_MS = 60_000;

describe.each(REDIS_MODES)('IdempotencyLedger (real Redis, %s)', (mode) => {
  const connection = useRedisInMode(mode, cluster);
  let scope: string;
  let ledger: IdempotencyLedger;
  beforeEach(() => {
    scope = connection.scope('ledger');
    // A claim outlives every test here: none of them may depend on how fast the machine runs it.
    ledger = new IdempotencyLedger(connection.redis, {
      scope,
      claimTtlMs: CLAIM_TTL_MS,
      appliedTtlSeconds: 60,
    });
  });
  const claimKey = (entity: string) => entityKey(scope, entity, 'claim');

  it('lets exactly one of many concurrent claimants have a product', async () => {
    const owners = Array.from({ length: 25 }, (_, index) => `worker-${index}`);
    const results = await Promise.all(owners.map((owner) => ledger.claim('shein:1', owner)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('claims and reads what was applied in one round trip', async () => {
    expect(await ledger.claimAndRead('shein:7', 'a')).toEqual({ claimed: true, last: undefined });
    await ledger.markApplied('shein:7', 'hash-1', 1000, '42');
    expect(await ledger.claimAndRead('shein:7', 'b')).toEqual({
      claimed: false,
      last: { version: 1000, contentHash: 'hash-1', appliedAs: '42' },
    });
    await ledger.release('shein:7', 'a');
    expect((await ledger.claimAndRead('shein:7', 'b')).claimed).toBe(true);
  });

  it('renews and releases only for the owner', async () => {
    expect(await ledger.claim('shein:2', 'a')).toBe(true);
    expect(await ledger.renew('shein:2', 'b')).toBe(false);
    await ledger.release('shein:2', 'b');
    expect(await ledger.claim('shein:2', 'c')).toBe(false);
    expect(await ledger.renew('shein:2', 'a')).toBe(true);
    await ledger.release('shein:2', 'a');
    expect(await ledger.claim('shein:2', 'c')).toBe(true);
  });

  it('lets a claim of a crashed worker expire', async () => {
    const shortLived = new IdempotencyLedger(connection.redis, {
      scope,
      claimTtlMs: 300,
      appliedTtlSeconds: 60,
    });
    expect(await shortLived.claim('shein:3', 'crashed')).toBe(true);
    // Nobody renews it: Redis drops it after its TTL, however long that takes to be seen here.
    await waitUntil('the crashed worker’s claim has expired', () => ledger.claim('shein:3', 'next'));
    expect(await ledger.claim('shein:3', 'another')).toBe(false);
  });

  it('renewal restarts the claim’s TTL, so a renewed claim outlives the time it was first given', async () => {
    expect(await ledger.claim('shein:4', 'alive')).toBe(true);
    expect(await ledger.claim('shein:8', 'crashed')).toBe(true);
    // As if most of the TTL had passed for both: Redis counts it down; the test sets it instead of sleeping.
    const nearlyOver = 10_000;
    await connection.redis.pexpire(claimKey('shein:4'), nearlyOver);
    await connection.redis.pexpire(claimKey('shein:8'), nearlyOver);

    expect(await ledger.renew('shein:4', 'alive')).toBe(true);
    expect(await ledger.renew('shein:8', 'not-the-owner')).toBe(false);
    // The renewed claim has its whole TTL again; the other still ends when it would have.
    const renewedTtl = await connection.redis.pttl(claimKey('shein:4'));
    expect(renewedTtl).toBeGreaterThan(nearlyOver);
    expect(renewedTtl).toBeLessThanOrEqual(CLAIM_TTL_MS);
    expect(await connection.redis.pttl(claimKey('shein:8'))).toBeLessThanOrEqual(nearlyOver);
    expect(await ledger.claim('shein:4', 'next')).toBe(false);
  });

  it('remembers the content and version last applied per product', async () => {
    await ledger.markApplied('shein:5', 'hash-a', 1000, '42');
    expect(await ledger.lastApplied('shein:5')).toEqual({
      version: 1000,
      contentHash: 'hash-a',
      appliedAs: '42',
    });
    expect(await ledger.lastApplied('shein:6')).toBeUndefined();
  });

  it('moves the last applied version forward only', async () => {
    await ledger.markApplied('shein:7', 'h2', 2000, '1');
    await ledger.markApplied('shein:7', 'h1', 1000, '1');
    expect(await ledger.lastApplied('shein:7')).toMatchObject({ version: 2000, contentHash: 'h2' });
    await ledger.markApplied('shein:7', 'h3', 3000, '1');
    expect(await ledger.lastApplied('shein:7')).toMatchObject({ version: 3000, contentHash: 'h3' });
  });
});

describe('the ledger’s keys in a Redis Cluster (3 masters)', () => {
  let redis: Cluster;
  beforeAll(async () => {
    redis = (await openTestConnection('cluster', cluster)) as Cluster;
  });
  afterAll(() => redis?.quit());

  const keySlot = async (key: string) => Number(await redis.cluster('KEYSLOT', key));
  /** The master that serves a slot, as the client knows it. */
  const nodeOf = (slot: number) => redis.slots[slot]?.[0];
  const products = Array.from({ length: 30 }, (_, index) => `shein:${1000 + index}`);

  it('puts a product’s claim and ledger in one slot (the hash tag), the products over every master', async () => {
    const ledger = new IdempotencyLedger(redis, {
      scope: 'pimcore:slots-test',
      claimTtlMs: 10_000,
      appliedTtlSeconds: 60,
    });
    const slots: number[] = [];
    for (const product of products) {
      await ledger.claimAndRead(product, 'owner');
      await ledger.markApplied(product, 'hash', 1000, '42');
      const keys = [
        `pipeline:{pimcore:slots-test:${product}}:claim`,
        `pipeline:{pimcore:slots-test:${product}}:ledger`,
      ];
      // The keys written are these: both exist, in one slot.
      expect(await redis.exists(...keys)).toBe(2);
      const [claimSlot, ledgerSlot] = await Promise.all(keys.map(keySlot));
      expect(ledgerSlot).toBe(claimSlot);
      slots.push(claimSlot!);
    }
    expect(new Set(slots.map(nodeOf)).size).toBe(3);
  });

  it('would be refused without it: the previous key names of a product span slots and nodes', async () => {
    // `pipeline:<scope>:claim:<entity>` and `…:applied:<entity>`, the names before the hash tags.
    const untagged = async (product: string) => {
      const keys = [`pipeline:pimcore:claim:${product}`, `pipeline:pimcore:applied:${product}`];
      const slots = await Promise.all(keys.map(keySlot));
      return { keys, apart: nodeOf(slots[0]!) !== nodeOf(slots[1]!) };
    };
    const spans = await Promise.all(products.map(untagged));
    const [claimKey, appliedKey] = spans.find((span) => span.apart)!.keys as [string, string];

    // A Lua script over both: Redis answers CROSSSLOT.
    await expect(
      redis.eval("return redis.call('EXISTS', KEYS[1], KEYS[2])", 2, claimKey, appliedKey),
    ).rejects.toThrow(/^CROSSSLOT/);
    // claimAndRead's pipeline, and a transaction: the client refuses them, the keys being on two nodes.
    await expect(
      redis.pipeline().set(claimKey, 'owner', 'PX', 1000, 'NX').hmget(appliedKey, 'version').exec(),
    ).rejects.toThrow(/same slots allocation group/);
    await expect(redis.multi().set(claimKey, 'owner').hmget(appliedKey, 'version').exec()).rejects.toThrow(
      /same slots allocation group/,
    );

    // The same three over the tagged names of that product are answered.
    const product = claimKey.slice('pipeline:pimcore:claim:'.length);
    const tagged = [`pipeline:{pimcore:${product}}:claim`, `pipeline:{pimcore:${product}}:ledger`] as const;
    expect(await redis.eval("return redis.call('EXISTS', KEYS[1], KEYS[2])", 2, ...tagged)).toBe(0);
    expect(
      await redis.pipeline().set(tagged[0], 'owner', 'PX', 1000, 'NX').hmget(tagged[1], 'version').exec(),
    ).toEqual([
      [null, 'OK'],
      [null, [null]],
    ]);
    expect(await redis.multi().del(tagged[0]).hmget(tagged[1], 'version').exec()).toEqual([
      [null, 1],
      [null, [null]],
    ]);
  });
});

describe('IdempotencyLedger scripts', () => {
  it('runs its Lua scripts by SHA1 and sends the script only when Redis does not know it', async () => {
    const noScript = new Error('NOSCRIPT No matching script. Please use EVAL.');
    const evalsha = jest.fn().mockRejectedValueOnce(noScript).mockResolvedValue(1);
    const evalScript = jest.fn().mockResolvedValue(1);
    const stub = { evalsha, eval: evalScript } as unknown as Redis;
    const scripted = new IdempotencyLedger(stub, { scope: 's', claimTtlMs: 400, appliedTtlSeconds: 60 });

    expect(await scripted.renew('shein:9', 'a')).toBe(true);
    expect(evalsha).toHaveBeenLastCalledWith(
      expect.stringMatching(/^[0-9a-f]{40}$/),
      1,
      'pipeline:{s:shein:9}:claim',
      'a',
      400,
    );
    expect(evalScript).toHaveBeenCalledWith(
      expect.stringContaining("redis.call('PEXPIRE'"),
      1,
      'pipeline:{s:shein:9}:claim',
      'a',
      400,
    );
    expect(await scripted.renew('shein:9', 'a')).toBe(true);
    expect(evalScript).toHaveBeenCalledTimes(1);

    evalsha.mockRejectedValueOnce(new Error('ERR something else'));
    await expect(scripted.renew('shein:9', 'a')).rejects.toThrow('ERR something else');
    expect(evalScript).toHaveBeenCalledTimes(1);
  });

  it('sends the release, which is not awaited, whole: a claim sent after it finds it done', async () => {
    const evalsha = jest.fn();
    const evalScript = jest.fn().mockResolvedValue(1);
    const stub = { evalsha, eval: evalScript } as unknown as Redis;
    const scripted = new IdempotencyLedger(stub, { scope: 's', claimTtlMs: 400, appliedTtlSeconds: 60 });

    await scripted.release('shein:9', 'a');
    expect(evalScript).toHaveBeenCalledWith(
      expect.stringContaining("redis.call('DEL'"),
      1,
      'pipeline:{s:shein:9}:claim',
      'a',
    );
    expect(evalsha).not.toHaveBeenCalled();
  });
});
