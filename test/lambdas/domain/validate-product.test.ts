import fc from 'fast-check';
import { REJECT_REASONS, type RejectReason } from '../../../lambdas/domain/reject';
import { stagedProductSchema } from '../../../lambdas/domain/staged-product';
import { DEFAULT_TRANSFORM_CONFIG } from '../../../lambdas/domain/transform-config';
import { validateRawProduct } from '../../../lambdas/domain/validate-product';
import {
  exampleListing as listingItem,
  exampleProduct as appProduct,
  hasRealSample,
  readJson,
  REAL_SAMPLE,
  realSampleTitle,
  sample,
  stageOrFail,
  testWithRealSample,
  type Json,
} from '../fixtures';

const products = sample<Json[]>('shein_products.example.json');
const listings = sample<Json[]>('shein_listing.example.json');

function rejectOf(item: unknown, index = 7) {
  const result = validateRawProduct(item, index);
  if (result.ok) throw new Error('expected a reject');
  return result.reject;
}

describe('validateRawProduct: valid products', () => {
  it('accepts every product of the example files, tagged with shape and index', () => {
    products.forEach((item, index) => {
      const product = stageOrFail(item, index);
      expect(product).toMatchObject({ shape: 'shein-app-detail', index });
    });
    listings.forEach((item, index) => {
      expect(stageOrFail(item, index)).toMatchObject({ shape: 'shein-listing', index });
    });
  });

  it('keeps only the fields the transform reads, coerced', () => {
    const product = stageOrFail(appProduct(), 0);
    if (product.shape !== 'shein-app-detail') throw new Error('wrong shape');
    const info = product.raw.info as Json;
    expect(Object.keys(product.raw)).toEqual(['info']); // code and msg dropped
    expect(info.seoInfo).toBeUndefined();
    expect(info.productInfo.goods_thumb).toBeUndefined();
    expect(info.productInfo.stock).toBe(38); // "38" → 38
    expect(info.saleAttr.multiLevelSaleAttribute.sku_list[0]).toEqual({
      sku_code: 'Iex1001m',
      stock: 10,
      price: expect.objectContaining({
        salePrice: { amount: '89.25', amountWithSymbol: 'SR89.25', usdAmount: '23.80' },
      }),
      priceInfo: expect.any(Object),
      sku_sale_attr: [{ attr_id: '87', attr_name_en: 'Size', attr_value_name_en: 'M' }],
    });
  });

  it('accepts goods_id as a number or a digit string, and keeps it as a string', () => {
    const asNumber = stageOrFail(listingItem(0), 0);
    const asString = stageOrFail(listingItem(2), 2);
    expect(asNumber.shape === 'shein-listing' && asNumber.raw.goods_id).toBe('60020001');
    expect(asString.shape === 'shein-listing' && asString.raw.goods_id).toBe('60020003');
  });

  it('makes protocol-relative and http image URLs https', () => {
    const item = listingItem(0);
    item.detail_image = ['http://img.ltwebstatic.com/a/b.jpg'];
    const product = stageOrFail(item, 0);
    if (product.shape !== 'shein-listing') throw new Error('wrong shape');
    expect(product.raw.goods_img).toBe(
      'https://img.ltwebstatic.com/v4/j/pi/2024/03/11/e5/17101000051example0041_thumbnail_405x552.jpg',
    );
    expect(product.raw.detail_image).toEqual(['https://img.ltwebstatic.com/a/b.jpg']);
  });

  it('stages plain JSON that parses again to itself', () => {
    for (const [index, item] of [...products, ...listings].entries()) {
      const product = stageOrFail(item, index);
      expect(stagedProductSchema.parse(JSON.parse(JSON.stringify(product)))).toEqual(product);
    }
  });

  it('drops hostile keys: __proto__, constructor and prototype never reach the staged product', () => {
    const hostile = JSON.parse(
      JSON.stringify(listingItem(0)).replace(
        /^\{/,
        '{"__proto__":{"polluted":true,"goods_name":"from proto"},"constructor":{"prototype":{"x":1}},"prototype":1,',
      ),
    ) as Json;
    hostile.salePrice = JSON.parse(
      '{"__proto__":{"amount":"0.01"},"amount":"120.00","amountWithSymbol":"SR120.00","usdAmount":"32.00"}',
    );
    const cateInfos = JSON.parse(
      '{"__proto__":{"category_name_en":"Injected"},"1":{"category_name_en":"Ok"}}',
    );
    const app = appProduct(0);
    app.info.productInfo.cateInfos = cateInfos;
    for (const item of [hostile, app]) {
      const product = stageOrFail(item, 0);
      const text = JSON.stringify(product);
      expect(text).not.toMatch(/__proto__|constructor|prototype|polluted|Injected/);
      expect(({} as Json).polluted).toBeUndefined();
    }
  });

  testWithRealSample(
    realSampleTitle('accepts the 3 real Shein products and stages a fraction of each'),
    () => {
      const items = readJson<Json[]>(REAL_SAMPLE);
      expect(hasRealSample).toBe(true);
      expect(items).toHaveLength(3);
      items.forEach((item, index) => {
        const size = JSON.stringify(stageOrFail(item, index)).length;
        expect(size).toBeLessThan(JSON.stringify(item).length / 4);
        expect(size).toBeLessThan(16 * 1024);
      });
    },
  );
});

describe('validateRawProduct: one reject per reason', () => {
  const cases: Array<[RejectReason, () => unknown, RegExp]> = [
    ['unknown_shape', () => 'just a string', /item is "just a string"/],
    ['unknown_shape', () => [1, 2], /item is an array of 2 items/],
    ['unknown_shape', () => null, /item is null/],
    ['unknown_shape', () => ({ sku: 'A-1', title: 'x' }), /keys: sku, title/],
    [
      'upstream_error',
      () => ({ code: '404', msg: 'goods not found', info: null }),
      /code is "404".*goods not found/,
    ],
    ['upstream_error', () => ({ code: '0', msg: 'ok', info: null }), /info is null/],
    [
      'missing_id',
      () => {
        const item = appProduct();
        delete item.info.productInfo.goods_id;
        return item;
      },
      /^info\.productInfo\.goods_id: is required$/,
    ],
    ['missing_id', () => ({ ...listingItem(), goods_sn: '' }), /^goods_sn: expected text; found ""$/],
    [
      'invalid_id',
      () => ({ ...listingItem(), goods_id: '60-02' }),
      /^goods_id: expected digits; found "60-02"$/,
    ],
    ['invalid_id', () => ({ ...listingItem(), goods_id: -5 }), /goods_id: .*found -5/],
    ['missing_title', () => ({ ...listingItem(), goods_name: '  ' }), /^goods_name: expected text/],
    [
      'missing_price',
      () => {
        const item = listingItem();
        delete item.salePrice;
        delete item.retailPrice;
        return item;
      },
      /SKU "ls24031200001" has no salePrice or retailPrice/,
    ],
    [
      'missing_price',
      () => {
        const item = appProduct(3); // no sku_list: the product price is the only price
        delete item.info.priceInfo;
        return item;
      },
      /^info\.productInfo: SKU "ex24031100004" has no salePrice/,
    ],
    [
      'invalid_price',
      () => {
        const item = appProduct();
        item.info.saleAttr.multiLevelSaleAttribute.sku_list[2].price.salePrice.amount = '89.255';
        return item;
      },
      /^info\.saleAttr\.multiLevelSaleAttribute\.sku_list\[2\]\.price\.salePrice\.amount: SAR amount "89\.255" has more than 2 decimals$/,
    ],
    [
      'invalid_price',
      () => ({ ...listingItem(), salePrice: { amount: 'free', amountWithSymbol: 'SR120.00' } }),
      /salePrice\.amount: SAR amount "free" is not a decimal/,
    ],
    [
      'invalid_price',
      () => ({
        ...listingItem(),
        salePrice: { amount: '1.00', amountWithSymbol: 'SR1.00', usdAmount: '0.2.7' },
      }),
      /salePrice\.usdAmount: USD amount "0\.2\.7"/,
    ],
    [
      'invalid_price',
      () => ({ ...listingItem(), salePrice: { amount: { value: 1 }, amountWithSymbol: 'SR1' } }),
      /^salePrice\.amount: expected a decimal amount; found an object$/,
    ],
    [
      'invalid_price',
      () => ({ ...listingItem(), retailPrice: { amount: '150.00', amountWithSymbol: 'AED 150.00' } }),
      /retailPrice: in AED, but salePrice is in SAR/,
    ],
    [
      'negative_price',
      () => ({ ...listingItem(), salePrice: { amount: '-1.00', amountWithSymbol: 'SR-1.00' } }),
      /salePrice\.amount: SAR amount "-1\.00" is negative/,
    ],
    [
      'zero_price',
      () => {
        const item = appProduct();
        const price = item.info.saleAttr.multiLevelSaleAttribute.sku_list[1].price.salePrice;
        Object.assign(price, { amount: '0.00', amountWithSymbol: 'SR0.00', usdAmount: '0.00' });
        return item;
      },
      /^info\.saleAttr\.multiLevelSaleAttribute\.sku_list\[1\]\.price\.salePrice: SKU "\w+" would sell for 0 SAR; .*allowZeroPrices/,
    ],
    [
      'zero_price',
      () => ({
        ...listingItem(),
        salePrice: { amount: '0.01', amountWithSymbol: 'SR0.01', usdAmount: '0.00' },
      }),
      /^salePrice: SKU "ls24031200001" would sell for 0 USD/,
    ],
    [
      'unknown_currency',
      () => ({ ...listingItem(), salePrice: { amount: '1.00', amountWithSymbol: '¤1.00' } }),
      /salePrice\.amountWithSymbol: no currency is known for the symbol "¤" in "¤1\.00"/,
    ],
    [
      'invalid_image_url',
      () => ({ ...listingItem(), goods_img: 'javascript:alert(1)' }),
      /^goods_img: expected an http\(s\) or protocol-relative image URL; found "javascript:alert\(1\)"$/,
    ],
    [
      'invalid_image_url',
      () => {
        const item = appProduct();
        item.info.productInfo.currentSkcImgInfo.skcImages[1] = 'ftp://img.example.com/a.jpg';
        return item;
      },
      /^info\.productInfo\.currentSkcImgInfo\.skcImages\[1\]:/,
    ],
    [
      'invalid_field',
      () => ({ ...listingItem(), stock: 'lots' }),
      /^stock: expected a whole number; found "lots"$/,
    ],
    ['invalid_field', () => ({ ...listingItem(), stock: -3 }), /^stock: .*found -3$/],
    [
      'invalid_field',
      () => {
        const item = appProduct();
        item.info.saleAttr.multiLevelSaleAttribute.sku_list[0].sku_code = null;
        return item;
      },
      /^info\.saleAttr\.multiLevelSaleAttribute\.sku_list\[0\]\.sku_code: .*found null$/,
    ],
    [
      'inconsistent_variants',
      () => {
        const item = appProduct();
        const skus = item.info.saleAttr.multiLevelSaleAttribute.sku_list;
        skus[1].sku_sale_attr = structuredClone(skus[0].sku_sale_attr);
        return item;
      },
      /sku_list\[1\]: SKU "Iex1001xs" has the same options as SKU "Iex1001m"/,
    ],
    [
      'inconsistent_variants',
      () => {
        const item = appProduct();
        item.info.saleAttr.multiLevelSaleAttribute.sku_list[3].sku_sale_attr = [];
        return item;
      },
      /sku_list\[3\]: SKU "Iex1001s" has no Size/,
    ],
    [
      'inconsistent_variants',
      () => {
        const item = appProduct();
        const skus = item.info.saleAttr.multiLevelSaleAttribute.sku_list;
        skus[4].sku_code = skus[0].sku_code;
        return item;
      },
      /sku_list\[4\]: SKU "Iex1001m" repeats .*sku_list\[0\]/,
    ],
  ];

  it.each(cases)('%s: %#', (reason, makeItem, message) => {
    const reject = rejectOf(makeItem());
    expect(reject.reason).toBe(reason);
    expect(reject.index).toBe(7);
    expect(reject.message).toMatch(message);
  });

  it('covers every validation reason (the reader and the duplicate rule cover the rest)', () => {
    const covered = new Set(cases.map(([reason]) => reason));
    const elsewhere: RejectReason[] = [
      'duplicate_goods_id',
      'product_too_large',
      'item_too_large',
      'item_too_deep',
      'invalid_utf8',
      'transform_failed',
    ];
    expect(REJECT_REASONS.filter((reason) => !covered.has(reason) && !elsewhere.includes(reason))).toEqual(
      [],
    );
  });

  it('puts the goods_id in the reject whenever one can be read', () => {
    expect(rejectOf({ ...listingItem(), stock: 'lots' }).id).toBe('60020001');
    const app = appProduct();
    app.info.productInfo.goods_name = '';
    expect(rejectOf(app).id).toBe('50010001');
    expect(rejectOf({ code: '404', msg: 'x', info: null }).id).toBeUndefined();
  });

  it('truncates long bad values in messages', () => {
    const message = rejectOf({ ...listingItem(), goods_img: `javascript:${'x'.repeat(10_000)}` }).message;
    expect(message.length).toBeLessThan(250);
    expect(message).toContain('(10011 characters)');
  });

  it('rejects a currency that cannot be converted to a configured target currency', () => {
    const item: Json = {
      ...listingItem(),
      salePrice: { amount: '3.500', amountWithSymbol: 'KD3.500', usdAmount: '11.40' },
    };
    delete item.retailPrice;
    expect(validateRawProduct(item, 0).ok).toBe(true);
    const config = { ...DEFAULT_TRANSFORM_CONFIG, targetCurrencies: ['AED'] };
    const result = validateRawProduct(item, 0, config);
    expect(!result.ok && result.reject).toMatchObject({
      reason: 'unknown_currency',
      message: 'salePrice: no exchange rate for KWD',
    });
  });
});

describe('validateRawProduct: a price of 0 (issue 15, item 13)', () => {
  const free = { amount: '0.00', amountWithSymbol: 'SR0.00', usdAmount: '0.00' };

  it('is rejected as zero_price by default, and accepted with allowZeroPrices', () => {
    const item = { ...listingItem(), salePrice: free };
    expect(rejectOf(item)).toMatchObject({ reason: 'zero_price', id: '60020001' });
    const config = { ...DEFAULT_TRANSFORM_CONFIG, allowZeroPrices: true };
    expect(validateRawProduct(item, 0, config).ok).toBe(true);
  });

  it('is only the price the customer pays: a retail price of 0 under a sale price is no reason', () => {
    expect(validateRawProduct({ ...listingItem(), retailPrice: free }, 0).ok).toBe(true);
  });
});

describe('validateRawProduct never throws', () => {
  it('on any JSON value (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(() => validateRawProduct(value, 0)).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });

  it('on random changes to a valid product (property)', () => {
    const keys = [
      'goods_id',
      'goods_sn',
      'goods_name',
      'cat_id',
      'goods_img',
      'salePrice',
      'stock',
      'detail_image',
    ];
    fc.assert(
      fc.property(fc.constantFrom(...keys), fc.jsonValue(), (key, value) => {
        const result = validateRawProduct({ ...listingItem(), [key]: value }, 0);
        if (!result.ok) expect(REJECT_REASONS).toContain(result.reject.reason);
      }),
      { numRuns: 500 },
    );
  });

  it('on 100,000 levels of nesting in a field it does not read', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    expect(validateRawProduct({ ...listingItem(), junk: deep }, 0).ok).toBe(true);
    expect(rejectOf({ ...listingItem(), goods_name: deep }).reason).toBe('missing_title');
  });
});
