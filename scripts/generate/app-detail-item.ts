import { SHOPPING_SECURITY, SIZE_MEASUREMENTS, type LocalizedName } from './catalog';
import type { JsonObject, JsonValue } from './json';
import { arabicTitle, englishTitle, type ColourVariant, type ProductModel } from './product-model';
import { imageUrl } from './shein-image';
import { discountPercent, sarPrice } from './shein-price';

/**
 * One colour of a model as the Shein app's product-detail response `{code, msg, info}`. Besides the
 * fields the pipeline reads, it carries the bulk of a real response (per-SKU price breakdowns for
 * every promotion, per-mall copies, size guides, notices), so items weigh tens of KB like real ones.
 */

const SIZE_ATTRIBUTE = { id: '87', name: { en: 'Size', ar: 'مقاس' } };
const COLOUR_ATTRIBUTE_ID = 27;

/** Shein prints many optional price fields as null; they are part of the weight of a real SKU. */
const NULL_PRICE_FIELDS = [
  'unitSalePrice',
  'unit',
  'vipDiscountPrice',
  'unitShowPrice',
  'flashTypeId',
  'estimatedPriceInfo',
  'estimatedPriceCalculateProcess',
  'npcsEstimatedPriceInfo',
  'npcsEstimatedPriceCalProcess',
  'buriedPrice',
  'lowestPrice',
  'vatInfo',
  'paymentFrontShowList',
  'calcCartPriceInfo',
];

const percentOf = (amount: number, percent: number) => Math.round((amount * percent) / 100);

/** The price breakdown Shein attaches to every SKU (and again to every mall's copy of it). */
function skuPrice(sale: number, retail: number): JsonObject {
  const discount = retail - sale;
  const vip = percentOf(sale, 95);
  return {
    srpDiscount: '0',
    showSrpDiscount: '0',
    discountPrice: sarPrice(discount),
    showPrice: sarPrice(vip),
    vipDiscountPrice: sarPrice(sale - vip),
    discountValue: discountPercent(sale, retail),
    promotionLogoType: '0',
    originalOptimalCoupons: [],
    retailPrice: sarPrice(retail),
    unit_discount: Number(discountPercent(sale, retail)),
    salePrice: sarPrice(sale),
    coupon_prices: [],
    double_optimal_coupons: [],
    mul_price_info: [],
    double_price_info: {
      double_discount_amount: sarPrice(discount * 2),
      double_display_price: {
        double_retail_discount_amount: sarPrice(percentOf(discount, 128)),
        double_show_price: sarPrice(vip * 2),
        double_prev_discount_value: sarPrice(percentOf(sale, 10)),
      },
      double_original_discount_price: sarPrice(0),
      double_retail_discount_amount: sarPrice(discount * 2),
      double_retail_price: sarPrice(retail * 2),
      double_sale_price: sarPrice(sale * 2),
    },
    coupons: [],
    couponList: [],
    promotion_discount_info: [
      {
        id: String(43_403_300 + (sale % 97)),
        discount_price: sarPrice(discount),
        type_id: '31',
        srp_discount_price: sarPrice(0),
      },
    ],
    prev_discount_value: sarPrice(percentOf(sale, 5)),
    original_discount_price: sarPrice(0),
    showTypeId: '29',
    original_sale_price: sarPrice(retail),
    retail_original_discount: '0',
    retail_original_discount_price: sarPrice(0),
    retail_discount_price: sarPrice(discount),
    retail_discount_value: discountPercent(sale, retail),
    retail_unit_discount: discountPercent(sale, retail),
    retail_vip_discount_price: sarPrice(sale - vip),
    special_estimated_price_list: [],
  };
}

function priceInfo(sale: number, retail: number): JsonObject {
  return {
    ...Object.fromEntries(NULL_PRICE_FIELDS.map((field) => [field, null])),
    salePrice: sarPrice(sale),
    retailPrice: sarPrice(retail),
    retail_discount_price: sarPrice(retail - sale),
    retailPriceMultiLang: null,
    unitDiscount: discountPercent(sale, retail),
    discountValue: discountPercent(sale, retail),
    showPrice: null,
    showTypeId: null,
    multiPaymentShowList: null,
  };
}

function sizeValue(size: string, index: number): JsonObject {
  return {
    attr_value_id: String(400 + index * 17),
    attr_value_name: size,
    attr_value_name_en: size,
    attr_desc: '',
    attr_image: '',
  };
}

function sku(model: ProductModel, colour: ColourVariant, index: number): JsonObject {
  const size = model.sizes[index];
  const sale = model.salePrices[index] ?? 0;
  const retail = Math.round((sale * model.retailFactor) / 5) * 5;
  const stock = String(colour.stock[index] ?? 0);
  const price = skuPrice(sale, retail);
  return {
    priceInfo: priceInfo(sale, retail),
    isSwitchRelatedSku: false,
    skuSelectedMallCode: '1',
    isSupportQuickShip: '0',
    isLocalProduct: '0',
    promotionInfo: [],
    beltInfo: {},
    cmpCouponInfo: { cmpCouponInfoList: null },
    qtyTipsType: '3',
    sku_code: `I${Number(colour.goodsId).toString(36)}${(size ?? 'one').toLowerCase()}`,
    stock,
    mall_stock: [{ skuLargeShip: 0, mall_code: '1', mall_code_sort: null, stock, isSupportQuickShip: false }],
    price,
    mall_price: [{ ...price, mall_code: '1' }],
    sku_sale_attr:
      size === undefined
        ? []
        : [
            {
              attr_id: SIZE_ATTRIBUTE.id,
              attr_name: SIZE_ATTRIBUTE.name.ar,
              attr_name_en: SIZE_ATTRIBUTE.name.en,
              ...sizeValue(size, index),
              is_main: '0',
            },
          ],
  };
}

function detailLine(
  name: LocalizedName,
  id: number,
  value: LocalizedName,
  arValue: string,
  sort: number,
): JsonObject {
  return {
    heelHeightRangeDesc: null,
    isHeelHeight: null,
    attr_name: name.ar,
    attr_value: arValue,
    attr_name_en: name.en,
    attr_id: id,
    value_sort: 0,
    attr_desc: '',
    attr_image: '',
    attr_sort: sort,
    attr_value_id: String(id * 10 + sort),
    attr_value_en: value.en,
    left_show: '0',
  };
}

/** productDetails: one line per attribute; completeProductDetails: one line per value. */
function description(model: ProductModel, colour: ColourVariant): JsonObject {
  const lines = [
    { attribute: { id: COLOUR_ATTRIBUTE_ID, name: { en: 'Color', ar: 'لون' } }, values: [colour.colour] },
    ...model.details,
  ];
  return {
    productDetails: lines.map(({ attribute, values }, sort) =>
      detailLine(
        attribute.name,
        attribute.id,
        values[0] ?? colour.colour,
        values.map((v) => v.ar).join(', '),
        sort + 1,
      ),
    ),
    completeProductDetails: lines.flatMap(({ attribute, values }, sort) =>
      values.map((value) => detailLine(attribute.name, attribute.id, value, value.ar, sort + 1)),
    ),
    goods_desc: '',
  };
}

function categoryInfos(model: ProductModel): JsonObject {
  const chain = model.kind.categories;
  return Object.fromEntries(
    chain.map((node, depth) => [
      node.id,
      {
        category_id: String(Number(node.id) + 100),
        mall_category_id: node.id,
        category_name: node.ar,
        category_url_name: node.en,
        parent_ids: chain.slice(0, depth).map((parent) => parent.id),
        middle_parent_ids: [],
        category_name_en: node.en,
        is_leaf: depth === chain.length - 1 ? '1' : '0',
        cat_enums: [],
        is_available: 1,
      },
    ]),
  );
}

/** The size guide: one row per size, keyed by the measurement's Arabic name as Shein does. */
function sizeGuide(model: ProductModel): JsonObject {
  const rows = model.kind.sizes === 'clothing' ? model.sizes : [];
  return {
    dimensionAttrInfo: SIZE_MEASUREMENTS.map(({ name }, sort) => ({
      sort: sort + 2,
      attr_id: String(20 + sort),
      attr_name: `${name.ar} `,
      attr_name_en: name.en,
    })),
    multiPartFlag: '0',
    multiPartInfo: [],
    sizeInfo: rows.map((size, step) => ({
      attr_id: SIZE_ATTRIBUTE.id,
      attr_name: SIZE_ATTRIBUTE.name.ar,
      ...sizeValue(size, step),
      ...Object.fromEntries(
        SIZE_MEASUREMENTS.map(({ name, xs, step: grow }) => [`${name.ar} `, ` ${xs + step * grow} cm`]),
      ),
    })),
  };
}

function securityNotice(): JsonObject {
  return {
    title: SHOPPING_SECURITY.title,
    items: SHOPPING_SECURITY.items,
    detail: {
      items: SHOPPING_SECURITY.detail.map((desc, i) => ({
        itemType: String(i + 1),
        title: SHOPPING_SECURITY.items[i] ?? '',
        desc,
      })),
    },
  };
}

export function appDetailItem(model: ProductModel, colour: ColourVariant): JsonObject {
  const leaf = model.kind.categories.at(-1);
  const [mainPhoto = '', ...otherPhotos] = colour.photos;
  const firstSale = model.salePrices[0] ?? 0;
  const firstRetail = Math.round((firstSale * model.retailFactor) / 5) * 5;
  const skuCount = Math.max(1, model.sizes.length);
  const productInfo: JsonObject = {
    cateIds: [...model.kind.categories]
      .reverse()
      .map((node) => node.id)
      .join(','),
    cateInfos: categoryInfos(model),
    productRelationID: model.relationId,
    videoSort: '',
    isGirlShoesSize: '0',
    selectedMallCode: '1',
    currentSkcImgInfo: {
      spuImages: [],
      skcImages: [
        imageUrl(mainPhoto, '750x999.webp'),
        ...otherPhotos.map((photo) => imageUrl(photo, '750x999.webp')),
      ],
      skuImages: {},
      videoUrl: null,
    },
    allColorDetailImages: Object.fromEntries(
      model.colours.map((other) => [
        other.goodsId,
        other.photos.map((photo) => ({ origin_image: imageUrl(photo, '750x999.webp') })),
      ]),
    ),
    productDescriptionInfo: description(model, colour),
    goods_id: colour.goodsId,
    goods_sn: colour.goodsSn,
    goods_name: arabicTitle(model, colour),
    titleSellingPointList: [],
    goods_img: imageUrl(mainPhoto, '405x552.jpg'),
    goods_thumb: imageUrl(mainPhoto, '220x293.jpg'),
    cat_id: leaf?.id ?? '0',
    cate_name: leaf?.ar ?? '',
    video_url: '',
    is_on_sale: '1',
    stock: String(colour.stock.reduce((sum, n) => sum + n, 0)),
    shoppingSecurityInfo: securityNotice(),
    is_support_return: '1',
    return_title: 'سياسة الإرجاع',
  };
  const saleAttr: JsonObject = {
    mainSaleAttribute: {
      info: model.colours.map((other) => ({
        attr_id: String(COLOUR_ATTRIBUTE_ID),
        attr_value: other.colour.ar,
        goods_id: other.goodsId,
        goods_sn: other.goodsSn,
        goods_url_name: englishTitle(model, other),
        goods_image: imageUrl(other.photos[0] ?? '', '220x293.jpg'),
        cat_id: leaf?.id ?? '0',
      })),
    },
    isDisplayFeedbackTips: false,
    sizeInfo: sizeGuide(model),
    multiLevelSaleAttribute: {
      highSaleAttr: null,
      comboStock: colour.stock.reduce((sum, n) => sum + n, 0),
      skc_name: colour.colour.en,
      goods_sn: colour.goodsSn,
      goods_id: colour.goodsId,
      sku_list: Array.from({ length: skuCount }, (_, index) => sku(model, colour, index)),
      skc_sale_attr:
        model.sizes.length === 0
          ? []
          : [
              {
                attr_id: SIZE_ATTRIBUTE.id,
                attr_name: SIZE_ATTRIBUTE.name.ar,
                attr_name_en: SIZE_ATTRIBUTE.name.en,
                attr_value_list: model.sizes.map(sizeValue),
              },
            ],
    },
    size_guide_url: `https://api-shein.shein.com/h5/sizeguide?goods_id=${colour.goodsId}`,
  };
  const info: Record<string, JsonValue> = {
    sizeProfileUrl: '',
    productInfo,
    saleAttr,
    productLabel: { labels: [], trendLabel: null },
    priceInfo: priceInfo(firstSale, firstRetail),
    mallInfo: { mallCode: '1', mallName: 'SHEIN', mallDescription: ['شحن من المستودع المحلي'] },
    seoInfo: { title: `${englishTitle(model, colour)} | SHEIN`, keywords: model.kind.noun.en },
    brandDetailInfo: { name: model.brand, brand_code: model.brand.toLowerCase().replace(/\W+/g, '-') },
  };
  return { code: '0', msg: 'ok', info };
}
