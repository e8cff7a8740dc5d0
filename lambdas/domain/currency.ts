/**
 * Shein prices carry no currency code, only a display string such as "SR23.80" (docs/architecture.md,
 * "The Shein input the code relies on"). The currency is read from its symbol through a table that
 * configuration can extend.
 */

/** Symbols seen on Shein's Gulf and international storefronts. ISO codes ("AED") need no entry. */
export const DEFAULT_CURRENCY_SYMBOLS: Readonly<Record<string, string>> = {
  SR: 'SAR',
  'ر.س': 'SAR',
  'ر.س.': 'SAR',
  $: 'USD',
  US$: 'USD',
  '€': 'EUR',
  '£': 'GBP',
  'د.إ': 'AED',
  'د.إ.': 'AED',
  Dhs: 'AED',
  KD: 'KWD',
  'د.ك': 'KWD',
  'د.ك.': 'KWD',
  QR: 'QAR',
  'ر.ق': 'QAR',
  'ر.ق.': 'QAR',
  BD: 'BHD',
  'د.ب': 'BHD',
  'د.ب.': 'BHD',
  RO: 'OMR',
  'ر.ع.': 'OMR',
  'E£': 'EGP',
  'ج.م': 'EGP',
  'ج.م.': 'EGP',
  AU$: 'AUD',
  CA$: 'CAD',
  R$: 'BRL',
  '₹': 'INR',
};

/** The number in a display price: its sign, its first digit to its last, and separators in between. */
const NUMBER_RUN = /-?\p{Nd}(?:[\p{Nd}.,'\u066B\u066C\s]*\p{Nd})?/u;
/** Direction marks that right-to-left locales put around prices. */
const BIDI_MARKS = /[\u200E\u200F\u061C\u202A-\u202E\u2066-\u2069]/gu;

/** "SR23.80" → "SR", "23,80 €" → "€". */
export function currencySymbolOf(amountWithSymbol: string): string {
  return amountWithSymbol.replace(BIDI_MARKS, '').replace(NUMBER_RUN, ' ').replace(/\s+/gu, ' ').trim();
}

let isoCodes: ReadonlySet<string> | undefined;
function isIsoCurrencyCode(symbol: string): boolean {
  isoCodes ??= new Set(Intl.supportedValuesOf('currency'));
  return isoCodes.has(symbol);
}

export type CurrencyInference = { ok: true; currency: string } | { ok: false; symbol: string };

export function inferCurrency(
  amountWithSymbol: string,
  symbols: Readonly<Record<string, string>>,
): CurrencyInference {
  const symbol = currencySymbolOf(amountWithSymbol);
  if (Object.hasOwn(symbols, symbol)) return { ok: true, currency: symbols[symbol] };
  if (isIsoCurrencyCode(symbol)) return { ok: true, currency: symbol };
  return { ok: false, symbol };
}
