import type Redis from 'ioredis';
import { IdempotencyLedger } from '../../../nest-worker/src/idempotency/idempotency-ledger';
import { connectTestRedis, deleteScope, uniqueScope } from '../redis-helpers';

let redis: Redis;
let ledger: IdempotencyLedger;
const scopes: string[] = [];

beforeAll(() => {
  redis = connectTestRedis();
});
afterAll(async () => {
  for (const scope of scopes) await deleteScope(redis, scope);
  await redis.quit();
});
beforeEach(() => {
  const scope = uniqueScope('ledger');
  scopes.push(scope);
  ledger = new IdempotencyLedger(redis, { scope, claimTtlMs: 400, appliedTtlSeconds: 60 });
});

describe('IdempotencyLedger (real Redis)', () => {
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

  it('lets a claim of a crashed worker expire, and renewal keeps it alive', async () => {
    expect(await ledger.claim('shein:3', 'crashed')).toBe(true);
    expect(await ledger.claim('shein:4', 'alive')).toBe(true);
    for (let beat = 0; beat < 3; beat++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await ledger.renew('shein:4', 'alive')).toBe(true);
    }
    expect(await ledger.claim('shein:3', 'next')).toBe(true);
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
      'pipeline:s:claim:shein:9',
      'a',
      400,
    );
    expect(evalScript).toHaveBeenCalledWith(
      expect.stringContaining("redis.call('PEXPIRE'"),
      1,
      'pipeline:s:claim:shein:9',
      'a',
      400,
    );
    expect(await scripted.renew('shein:9', 'a')).toBe(true);
    expect(evalScript).toHaveBeenCalledTimes(1);

    evalsha.mockRejectedValueOnce(new Error('ERR something else'));
    await expect(scripted.release('shein:9', 'a')).rejects.toThrow('ERR something else');
  });
});
