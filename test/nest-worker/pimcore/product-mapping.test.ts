import { computeContentHash } from '../../../contracts/canonical-product';
import { PimcorePermanentError, toPimcoreFields, toPimcoreProduct } from '../../../nest-worker/src/pimcore';
import type { PimcoreProductFields } from '../../../nest-worker/src/pimcore';
import { canonicalProduct } from './fixtures';

/** An object as the read APIs return it, holding the given fields. */
function storedObject(fields: PimcoreProductFields, id: number | string = 42) {
  return {
    id,
    key: 'shein-10001',
    fullpath: '/Products/Shein/shein-10001',
    published: false,
    creationDate: 1767225600,
    modificationDate: 1767225601,
    version: 7,
    data: fields,
  };
}

describe('canonical product → Pimcore fields', () => {
  const product = canonicalProduct();
  const { fields, skippedLocales } = toPimcoreFields(product, ['en', 'ar']);

  it('writes scalars to input fields and keys the object by the product', () => {
    expect(fields).toMatchObject({
      externalId: 'shein:10001',
      handle: 'shein-10001',
      sku: 'sw2203010001',
      contentHash: product.contentHash,
      brand: 'SHEIN',
      categoryPath: '/Women/Dresses',
      sourceShape: 'shein-app-detail',
      sourceGoodsId: '10001',
      productRelationId: '9900123',
      goodsUrlName: 'Ribbed Knit Bodycon Dress',
      sourceCategoryId: '1727',
    });
    expect(skippedLocales).toEqual([]);
  });

  it('writes one text per Pimcore language, null for a language the product lacks', () => {
    const englishOnly = canonicalProduct('10001', { title: { en: 'Dress' }, description: { en: '' } });
    const mapped = toPimcoreFields(englishOnly, ['en', 'ar']).fields;
    expect(mapped.title).toEqual({ en: 'Dress', ar: null });
    expect(mapped.description).toEqual({ en: '', ar: null });
  });

  it('stores structured data as JSON and the lowest price per currency for editors', () => {
    expect(JSON.parse(fields.images)).toEqual(product.images);
    expect(JSON.parse(fields.variants)).toEqual(product.variants);
    expect(JSON.parse(fields.sourceCategoryPath)).toEqual(['Women', 'Clothing', 'Dresses']);
    expect(JSON.parse(fields.prices)).toEqual([
      { currencyCode: 'SAR', amount: 2280 },
      { currencyCode: 'USD', amount: 608 },
    ]);
  });

  it('reports locales Pimcore has no language for, and spells regional ones the Pimcore way', () => {
    const multilingual = canonicalProduct('10001', {
      title: { en: 'Dress', 'ar-SA': 'فستان', fr: 'Robe' },
      description: { en: '' },
    });
    const mapped = toPimcoreFields(multilingual, ['en', 'ar_SA']);
    expect(mapped.fields.title).toEqual({ en: 'Dress', ar_SA: 'فستان' });
    expect(mapped.skippedLocales).toEqual(['fr']);
  });
});

describe('Pimcore object → product', () => {
  it('round-trips to the canonical product, contentHash included', () => {
    const product = canonicalProduct();
    const read = toPimcoreProduct(storedObject(toPimcoreFields(product, ['en', 'ar']).fields, '42'));
    expect(read).toMatchObject({
      pimcoreId: 42,
      published: false,
      version: 7,
      contentHash: product.contentHash,
    });
    expect({ schemaVersion: 1, ...read.product, contentHash: read.contentHash }).toEqual(product);
    expect(computeContentHash({ schemaVersion: 1, ...read.product })).toBe(product.contentHash);
  });

  it('keeps an English description Pimcore hands back as null', () => {
    const fields = toPimcoreFields(canonicalProduct(), ['en', 'ar']).fields;
    const read = toPimcoreProduct(storedObject({ ...fields, description: { en: null, ar: null } }));
    expect(read.product.description).toEqual({ en: '' });
  });

  it('names the field an editor broke', () => {
    const fields = toPimcoreFields(canonicalProduct(), ['en', 'ar']).fields;
    const broken = storedObject({ ...fields, variants: '[{"sku": ' });
    expect(() => toPimcoreProduct(broken)).toThrow(PimcorePermanentError);
    expect(() => toPimcoreProduct(broken)).toThrow(
      /object 42 cannot be read: data\.variants: is not valid JSON/,
    );
  });

  it('refuses an object without an English title', () => {
    const fields = toPimcoreFields(canonicalProduct(), ['en', 'ar']).fields;
    const untitled = storedObject({ ...fields, title: { en: null, ar: 'فستان' } });
    expect(() => toPimcoreProduct(untitled)).toThrow(expect.objectContaining({ reason: 'invalid-data' }));
  });
});
