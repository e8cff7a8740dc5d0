import type { RejectReason } from '../../lambdas/domain/reject';
import { objectAt, objectsAt, type JsonObject } from './json';

/** The reject reasons the generator can provoke, in the order invalid items cycle through them. */
export const INVALID_REASONS = [
  'missing_id',
  'missing_price',
  'negative_price',
  'invalid_image_url',
  'unknown_shape',
  'duplicate_goods_id',
  'invalid_id',
  'missing_title',
  'invalid_price',
  'unknown_currency',
  'upstream_error',
  'invalid_field',
] as const satisfies readonly RejectReason[];
export type InvalidReason = (typeof INVALID_REASONS)[number];

const isAppDetail = (item: JsonObject) => 'info' in item;

/** Where the shape keeps goods_id, goods_name, goods_img and stock. */
function productFields(item: JsonObject): JsonObject {
  return isAppDetail(item) ? objectAt(item, ['info', 'productInfo']) : item;
}

/** Every object that may carry salePrice / retailPrice, the one validation reads first first. */
function priceBlocks(item: JsonObject): JsonObject[] {
  if (!isAppDetail(item)) return [item];
  const skus = objectsAt(item, ['info', 'saleAttr', 'multiLevelSaleAttribute', 'sku_list']);
  return [
    ...skus.flatMap((sku) => [
      objectAt(sku, ['price']),
      objectAt(sku, ['priceInfo']),
      ...objectsAt(sku, ['mall_price']),
    ]),
    objectAt(item, ['info', 'priceInfo']),
  ];
}

function firstSalePrice(item: JsonObject): JsonObject {
  const [first] = priceBlocks(item);
  if (first === undefined) throw new Error('generated item has no price');
  return objectAt(first, ['salePrice']);
}

/**
 * Turns a generated product into one that validation rejects for `reason`, the way broken exports do.
 * `earlierGoodsId` is the goods_id of an earlier valid product (for duplicate_goods_id).
 */
export function makeInvalid(item: JsonObject, reason: InvalidReason, earlierGoodsId: string): JsonObject {
  const fields = productFields(item);
  switch (reason) {
    case 'missing_id':
      delete fields.goods_id;
      break;
    case 'invalid_id':
      fields.goods_id = `${String(fields.goods_id).slice(0, 2)}-${String(fields.goods_id).slice(2)}`;
      break;
    case 'duplicate_goods_id':
      fields.goods_id = isAppDetail(item) ? earlierGoodsId : Number(earlierGoodsId);
      break;
    case 'missing_title':
      fields.goods_name = '   ';
      break;
    case 'missing_price':
      for (const block of priceBlocks(item)) {
        delete block.salePrice;
        delete block.retailPrice;
      }
      break;
    case 'negative_price':
      firstSalePrice(item).amount = `-${String(firstSalePrice(item).amount)}`;
      break;
    case 'invalid_price':
      firstSalePrice(item).amount = '12.3.4';
      break;
    case 'unknown_currency':
      firstSalePrice(item).amountWithSymbol = `₿${String(firstSalePrice(item).amount)}`;
      break;
    case 'invalid_image_url':
      fields.goods_img = 'javascript:alert(1)';
      break;
    case 'invalid_field':
      fields.stock = 'lots';
      break;
    case 'unknown_shape':
      // Exports sometimes carry non-product records, such as the banners of a listing page.
      return { type: 'banner', title: String(fields.goods_name), link: '/promo/summer-sale' };
    case 'upstream_error':
      return { code: '404', msg: 'goods not found', info: null };
  }
  return item;
}
