import type { JsonObject } from './json';
import { englishTitle, arabicTitle, type ColourVariant, type ProductModel } from './product-model';
import { imageUrl } from './shein-image';
import { sarPrice } from './shein-price';

/**
 * One colour of a model as a flat Shein listing item (category and search exports): goods_id as a
 * number, a slug for the English name, one price for the whole item, no SKUs or details.
 */
export function listingItem(model: ProductModel, colour: ColourVariant): JsonObject {
  const sale = Math.min(...model.salePrices);
  const retail = Math.round((sale * model.retailFactor) / 5) * 5;
  const [mainPhoto = '', ...otherPhotos] = colour.photos;
  return {
    goods_id: Number(colour.goodsId),
    goods_sn: colour.goodsSn,
    goods_name: arabicTitle(model, colour),
    cat_id: model.kind.categories.at(-1)?.id ?? '0',
    goods_img: imageUrl(mainPhoto, '405x552.jpg'),
    detail_image: otherPhotos.map((photo) => imageUrl(photo, '750x999.webp')),
    productRelationID: model.colours.length > 1 ? model.relationId : null,
    stock: colour.stock.reduce((sum, n) => sum + n, 0),
    is_on_sale: 1,
    goods_thumb: imageUrl(mainPhoto, '220x293.jpg'),
    goods_url_name: englishTitle(model, colour).replace(/[^A-Za-z0-9]+/g, '-'),
    mall_code: '1',
    salePrice: sarPrice(sale),
    retailPrice: sarPrice(retail),
  };
}
