import type { Reject } from './reject';
import { goodsIdOf, type StagedProduct } from './staged-product';

/**
 * The duplicate rule within one upload: the first valid item with a goods_id wins; any later valid item
 * with the same goods_id is rejected as duplicate_goods_id, naming the winner's index. Items rejected
 * for other reasons do not claim their goods_id, so a broken first copy never hides a good second one.
 * Memory: one entry per distinct goods_id.
 */
export class FirstOccurrenceWins {
  private readonly winners = new Map<string, number>();

  /** Claims the product's goods_id, or returns the reject when an earlier product holds it. */
  claim(product: StagedProduct): Reject | undefined {
    const goodsId = goodsIdOf(product);
    const winner = this.winners.get(goodsId);
    if (winner === undefined) {
      this.winners.set(goodsId, product.index);
      return undefined;
    }
    return {
      index: product.index,
      id: goodsId,
      reason: 'duplicate_goods_id',
      message: `goods_id ${goodsId} already came at index ${winner}; the first occurrence wins`,
    };
  }
}
