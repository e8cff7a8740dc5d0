import { FirstOccurrenceWins } from '../../../lambdas/domain/duplicates';
import { exampleListing, exampleProduct, stageOrFail as staged } from '../fixtures';

const listing = exampleListing(0);

describe('FirstOccurrenceWins', () => {
  it('lets the first product with a goods_id through and rejects later ones, naming the winner', () => {
    const rule = new FirstOccurrenceWins();
    expect(rule.claim(staged(listing, 3))).toBeUndefined();
    expect(rule.claim(staged({ ...listing, goods_name: 'a later, different copy' }, 8))).toEqual({
      index: 8,
      id: '60020001',
      reason: 'duplicate_goods_id',
      message: 'goods_id 60020001 already came at index 3; the first occurrence wins',
    });
    expect(rule.claim(staged({ ...listing, goods_id: 60020002 }, 9))).toBeUndefined();
  });

  it('compares goods_ids across shapes and number/string spellings', () => {
    const rule = new FirstOccurrenceWins();
    expect(rule.claim(staged(exampleProduct(0), 0))).toBeUndefined();
    expect(rule.claim(staged({ ...listing, goods_id: 50010001 }, 1))?.reason).toBe('duplicate_goods_id');
    expect(rule.claim(staged({ ...listing, goods_id: '50010001' }, 2))?.message).toContain('index 0');
  });
});
