import { currencySymbolOf, DEFAULT_CURRENCY_SYMBOLS, inferCurrency } from '../../../lambdas/domain/currency';

describe('currencySymbolOf', () => {
  it.each([
    ['SR23.80', 'SR'],
    ['$6.35', '$'],
    ['23,80 €', '€'],
    ['AED 1,234.50', 'AED'],
    ['\u200fد.إ.\u200f 45.00', 'د.إ.'],
    ['SR-5.00', 'SR'],
    ['23.80', ''],
  ])('%j → %j', (display, symbol) => {
    expect(currencySymbolOf(display)).toBe(symbol);
  });
});

describe('inferCurrency', () => {
  it.each([
    ['SR23.80', 'SAR'],
    ['$6.35', 'USD'],
    ['€12.00', 'EUR'],
    ['AED 45.00', 'AED'],
    ['KWD 3.500', 'KWD'],
    ['د.إ.‏ 45.00', 'AED'],
  ])('%j is %s', (display, currency) => {
    expect(inferCurrency(display, DEFAULT_CURRENCY_SYMBOLS)).toEqual({ ok: true, currency });
  });

  it('reports the symbol it does not know', () => {
    expect(inferCurrency('₿5.00', DEFAULT_CURRENCY_SYMBOLS)).toEqual({ ok: false, symbol: '₿' });
    expect(inferCurrency('XYZ 5.00', DEFAULT_CURRENCY_SYMBOLS)).toEqual({ ok: false, symbol: 'XYZ' });
    expect(inferCurrency('5.00', DEFAULT_CURRENCY_SYMBOLS)).toEqual({ ok: false, symbol: '' });
  });

  it('uses the configured table, which can add and override symbols', () => {
    const symbols = { ...DEFAULT_CURRENCY_SYMBOLS, '₿': 'XBT', $: 'CAD' };
    expect(inferCurrency('$5.00', symbols)).toEqual({ ok: true, currency: 'CAD' });
    expect(inferCurrency('₿5.00', symbols)).toEqual({ ok: true, currency: 'XBT' });
  });

  it('does not read symbols from Object.prototype', () => {
    expect(inferCurrency('constructor 5', DEFAULT_CURRENCY_SYMBOLS)).toEqual({
      ok: false,
      symbol: 'constructor',
    });
  });
});
