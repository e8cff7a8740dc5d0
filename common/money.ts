import type { Money } from '../contracts/canonical-product';

/**
 * Money on decimal strings and integer minor units, computed with BigInt so that "0.1" + "0.2" is
 * exactly "0.3". No money library: the need is parsing, scaling and one rounding rule, a few lines of
 * BigInt, while dinero.js or big.js would bring their own number types for the rest of the code to carry.
 */

export type MoneyErrorCode =
  'malformed' | 'negative' | 'too_precise' | 'too_large' | 'unknown_currency' | 'no_rate';

export class MoneyError extends Error {
  override readonly name = 'MoneyError';

  constructor(
    readonly code: MoneyErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Unsigned decimal: digits, optionally a point and more digits ("23.80", "7", "0.125"). */
export const DECIMAL_PATTERN = /^(\d+)(?:\.(\d+))?$/;

/** Number.MAX_SAFE_INTEGER has 16 digits: a longer digit string cannot fit, whatever it says. */
const MAX_SAFE_DIGITS = 16;

const exponents = new Map<string, number>();

/**
 * Digits after the decimal point in the currency (SAR 2, JPY 0, KWD 3). Intl carries the ISO 4217
 * table, so there is none to keep up to date here.
 */
export function currencyExponent(currency: string): number {
  const known = exponents.get(currency);
  if (known !== undefined) return known;
  if (!/^[A-Z]{3}$/.test(currency)) {
    throw new MoneyError('unknown_currency', `"${currency}" is not an ISO 4217 currency code`);
  }
  const exponent =
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  exponents.set(currency, exponent);
  return exponent;
}

interface ScaledDecimal {
  /** All the digits as one integer: "23.80" → 2380n. */
  readonly digits: bigint;
  /** How many of them are after the point: "23.80" → 2. */
  readonly scale: number;
}

function parseDecimal(decimal: string, what: string): ScaledDecimal {
  if (decimal.startsWith('-')) throw new MoneyError('negative', `${what} "${decimal}" is negative`);
  const match = DECIMAL_PATTERN.exec(decimal);
  if (!match) throw new MoneyError('malformed', `${what} "${decimal}" is not a decimal number like 23.80`);
  const whole = match[1] ?? '';
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if ((whole + fraction).replace(/^0+/, '').length > MAX_SAFE_DIGITS) {
    throw new MoneyError('too_large', `${what} "${decimal}" is too large`);
  }
  return { digits: BigInt(whole + fraction), scale: fraction.length };
}

function toSafeNumber(value: bigint, what: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new MoneyError('too_large', `${what} is too large`);
  return Number(value);
}

/**
 * "23.80" in SAR → 2380. Trailing zeros beyond the currency's precision are fine ("23.800"); any other
 * extra digit is refused rather than rounded, because a price that needs rounding is a data error.
 */
export function toMinorUnits(decimal: string, currency: string): number {
  const exponent = currencyExponent(currency);
  const { digits, scale } = parseDecimal(decimal, `${currency} amount`);
  if (scale > exponent) {
    throw new MoneyError(
      'too_precise',
      `${currency} amount "${decimal}" has more than ${exponent} decimal${exponent === 1 ? '' : 's'}`,
    );
  }
  return toSafeNumber(digits * 10n ** BigInt(exponent - scale), `${currency} amount "${decimal}"`);
}

/** 2380 in SAR → "23.80": the major-unit form commerce APIs such as Medusa expect. */
export function toDecimalString(money: Money): string {
  const exponent = currencyExponent(money.currencyCode);
  const digits = String(money.amount).padStart(exponent + 1, '0');
  return exponent === 0 ? digits : `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/** Rates as decimal strings: units of each currency for one unit of `base` (base USD: SAR "3.75"). */
export interface ExchangeRates {
  readonly base: string;
  readonly rates: Readonly<Record<string, string>>;
}

export function hasExchangeRate(currency: string, exchangeRates: ExchangeRates): boolean {
  return currency === exchangeRates.base || Object.hasOwn(exchangeRates.rates, currency);
}

function rateOf(currency: string, exchangeRates: ExchangeRates): ScaledDecimal {
  if (currency === exchangeRates.base) return { digits: 1n, scale: 0 };
  const rate = Object.hasOwn(exchangeRates.rates, currency) ? exchangeRates.rates[currency] : undefined;
  if (rate === undefined) throw new MoneyError('no_rate', `no exchange rate for ${currency}`);
  const parsed = parseDecimal(rate, `exchange rate for ${currency}`);
  if (parsed.digits === 0n) throw new MoneyError('malformed', `exchange rate for ${currency} is zero`);
  return parsed;
}

/**
 * Integer division rounded half to even (banker's rounding): ties go to the even neighbour, so a run of
 * conversions has no upward bias, and no other step rounds.
 */
function divideRoundHalfEven(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  const twiceRemainder = (numerator % denominator) * 2n;
  if (twiceRemainder > denominator) return quotient + 1n;
  if (twiceRemainder < denominator) return quotient;
  return quotient % 2n === 0n ? quotient : quotient + 1n;
}

/**
 * Converts through the base currency in one exact fraction
 * (amount × 10^toExp × rateTo) / (10^fromExp × rateFrom), rounded half to even once at the end.
 */
export function convertMoney(money: Money, toCurrency: string, exchangeRates: ExchangeRates): Money {
  if (money.currencyCode === toCurrency) return money;
  const from = rateOf(money.currencyCode, exchangeRates);
  const to = rateOf(toCurrency, exchangeRates);
  const fromExponent = BigInt(currencyExponent(money.currencyCode));
  const toExponent = BigInt(currencyExponent(toCurrency));
  const numerator = BigInt(money.amount) * 10n ** toExponent * to.digits * 10n ** BigInt(from.scale);
  const denominator = 10n ** fromExponent * 10n ** BigInt(to.scale) * from.digits;
  const amount = toSafeNumber(divideRoundHalfEven(numerator, denominator), `${toCurrency} amount`);
  return { currencyCode: toCurrency, amount };
}
