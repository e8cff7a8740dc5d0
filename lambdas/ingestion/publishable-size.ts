import type { CanonicalProduct } from '../../contracts/canonical-product';
import type { Reject } from '../domain/reject';
import { goodsIdOf, type StagedProduct } from '../domain/staged-product';
import { transformProduct, TransformError } from '../domain/transform';
import type { TransformConfig } from '../domain/transform-config';
import { MAX_PRODUCT_BYTES, productBytes } from '../publishing/product-ingested-entry';

/**
 * The product_too_large rule: a product whose ProductIngested event would not fit one PutEvents entry
 * is rejected here, at validation, instead of failing the ingestion at Publish. Measured on the
 * canonical product itself, serialised as Publish serialises it. A product the transform refuses passes:
 * the transform reports it (transform_failed), as it always has.
 */
export function tooLargeToPublish(staged: StagedProduct, config: TransformConfig): Reject | undefined {
  let product: CanonicalProduct;
  try {
    product = transformProduct(staged, config);
  } catch (error) {
    if (error instanceof TransformError) return undefined;
    throw error;
  }
  const bytes = productBytes(product);
  if (bytes <= MAX_PRODUCT_BYTES) return undefined;
  return {
    index: staged.index,
    id: goodsIdOf(staged),
    reason: 'product_too_large',
    message:
      `the canonical product is ${bytes} bytes (${product.variants.length} variants); a product may be at most ` +
      `${MAX_PRODUCT_BYTES} bytes, so that its ProductIngested event fits one EventBridge entry (256 KiB)`,
  };
}
