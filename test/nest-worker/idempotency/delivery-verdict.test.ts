import { judgeDelivery } from '../../../nest-worker/src/idempotency/delivery-verdict';

describe('judgeDelivery (both consumers: what a delivery means against the ledger)', () => {
  const last = { version: 200, contentHash: 'a'.repeat(64), appliedAs: '42' };

  it.each([
    ['nothing applied yet', 'apply', undefined, 'b', 100],
    ['the same content, same version (a redelivery)', 'duplicate', last, 'a', 200],
    ['the same content, an older version', 'duplicate', last, 'a', 100],
    ['the same content, a newer version', 'newer-same-content', last, 'a', 300],
    ['changed content, a newer version', 'apply', last, 'b', 300],
    ['changed content, the same version (a re-upload back to other content)', 'apply', last, 'b', 200],
    ['changed content, an older version', 'stale', last, 'b', 100],
  ] as const)('%s → %s', (_, verdict, applied, hashLetter, version) => {
    expect(judgeDelivery(applied, hashLetter.repeat(64), version)).toBe(verdict);
  });
});
