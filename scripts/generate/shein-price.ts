import type { JsonObject } from './json';

/** "23.80" from 2380 minor units, as Shein writes amounts. */
export function decimal(minor: number): string {
  return `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
}

/**
 * Shein's price object for an amount in halalas: no currency code, a display string with the "SR"
 * symbol, and the USD amount at the riyal's peg (3.75 SAR per USD).
 */
export function sarPrice(halalas: number): JsonObject {
  const usdCents = Math.round((Math.max(0, halalas) * 4) / 15);
  return {
    amount: decimal(halalas),
    amountWithSymbol: `SR${decimal(halalas)}`,
    usdAmount: decimal(usdCents),
    usdAmountWithSymbol: `$${decimal(usdCents)}`,
    priceShowStyle: String(Math.floor(halalas / 100)),
  };
}

/** The discount in whole percent that Shein shows next to a price ("19"). */
export function discountPercent(sale: number, retail: number): string {
  return String(retail > sale ? Math.round((100 * (retail - sale)) / retail) : 0);
}
