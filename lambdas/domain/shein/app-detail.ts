import { z } from 'zod';
import { describeValue } from '../reject';
import { categoryPathOf } from './category-path';
import { isPlainObject } from './detect-shape';
import {
  countSchema,
  idKeyedRecord,
  idSchema,
  imageUrlSchema,
  optionalText,
  priceSchema,
  requiredText,
} from './fields';
import {
  pickPrices,
  textOrNull,
  type SourceDetail,
  type SourceProduct,
  type SourceVariant,
} from './source-product';

/**
 * The Shein app's product-detail response `{code, msg, info}` (docs/architecture.md, "The Shein input
 * the code relies on"), cut down to the fields the transform reads: zod drops the rest, which takes a
 * ~135 KB response to a few KB.
 */

const priceBlockSchema = z.object({ salePrice: priceSchema.nullish(), retailPrice: priceSchema.nullish() });

const detailSchema = z.object({
  attr_id: idSchema.nullish(),
  attr_name: optionalText,
  attr_value: optionalText,
  attr_name_en: optionalText,
  attr_value_en: optionalText,
});

const skuSchema = z.object({
  sku_code: requiredText,
  stock: countSchema.nullish(),
  price: priceBlockSchema.nullish(),
  priceInfo: priceBlockSchema.nullish(),
  sku_sale_attr: z
    .array(
      z.object({ attr_id: idSchema.nullish(), attr_name_en: requiredText, attr_value_name_en: requiredText }),
    )
    .nullish(),
});

const productInfoSchema = z.object({
  goods_id: idSchema,
  goods_sn: requiredText,
  goods_name: requiredText,
  cat_id: idSchema,
  cateInfos: idKeyedRecord(
    z.object({
      category_name_en: optionalText,
      parent_ids: z.array(idSchema).nullish(),
      is_leaf: idSchema.nullish(),
    }),
  ).nullish(),
  goods_img: imageUrlSchema.nullish(),
  currentSkcImgInfo: z.object({ skcImages: z.array(imageUrlSchema).nullish() }).nullish(),
  productDescriptionInfo: z
    .object({
      productDetails: z.array(detailSchema).nullish(),
      completeProductDetails: z.array(detailSchema).nullish(),
    })
    .nullish(),
  stock: countSchema.nullish(),
  productRelationID: optionalText,
});

export const appDetailSchema = z.object({
  info: z.object({
    productInfo: productInfoSchema,
    saleAttr: z
      .object({
        /** One entry per colour of the model, each its own goods_id, with the English URL title. */
        mainSaleAttribute: z
          .object({ info: z.array(z.object({ goods_id: idSchema, goods_url_name: optionalText })).nullish() })
          .nullish(),
        multiLevelSaleAttribute: z
          .object({
            sku_list: z.array(skuSchema).nullish(),
            /** The shop's order of each sale attribute's values (sizes XS → XL). */
            skc_sale_attr: z
              .array(
                z.object({
                  attr_id: idSchema,
                  attr_value_list: z.array(z.object({ attr_value_name_en: optionalText })).nullish(),
                }),
              )
              .nullish(),
          })
          .nullish(),
      })
      .nullish(),
    priceInfo: priceBlockSchema.nullish(),
    brandDetailInfo: z.object({ name: optionalText }).nullish(),
  }),
});
export type AppDetail = z.infer<typeof appDetailSchema>;

/** Shein answers errors with HTTP 200 and a non-zero code (or no info): a reject, never a throw. */
export function appResponseProblem(item: Record<string, unknown>): string | undefined {
  const { code, msg, info } = item;
  if (code !== undefined && code !== '0' && code !== 0) {
    return `code is ${describeValue(code)} (msg ${describeValue(msg)}): Shein answered with an error`;
  }
  if (!isPlainObject(info)) return `info is ${describeValue(info)}: the response carries no product`;
  return undefined;
}

type Sku = z.infer<typeof skuSchema>;
type SkcSaleAttribute = NonNullable<
  NonNullable<NonNullable<AppDetail['info']['saleAttr']>['multiLevelSaleAttribute']>['skc_sale_attr']
>[number];

const SKU_LIST_PATH = 'info.saleAttr.multiLevelSaleAttribute.sku_list';

/** skc_sale_attr names attributes by id only; the SKUs say which English name each id has. */
function optionValueOrder(skcAttributes: readonly SkcSaleAttribute[], skus: readonly Sku[]) {
  const nameById = new Map(
    skus
      .flatMap((sku) => sku.sku_sale_attr ?? [])
      .flatMap((a) => (a.attr_id ? [[a.attr_id, a.attr_name_en]] : [])),
  );
  return new Map(
    skcAttributes.flatMap((attribute) => {
      const name = nameById.get(attribute.attr_id);
      const values = (attribute.attr_value_list ?? []).flatMap((v) =>
        v.attr_value_name_en ? [v.attr_value_name_en] : [],
      );
      return name ? [[name, values] as const] : [];
    }),
  );
}

function toDetail(detail: z.infer<typeof detailSchema>): SourceDetail {
  return {
    id: textOrNull(detail.attr_id),
    nameEn: textOrNull(detail.attr_name_en),
    valueEn: textOrNull(detail.attr_value_en),
    name: textOrNull(detail.attr_name),
    value: textOrNull(detail.attr_value),
  };
}

export function appDetailToSource(raw: AppDetail): SourceProduct {
  const { productInfo, saleAttr, priceInfo, brandDetailInfo } = raw.info;
  const skus = saleAttr?.multiLevelSaleAttribute?.sku_list ?? [];
  const productPrices = { block: priceInfo, path: 'info.priceInfo' };
  const variants: SourceVariant[] =
    skus.length > 0
      ? skus.map((sku, index) => {
          const path = `${SKU_LIST_PATH}[${index}]`;
          return {
            sku: sku.sku_code,
            stock: sku.stock ?? 0,
            optionValues: (sku.sku_sale_attr ?? []).map((a) => ({
              name: a.attr_name_en,
              value: a.attr_value_name_en,
            })),
            ...pickPrices([
              { block: sku.price, path: `${path}.price` },
              { block: sku.priceInfo, path: `${path}.priceInfo` },
              productPrices,
            ]),
            path,
          };
        })
      : [
          {
            sku: productInfo.goods_sn,
            stock: productInfo.stock ?? 0,
            optionValues: [],
            ...pickPrices([productPrices]),
            path: 'info.productInfo',
          },
        ];
  const description = productInfo.productDescriptionInfo;
  // completeProductDetails lists every value of a multi-valued detail (Composition: 95% Polyester,
  // 5% Elastane); productDetails only the first.
  const details = description?.completeProductDetails?.length
    ? description.completeProductDetails
    : (description?.productDetails ?? []);
  const ownColour = saleAttr?.mainSaleAttribute?.info?.find(
    (colour) => colour.goods_id === productInfo.goods_id,
  );
  return {
    goodsId: productInfo.goods_id,
    goodsSn: productInfo.goods_sn,
    goodsName: productInfo.goods_name,
    goodsUrlName: textOrNull(ownColour?.goods_url_name),
    productRelationId: textOrNull(productInfo.productRelationID),
    brand: textOrNull(brandDetailInfo?.name),
    categoryId: productInfo.cat_id,
    categoryPath: categoryPathOf(productInfo.cat_id, productInfo.cateInfos),
    imageUrls: [
      ...(productInfo.goods_img ? [productInfo.goods_img] : []),
      ...(productInfo.currentSkcImgInfo?.skcImages ?? []),
    ],
    details: details.map(toDetail),
    variants,
    optionValueOrder: optionValueOrder(saleAttr?.multiLevelSaleAttribute?.skc_sale_attr ?? [], skus),
  };
}
