import fc from 'fast-check';
import {
  convertMoney,
  currencyExponent,
  MoneyError,
  toDecimalString,
  toMinorUnits,
  type ExchangeRates,
} from '../../common/money';

const USD_RATES: ExchangeRates = {
  base: 'USD',
  rates: { SAR: '3.75', AED: '3.6725', JPY: '150', KWD: '0.307' },
};

/** A decimal string with exactly `exponent` decimals for an integer number of minor units. */
function decimalOf(minor: bigint, exponent: number): string {
  const digits = minor.toString().padStart(exponent + 1, '0');
  return exponent === 0 ? digits : `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

function expectMoneyError(run: () => unknown, code: MoneyError['code']): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(MoneyError);
    expect((error as MoneyError).code).toBe(code);
    return;
  }
  throw new Error(`expected a MoneyError ${code}`);
}

describe('currencyExponent', () => {
  it('reads each currency’s minor unit from Intl', () => {
    expect(currencyExponent('SAR')).toBe(2);
    expect(currencyExponent('JPY')).toBe(0);
    expect(currencyExponent('KWD')).toBe(3);
  });

  it('refuses something that is not an ISO code', () => {
    expectMoneyError(() => currencyExponent('sar'), 'unknown_currency');
  });
});

describe('toMinorUnits', () => {
  it('converts Shein’s decimal strings exactly', () => {
    expect(toMinorUnits('23.80', 'SAR')).toBe(2380);
    expect(toMinorUnits('6.35', 'USD')).toBe(635);
    expect(toMinorUnits('7', 'SAR')).toBe(700);
    expect(toMinorUnits('0.125', 'KWD')).toBe(125);
    expect(toMinorUnits('1500', 'JPY')).toBe(1500);
    expect(toMinorUnits('23.800', 'SAR')).toBe(2380);
  });

  it('has no float drift: 0.1 + 0.2 is 0.3', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(toMinorUnits('0.1', 'USD') + toMinorUnits('0.2', 'USD')).toBe(toMinorUnits('0.3', 'USD'));
    // 1.005 * 100 is 100.49999999999999 in floating point.
    expect(toMinorUnits('1.005', 'KWD')).toBe(1005);
    expect(toMinorUnits('19.99', 'USD')).toBe(1999);
  });

  it.each<[string, MoneyError['code'], string?]>([
    ['-1.00', 'negative'],
    ['-0', 'negative'],
    ['1,000.00', 'malformed'],
    ['1e3', 'malformed'],
    ['', 'malformed'],
    [' 1.00', 'malformed'],
    ['.50', 'malformed'],
    ['23.805', 'too_precise'],
    ['10.5', 'too_precise', 'JPY'],
    ['90071992547409.92', 'too_large'],
  ])('refuses %j (%s)', (amount, code, currency = 'SAR') => {
    expectMoneyError(() => toMinorUnits(amount, currency), code);
  });

  it('refuses a 100,000-digit amount without parsing it', () => {
    expectMoneyError(() => toMinorUnits('9'.repeat(100_000), 'SAR'), 'too_large');
  });

  it('names the currency and the value in its errors', () => {
    expect(() => toMinorUnits('23.805', 'SAR')).toThrow('SAR amount "23.805" has more than 2 decimals');
  });

  it('round-trips every amount through its decimal string (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('SAR', 'USD', 'JPY', 'KWD'),
        fc.bigInt({ min: 0n, max: BigInt(Number.MAX_SAFE_INTEGER) }),
        (currency, minor) => {
          const decimal = decimalOf(minor, currencyExponent(currency));
          expect(toMinorUnits(decimal, currency)).toBe(Number(minor));
          expect(toDecimalString({ currencyCode: currency, amount: Number(minor) })).toBe(decimal);
        },
      ),
    );
  });

  /** Two amounts in minor units, small enough that their sum stays a safe integer. */
  const twoAmounts = [
    fc.bigInt({ min: 0n, max: 10n ** 13n }),
    fc.bigInt({ min: 0n, max: 10n ** 13n }),
  ] as const;

  it('is monotonic and adds like decimals, not like floats (property)', () => {
    fc.assert(
      fc.property(...twoAmounts, (a, b) => {
        const minor = (amount: bigint) => toMinorUnits(decimalOf(amount, 2), 'SAR');
        expect(Math.sign(minor(a) - minor(b))).toBe(a === b ? 0 : a < b ? -1 : 1);
        expect(minor(a) + minor(b)).toBe(minor(a + b));
      }),
    );
  });
});

describe('toDecimalString', () => {
  it('gives the major-unit form commerce APIs take', () => {
    expect(toDecimalString({ currencyCode: 'SAR', amount: 2380 })).toBe('23.80');
    expect(toDecimalString({ currencyCode: 'SAR', amount: 5 })).toBe('0.05');
    expect(toDecimalString({ currencyCode: 'JPY', amount: 1500 })).toBe('1500');
    expect(toDecimalString({ currencyCode: 'KWD', amount: 1 })).toBe('0.001');
  });
});

describe('convertMoney', () => {
  it('converts through the base in one exact fraction', () => {
    // 23.80 SAR / 3.75 × 3.6725 = 23.3081… AED
    expect(convertMoney({ currencyCode: 'SAR', amount: 2380 }, 'AED', USD_RATES)).toEqual({
      currencyCode: 'AED',
      amount: 2331,
    });
    // 10.00 USD × 150 = 1500 JPY (no minor unit)
    expect(convertMoney({ currencyCode: 'USD', amount: 1000 }, 'JPY', USD_RATES)).toEqual({
      currencyCode: 'JPY',
      amount: 1500,
    });
    // 10.00 USD × 0.307 = 3.070 KWD (three decimals)
    expect(convertMoney({ currencyCode: 'USD', amount: 1000 }, 'KWD', USD_RATES)).toEqual({
      currencyCode: 'KWD',
      amount: 3070,
    });
  });

  it('rounds half to even, once', () => {
    const half: ExchangeRates = { base: 'USD', rates: { EUR: '0.5' } };
    // 0.01 USD → 0.005 EUR → 0.00 (tie, 0 is even); 0.03 → 0.015 → 0.02 (tie, 2 is even)
    expect(convertMoney({ currencyCode: 'USD', amount: 1 }, 'EUR', half).amount).toBe(0);
    expect(convertMoney({ currencyCode: 'USD', amount: 3 }, 'EUR', half).amount).toBe(2);
    expect(convertMoney({ currencyCode: 'USD', amount: 5 }, 'EUR', half).amount).toBe(2);
    expect(convertMoney({ currencyCode: 'USD', amount: 7 }, 'EUR', half).amount).toBe(4);
    // not a tie: 0.0051 rounds up
    const justAbove: ExchangeRates = { base: 'USD', rates: { EUR: '0.51' } };
    expect(convertMoney({ currencyCode: 'USD', amount: 1 }, 'EUR', justAbove).amount).toBe(1);
  });

  it('leaves money alone when the currency does not change', () => {
    const money = { currencyCode: 'SAR', amount: 2380 };
    expect(convertMoney(money, 'SAR', USD_RATES)).toBe(money);
  });

  it('fails with no_rate for a currency missing from the table', () => {
    expectMoneyError(() => convertMoney({ currencyCode: 'SAR', amount: 100 }, 'EUR', USD_RATES), 'no_rate');
  });

  it('is monotonic in the amount and exact against a BigInt reference (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 ** 9 }),
        fc.integer({ min: 0, max: 10 ** 9 }),
        fc.constantFrom('AED', 'JPY', 'KWD', 'USD'),
        (a, b, to) => {
          const from = 'SAR';
          const [low, high] = a <= b ? [a, b] : [b, a];
          const convert = (amount: number) =>
            convertMoney({ currencyCode: from, amount }, to, USD_RATES).amount;
          expect(convert(low)).toBeLessThanOrEqual(convert(high));
          // |result − exact| ≤ ½ minor unit, checked in integers: |2·result·den − 2·num| ≤ den
          const rate = { AED: [36725n, 4n], JPY: [150n, 0n], KWD: [307n, 3n], USD: [1n, 0n] }[to] as [
            bigint,
            bigint,
          ];
          const num = BigInt(high) * 10n ** BigInt(currencyExponent(to)) * rate[0] * 100n;
          const den = 10n ** 2n * 10n ** rate[1] * 375n;
          const diff = 2n * BigInt(convert(high)) * den - 2n * num;
          expect(diff < 0n ? -diff : diff).toBeLessThanOrEqual(den);
        },
      ),
    );
  });
});
