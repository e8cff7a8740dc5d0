import { z } from 'zod';
import { appDetailSchema, appDetailToSource } from './shein/app-detail';
import { listingSchema, listingToSource } from './shein/listing';
import type { SourceProduct } from './shein/source-product';

/**
 * A product that passed validation, as Validate stages it in S3 for Transform: the raw item trimmed to
 * the fields the transform reads, tagged with its shape and its position in the upload. Plain JSON; the
 * raw schemas are idempotent, so Transform can parse a staged batch with this schema again.
 */
export const stagedProductSchema = z.discriminatedUnion('shape', [
  z.object({ shape: z.literal('shein-app-detail'), index: z.int().min(0), raw: appDetailSchema }),
  z.object({ shape: z.literal('shein-listing'), index: z.int().min(0), raw: listingSchema }),
]);
export type StagedProduct = z.infer<typeof stagedProductSchema>;

export function toSourceProduct(staged: StagedProduct): SourceProduct {
  return staged.shape === 'shein-app-detail' ? appDetailToSource(staged.raw) : listingToSource(staged.raw);
}

export function goodsIdOf(staged: StagedProduct): string {
  return staged.shape === 'shein-app-detail' ? staged.raw.info.productInfo.goods_id : staged.raw.goods_id;
}
