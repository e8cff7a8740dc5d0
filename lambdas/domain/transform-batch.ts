import type { CanonicalProduct } from '../../contracts/canonical-product';
import type { Reject } from './reject';
import { goodsIdOf, type StagedProduct } from './staged-product';
import { transformProduct, TransformError } from './transform';
import type { TransformConfig } from './transform-config';

export interface TransformedBatch {
  /** In the batch's order, each with its position in the upload. */
  readonly products: Array<{ index: number; product: CanonicalProduct }>;
  /** Products the transform refused, as transform_failed rejects. */
  readonly rejects: Reject[];
}

/**
 * Transforms a staged batch product by product: a product the mapping cannot turn into a canonical one
 * is reported as transform_failed and the batch carries on; any other error is a bug and propagates.
 */
export function transformBatch(staged: readonly StagedProduct[], config: TransformConfig): TransformedBatch {
  const batch: TransformedBatch = { products: [], rejects: [] };
  for (const product of staged) {
    try {
      batch.products.push({ index: product.index, product: transformProduct(product, config) });
    } catch (error) {
      if (!(error instanceof TransformError)) throw error;
      batch.rejects.push({
        index: product.index,
        id: goodsIdOf(product),
        reason: 'transform_failed',
        message: error.message,
      });
    }
  }
  return batch;
}
