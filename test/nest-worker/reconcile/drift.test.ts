import type { MedusaEntry, PimcoreEntry } from '../../../nest-worker/src/reconcile/catalogue';
import { findDrift } from '../../../nest-worker/src/reconcile/drift';

const pimcore = (id: number, overrides: Partial<PimcoreEntry> = {}): PimcoreEntry => ({
  pimcoreId: id,
  externalId: `shein:${id}`,
  handle: `shein-${id}`,
  published: true,
  revision: 10,
  expected: { fingerprint: `f${id}` },
  ...overrides,
});

const medusa = (id: number, overrides: Partial<MedusaEntry> = {}): MedusaEntry => ({
  medusaId: `prod_${id}`,
  handle: `shein-${id}`,
  status: 'published',
  externalId: `shein:${id}`,
  pimcoreId: id,
  revision: 10,
  fingerprint: `f${id}`,
  ...overrides,
});

describe('drift between Pimcore and Medusa', () => {
  it('is none when Medusa shows what Pimcore holds (unpublished ones as drafts or absent)', () => {
    expect(
      findDrift(
        [pimcore(1), pimcore(2, { published: false }), pimcore(3, { published: false })],
        [medusa(1), medusa(2, { status: 'draft' })],
      ),
    ).toEqual([]);
  });

  it('is stale when the fingerprint differs, or by revision for products written before it was recorded', () => {
    const drift = findDrift(
      [pimcore(1), pimcore(2, { revision: 12 }), pimcore(3, { revision: 9 })],
      [
        medusa(1, { fingerprint: 'other' }),
        medusa(2, { fingerprint: undefined }),
        medusa(3, { fingerprint: undefined }),
      ],
    );
    expect(drift.map((entry) => [entry.kind, entry.externalId, entry.repair?.detailType])).toEqual([
      ['stale', 'shein:1', 'ProductPublished'],
      ['stale', 'shein:2', 'ProductPublished'],
    ]);
  });

  it('is stale when Medusa holds a draft of a published product', () => {
    expect(findDrift([pimcore(1)], [medusa(1, { status: 'draft' })])).toEqual([
      expect.objectContaining({ kind: 'stale', detail: 'draft in Medusa, published in Pimcore' }),
    ]);
  });

  it('names products published in Medusa though unpublished or deleted in Pimcore, with the Medusa id', () => {
    const drift = findDrift([pimcore(1, { published: false })], [medusa(1), medusa(2)]);
    expect(drift).toEqual([
      expect.objectContaining({
        kind: 'unpublished',
        externalId: 'shein:1',
        repair: { detailType: 'ProductUnpublished', pimcoreId: 1, externalId: 'shein:1', medusaId: 'prod_1' },
      }),
      expect.objectContaining({
        kind: 'unpublished',
        externalId: 'shein:2',
        repair: { detailType: 'ProductUnpublished', pimcoreId: 2, externalId: 'shein:2', medusaId: 'prod_2' },
      }),
    ]);
  });

  it('leaves products the relay did not write alone, unless they hold a handle one of ours needs', () => {
    const foreign = medusa(7, { pimcoreId: undefined, externalId: 'erp:7', handle: 'shein-1' });
    const drift = findDrift([pimcore(1)], [foreign, medusa(8, { pimcoreId: undefined })]);
    expect(drift).toEqual([
      expect.objectContaining({ kind: 'conflict', externalId: 'shein:1', medusaId: 'prod_7' }),
    ]);
    expect(drift[0].repair).toBeUndefined();
  });

  it('reports what a repair cannot fix: an unmappable product, two Medusa products for one external id', () => {
    const drift = findDrift(
      [pimcore(1, { expected: { unmappable: 'no SAR price' } }), pimcore(2)],
      [medusa(2), medusa(2, { medusaId: 'prod_2b', handle: 'shein-2-copy' })],
    );
    expect(drift.map((entry) => [entry.kind, entry.externalId, entry.repair])).toEqual([
      ['conflict', 'shein:2', undefined],
      ['conflict', 'shein:1', undefined],
    ]);
  });
});
