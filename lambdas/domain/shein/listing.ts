import { z } from 'zod';
import { countSchema, idSchema, imageUrlSchema, optionalText, priceSchema, requiredText } from './fields';
import { pickPrices, textOrNull, type SourceProduct } from './source-product';

/**
 * A flat Shein listing item (category and search exports): one product, no SKUs, no detail lines.
 * Only the fields the transform reads are kept.
 */
export const listingSchema = z.object({
  goods_id: idSchema,
  goods_sn: requiredText,
  goods_name: requiredText,
  goods_url_name: optionalText,
  cat_id: idSchema,
  goods_img: imageUrlSchema.nullish(),
  detail_image: z.array(imageUrlSchema).nullish(),
  productRelationID: optionalText,
  salePrice: priceSchema.nullish(),
  retailPrice: priceSchema.nullish(),
  stock: countSchema.nullish(),
});
export type ListingItem = z.infer<typeof listingSchema>;

export function listingToSource(raw: ListingItem): SourceProduct {
  return {
    goodsId: raw.goods_id,
    goodsSn: raw.goods_sn,
    goodsName: raw.goods_name,
    goodsUrlName: textOrNull(raw.goods_url_name),
    productRelationId: textOrNull(raw.productRelationID),
    brand: null,
    categoryId: raw.cat_id,
    categoryPath: [],
    imageUrls: [...(raw.goods_img ? [raw.goods_img] : []), ...(raw.detail_image ?? [])],
    details: [],
    variants: [
      {
        sku: raw.goods_sn,
        stock: raw.stock ?? 0,
        optionValues: [],
        ...pickPrices([{ block: raw, path: '' }]),
        path: '',
      },
    ],
    optionValueOrder: new Map(),
  };
}
