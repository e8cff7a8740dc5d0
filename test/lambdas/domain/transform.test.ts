import { canonicalProductSchema, type CanonicalProduct } from '../../../contracts/canonical-product';
import { selectImages } from '../../../lambdas/domain/images';
import type { StagedProduct } from '../../../lambdas/domain/staged-product';
import { transformProduct, TransformError } from '../../../lambdas/domain/transform';
import { DEFAULT_TRANSFORM_CONFIG, parseTransformConfig } from '../../../lambdas/domain/transform-config';
import {
  exampleProduct as appProduct,
  GOLDEN as golden,
  GOLDEN_CONFIG,
  readJson,
  REAL_SAMPLE,
  realSampleTitle,
  sample,
  stageOrFail as stage,
  testWithRealSample,
  type Json,
} from '../fixtures';

const transformAll = (items: unknown[], config = DEFAULT_TRANSFORM_CONFIG) =>
  items.map((item, index) => transformProduct(stage(item, index, config), config));

const byCurrency = (prices: CanonicalProduct['variants'][number]['prices']) =>
  Object.fromEntries(prices.map((money) => [money.currencyCode, money.amount]));

describe('transformProduct on the example file (golden)', () => {
  const actual = transformAll(sample('shein_products.example.json'), GOLDEN_CONFIG);

  it('matches the reviewed canonical output field for field', () => {
    expect(actual).toEqual(golden);
  });

  it('is deterministic: twice the same input gives the same bytes', () => {
    const again = transformAll(sample('shein_products.example.json'), GOLDEN_CONFIG);
    expect(JSON.stringify(again)).toBe(JSON.stringify(actual));
  });

  it('takes the English title from the product’s own colour, not another colour of the group', () => {
    expect(actual[0]!.title).toEqual({
      en: 'LUMA Women Linen Blend Short Sleeve Maxi Dress Olive',
      ar: 'فستان ماكسي من الكتان بأكمام قصيرة للنساء',
    });
  });

  it('builds an English title from brand, colour and category when the product has no colour entry', () => {
    expect(actual[3]!.title.en).toBe('SILKA Red Scarves');
    expect(actual[3]!.source.goodsUrlName).toBeNull();
  });

  it('describes the product with every value of each detail, in English and Arabic', () => {
    expect(actual[0]!.description.en).toBe(
      'Color: Olive Green\nComposition: 70% Cotton, 30% Linen\nSleeve Length: Short Sleeve',
    );
    expect(actual[0]!.description.ar).toBe(
      'لون: أخضر زيتوني\nتكوين: 70% قطن, 30% كتان\nطول الأكمام: أكمام قصيرة',
    );
    expect(actual[0]!.attributes).toContainEqual({ name: 'Composition', value: '70% Cotton, 30% Linen' });
  });

  it('walks the category tree root first and maps it to the PIM', () => {
    expect(actual[0]!.category).toEqual({
      sourceId: '31002',
      path: ['Women Fashion', 'Women Clothing', 'Dresses', 'Maxi Dresses'],
      pimPath: '/Women/Dresses/Maxi',
    });
    expect(actual[1]!.category.pimPath).toBe('/Shein/Unmapped');
  });

  it('keeps each photo once, in its largest size, main image first', () => {
    expect(actual[0]!.images).toEqual([
      'https://img.ltwebstatic.com/v4/j/pi/2024/03/11/a1/17101000011aa01example0001_thumbnail_750x999.webp',
      'https://img.ltwebstatic.com/v4/j/pi/2024/03/11/a1/17101000012bb02example0002_thumbnail_750x999.webp',
      'https://img.ltwebstatic.com/v4/j/pi/2024/03/11/a1/17101000013cc03example0003_thumbnail_750x999.webp',
    ]);
  });

  it('orders sizes as the shop does, whatever order the SKUs came in', () => {
    expect(actual[0]!.options).toEqual([{ name: 'Size', values: ['XS', 'S', 'M', 'L', 'XL'] }]);
    expect(actual[0]!.variants.map((variant) => [variant.sku, variant.title, variant.stock])).toEqual([
      ['Iex1001xs', 'XS', 3],
      ['Iex1001s', 'S', 20],
      ['Iex1001m', 'M', 10],
      ['Iex1001l', 'L', 0],
      ['Iex1001xl', 'XL', 5],
    ]);
    // "1XL-3XL" is a link to another product in skc_sale_attr, not a SKU of this one.
    expect(actual[2]!.options[0]!.values).toEqual(['S', 'M', 'XL']);
  });

  it('gives a product without sale attributes the default option', () => {
    expect(actual[1]!.options).toEqual([{ name: 'Title', values: ['Default'] }]);
    expect(actual[1]!.variants).toEqual([
      expect.objectContaining({ sku: 'Iex2001', title: 'Default', stock: 7 }),
    ]);
    // no sku_list at all: the product itself is the variant
    expect(actual[3]!.variants).toEqual([expect.objectContaining({ sku: 'ex24031100004', stock: 15 })]);
  });

  it('prices in SAR, Shein’s USD and the target currencies, with compare-at prices only for discounts', () => {
    const [dress, serum, knit] = actual;
    // 89.25 SAR; USD 23.80 as given; AED 89.25 / 3.75 × 3.6725 = 87.4055 → 87.41; EUR × 0.92 = 21.896 → 21.90
    expect(byCurrency(dress!.variants[0]!.prices)).toEqual({ SAR: 8925, USD: 2380, AED: 8741, EUR: 2190 });
    expect(byCurrency(dress!.variants[0]!.compareAtPrices)).toEqual({
      SAR: 10500,
      USD: 2800,
      AED: 10283,
      EUR: 2576,
    });
    expect(serum!.variants[0]!.compareAtPrices).toEqual([]);
    // a SKU's own price wins over the product's
    expect(byCurrency(knit!.variants[2]!.prices)).toEqual({ SAR: 6900, USD: 1840, AED: 6757, EUR: 1693 });
  });
});

describe('transformProduct on listing items', () => {
  const [bag, sunglasses, cap] = transformAll(sample('shein_listing.example.json'));

  it('maps the flat fields', () => {
    expect(bag).toMatchObject({
      externalId: 'shein:60020001',
      handle: 'shein-60020001',
      sku: 'ls24031200001',
      title: { en: 'Mini Leather Top Handle Bag', ar: 'حقيبة يد جلدية صغيرة' },
      description: { en: '' },
      brand: null,
      category: { sourceId: '2001', path: [], pimPath: '/Shein/Unmapped' },
      attributes: [],
      options: [{ name: 'Title', values: ['Default'] }],
      source: { shape: 'shein-listing', goodsId: '60020001', productRelationId: 'l24031200001' },
    });
    expect(bag!.images).toEqual([
      'https://img.ltwebstatic.com/v4/j/pi/2024/03/11/e5/17101000051example0041_thumbnail_750x999.webp',
      'https://img.ltwebstatic.com/v4/j/pi/2024/03/11/e5/17101000052example0042_thumbnail_750x999.webp',
    ]);
    expect(bag!.variants).toEqual([
      {
        sku: 'ls24031200001',
        title: 'Default',
        options: { Title: 'Default' },
        prices: [
          { currencyCode: 'SAR', amount: 12000 },
          { currencyCode: 'USD', amount: 3200 },
        ],
        compareAtPrices: [
          { currencyCode: 'SAR', amount: 15000 },
          { currencyCode: 'USD', amount: 4000 },
        ],
        stock: 9,
      },
    ]);
  });

  it('uses the retail price when there is no sale price, in the currency of its symbol', () => {
    expect(sunglasses!.variants[0]!.prices).toEqual([
      { currencyCode: 'AED', amount: 4500 },
      { currencyCode: 'USD', amount: 1225 },
    ]);
    expect(sunglasses!.variants[0]!.compareAtPrices).toEqual([]);
  });

  it('falls back to the source title when the export has nothing in English', () => {
    expect(cap!.title).toEqual({ en: 'قبعة بيسبول قطنية', ar: 'قبعة بيسبول قطنية' });
  });
});

describe('transformProduct configuration', () => {
  it('keeps the source texts under the configured locale, or only English for English exports', () => {
    const item = appProduct(0);
    const arSa = parseTransformConfig('{"sourceLocale": "ar-SA"}');
    expect(Object.keys(transformProduct(stage(item), arSa).title)).toEqual(['en', 'ar-SA']);
    const english = parseTransformConfig('{"sourceLocale": "en"}');
    expect(transformProduct(stage(item), english).title).toEqual({ en: item.info.productInfo.goods_name });
  });

  it('converts USD when Shein gives none', () => {
    const item = appProduct(1);
    for (const block of [
      item.info.priceInfo,
      ...item.info.saleAttr.multiLevelSaleAttribute.sku_list.flatMap((s: Json) => [s.price, s.priceInfo]),
    ]) {
      delete block.salePrice.usdAmount;
      delete block.retailPrice.usdAmount;
    }
    // 39.00 SAR / 3.75 = 10.40 USD
    expect(transformProduct(stage(item), DEFAULT_TRANSFORM_CONFIG).variants[0]!.prices).toEqual([
      { currencyCode: 'SAR', amount: 3900 },
      { currencyCode: 'USD', amount: 1040 },
    ]);
  });

  it('fails with TransformError, naming the product, when the configuration no longer fits the staged product', () => {
    const staged = stage(appProduct(0), 0, GOLDEN_CONFIG);
    const noSar = {
      ...DEFAULT_TRANSFORM_CONFIG,
      exchangeRates: { base: 'USD', rates: { EUR: '0.92' } },
      targetCurrencies: ['EUR'],
    };
    expect(() => transformProduct(staged, noSar)).toThrow(TransformError);
    expect(() => transformProduct(staged, noSar)).toThrow(
      'goods_id 50010001: info.saleAttr.multiLevelSaleAttribute.sku_list[0].price.salePrice: no exchange rate for SAR',
    );
  });

  it('transforms a staged product read back from JSON', () => {
    const staged = stage(appProduct(2), 2, GOLDEN_CONFIG);
    const roundTripped = JSON.parse(JSON.stringify(staged)) as StagedProduct;
    expect(transformProduct(roundTripped, GOLDEN_CONFIG)).toEqual(golden[2]);
  });
});

describe('selectImages', () => {
  it('keeps the largest copy of each photo where the photo first appeared', () => {
    expect(
      selectImages([
        'https://img.example.com/a/1_thumbnail_220x293.jpg',
        'https://img.example.com/a/2.jpg',
        'https://img.example.com/a/1_thumbnail_750x999.webp',
        'https://img.example.com/a/2_thumbnail_405x552.jpg',
        'https://img.example.com/a/1_thumbnail_405x552.jpg',
      ]),
    ).toEqual(['https://img.example.com/a/1_thumbnail_750x999.webp', 'https://img.example.com/a/2.jpg']);
  });

  it('treats the same path on another host as another photo', () => {
    expect(selectImages(['https://a.example.com/1.jpg', 'https://b.example.com/1.jpg'])).toHaveLength(2);
  });
});

testWithRealSample(
  realSampleTitle('transforms the real Shein export: 3 products, English titles, SAR in minor units'),
  () => {
    const products = transformAll(readJson<unknown[]>(REAL_SAMPLE));
    expect(products).toHaveLength(3);
    for (const product of products) {
      expect(canonicalProductSchema.safeParse(product).success).toBe(true);
      expect(product.title.en).toMatch(/^[\x20-\x7e]+$/); // English, no Arabic script
      expect(product.title.ar).toMatch(/[\u0600-\u06ff]/);
      expect(product.images.every((url) => url.startsWith('https://img.ltwebstatic.com/'))).toBe(true);
    }
    const [dress, oil, sweater] = products;
    expect(dress!.title.en).toBe(
      'INAWLY Women s Elegant Slim Fit Asymmetrical Neck Ruffled Hem Slit Midi Dress',
    );
    expect(dress!.category.path).toEqual([
      'Women Apparel',
      'Women Clothing',
      'Women Dresses',
      'Women Midi Dresses',
    ]);
    expect(dress!.options).toEqual([{ name: 'Size', values: ['XS', 'S', 'M', 'L', 'XL'] }]);
    expect(byCurrency(dress!.variants[0]!.prices)).toEqual({ SAR: 2380, USD: 635 });
    expect(byCurrency(dress!.variants[0]!.compareAtPrices)).toEqual({ SAR: 2800, USD: 747 });
    expect(dress!.images).toHaveLength(3); // goods_img is skcImages[0] in a smaller size
    expect(oil!.brand).toBeNull();
    expect(oil!.options).toEqual([{ name: 'Title', values: ['Default'] }]);
    expect(oil!.variants).toEqual([
      expect.objectContaining({ sku: 'I1ml35lsehdml4', options: { Title: 'Default' }, stock: 1 }),
    ]);
    expect(byCurrency(oil!.variants[0]!.prices)).toEqual({ SAR: 1700, USD: 453 });
    expect(sweater!.brand).toBe('DAZY');
    expect(sweater!.options[0]!.values).toEqual(['S', 'M', 'L', 'XL']);
    expect(sweater!.source.productRelationId).toBe('z24071756832');
    expect(JSON.stringify(transformAll(readJson<unknown[]>(REAL_SAMPLE)))).toBe(JSON.stringify(products));
  },
);
