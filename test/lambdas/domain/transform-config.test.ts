import { DEFAULT_CURRENCY_SYMBOLS } from '../../../lambdas/domain/currency';
import {
  DEFAULT_TRANSFORM_CONFIG,
  parseTransformConfig,
  TransformConfigError,
} from '../../../lambdas/domain/transform-config';

describe('parseTransformConfig', () => {
  it('gives the defaults for no configuration', () => {
    expect(parseTransformConfig(undefined)).toBe(DEFAULT_TRANSFORM_CONFIG);
    expect(parseTransformConfig('  ')).toBe(DEFAULT_TRANSFORM_CONFIG);
    expect(DEFAULT_TRANSFORM_CONFIG).toMatchObject({
      sourceLocale: 'ar',
      exchangeRates: { base: 'USD', rates: { SAR: '3.75', AED: '3.6725' } },
      targetCurrencies: [],
      fallbackCategoryPath: '/Shein/Unmapped',
    });
  });

  it('adds configured symbols to the defaults and replaces the rest', () => {
    const config = parseTransformConfig(
      JSON.stringify({
        sourceLocale: 'ar-SA',
        currencySymbols: { '₿': 'XBT' },
        exchangeRates: { base: 'EUR', rates: { USD: '1.08', SAR: '4.05' } },
        targetCurrencies: ['USD'],
        categoryMap: { '12478': '/Women/Dresses' },
        fallbackCategoryPath: '/Inbox',
      }),
    );
    expect(config.currencySymbols).toEqual({ ...DEFAULT_CURRENCY_SYMBOLS, '₿': 'XBT' });
    expect(config).toMatchObject({
      sourceLocale: 'ar-SA',
      exchangeRates: { base: 'EUR', rates: { USD: '1.08', SAR: '4.05' } },
      targetCurrencies: ['USD'],
      categoryMap: { '12478': '/Women/Dresses' },
      fallbackCategoryPath: '/Inbox',
    });
  });

  it('rejects prices of 0 unless allowZeroPrices is true', () => {
    expect(DEFAULT_TRANSFORM_CONFIG.allowZeroPrices).toBe(false);
    expect(parseTransformConfig('{"allowZeroPrices": true}').allowZeroPrices).toBe(true);
    expect(() => parseTransformConfig('{"allowZeroPrices": "yes"}')).toThrow('allowZeroPrices');
  });

  it.each([
    ['{"targetCurrencies": ["EUR"]}', 'targetCurrencies[0]: no exchange rate for EUR'],
    ['{"exchangeRates": {"base": "USD", "rates": {"EUR": "0,92"}}}', 'exchangeRates.rates.EUR'],
    [
      '{"exchangeRates": {"base": "USD", "rates": {"EUR": "0.00"}}}',
      'exchangeRates.rates.EUR: must be above zero',
    ],
    ['{"categoryMap": {"dresses": "/Women"}}', 'categoryMap.dresses'],
    ['{"categoryMap": {"12478": "Women"}}', 'categoryMap.12478'],
    ['{"sourceLocale": "Arabic"}', 'sourceLocale'],
    ['{"currencySymbols": {"SR": "riyal"}}', 'currencySymbols.SR'],
    ['{"targetCurrency": ["EUR"]}', 'targetCurrency'],
    ['[1]', '(root)'],
  ])('names the bad key in %s', (json, key) => {
    expect(() => parseTransformConfig(json)).toThrow(TransformConfigError);
    expect(() => parseTransformConfig(json)).toThrow(key);
  });

  it('says when the configuration is not JSON', () => {
    expect(() => parseTransformConfig('{sourceLocale: ar}')).toThrow('transform config is not JSON');
  });
});
