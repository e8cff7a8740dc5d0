import type { Money } from '../../contracts/canonical-product';
import { inferCurrency } from './currency';
import {
  convertMoney,
  MoneyError,
  toMinorUnits,
  type ExchangeRates,
  type MoneyErrorCode,
} from '../../common/money';
import { describeValue, failure, type Failure, type Outcome, type RejectReason } from './reject';
import type { SourcePrice, SourceProduct, SourceVariant } from './shein/source-product';

export interface PriceSettings {
  readonly currencySymbols: Readonly<Record<string, string>>;
  readonly exchangeRates: ExchangeRates;
  readonly targetCurrencies: readonly string[];
  readonly allowZeroPrices: boolean;
}

export interface VariantMoney {
  /** Source currency first, then USD, then the configured target currencies. */
  readonly prices: Money[];
  /** The same currencies for the retail price when it is above the sale price, else empty. */
  readonly compareAtPrices: Money[];
}

/** One Shein price: the amount in its own currency and, when Shein gives it, in USD. */
interface ReadPrice {
  readonly money: Money;
  readonly usd: Money | undefined;
  readonly path: string;
}

const REJECT_REASON_OF: Record<MoneyErrorCode, RejectReason> = {
  malformed: 'invalid_price',
  too_precise: 'invalid_price',
  too_large: 'invalid_price',
  negative: 'negative_price',
  unknown_currency: 'unknown_currency',
  no_rate: 'unknown_currency',
};

function moneyFailure(error: unknown, path: string): Failure {
  if (!(error instanceof MoneyError)) throw error;
  return failure(REJECT_REASON_OF[error.code], `${path}: ${error.message}`);
}

function readPrice(price: SourcePrice, symbols: PriceSettings['currencySymbols']): Outcome<ReadPrice> {
  const { amount, amountWithSymbol, usdAmount } = price.value;
  const inferred = inferCurrency(amountWithSymbol, symbols);
  if (!inferred.ok) {
    return failure(
      'unknown_currency',
      `${price.path}.amountWithSymbol: no currency is known for the symbol ${describeValue(inferred.symbol)} ` +
        `in ${describeValue(amountWithSymbol)}; add it to currencySymbols`,
    );
  }
  const at = (field: string) => `${price.path}.${field}`;
  let money: Money;
  try {
    money = { currencyCode: inferred.currency, amount: toMinorUnits(amount, inferred.currency) };
  } catch (error) {
    return moneyFailure(error, at('amount'));
  }
  try {
    // Shein's own USD figure is kept as is rather than converted again.
    const usd = usdAmount ? { currencyCode: 'USD', amount: toMinorUnits(usdAmount, 'USD') } : undefined;
    return { ok: true, value: { money, usd, path: price.path } };
  } catch (error) {
    return moneyFailure(error, at('usdAmount'));
  }
}

function moneyList(price: ReadPrice, settings: PriceSettings): Money[] {
  const convert = (currency: string) => convertMoney(price.money, currency, settings.exchangeRates);
  const all = [price.money, price.usd ?? convert('USD'), ...settings.targetCurrencies.map(convert)];
  return all.filter((money, i) => all.findIndex((other) => other.currencyCode === money.currencyCode) === i);
}

function variantMoney(
  sale: ReadPrice,
  retail: ReadPrice | undefined,
  settings: PriceSettings,
): Outcome<VariantMoney> {
  try {
    const discounted = retail !== undefined && retail.money.amount > sale.money.amount;
    const compareAtPrices = discounted ? moneyList(retail, settings) : [];
    return { ok: true, value: { prices: moneyList(sale, settings), compareAtPrices } };
  } catch (error) {
    return moneyFailure(error, sale.path);
  }
}

/**
 * Every variant's prices in every currency the configuration asks for. All of a product's prices must
 * be in one currency; a price that cannot be read or converted fails the product with the field's path,
 * and so does a variant that would sell for 0 in any currency, unless allowZeroPrices.
 */
export function priceVariants(
  source: SourceProduct,
  settings: PriceSettings,
): Outcome<ReadonlyMap<SourceVariant, VariantMoney>> {
  const byVariant = new Map<SourceVariant, VariantMoney>();
  let first: ReadPrice | undefined;
  for (const variant of source.variants) {
    if (!variant.sale) {
      const where = variant.path ? `${variant.path}: ` : '';
      return failure('missing_price', `${where}SKU "${variant.sku}" has no salePrice or retailPrice`);
    }
    const sale = readPrice(variant.sale, settings.currencySymbols);
    if (!sale.ok) return sale;
    const retail = variant.retail && readPrice(variant.retail, settings.currencySymbols);
    if (retail && !retail.ok) return retail;
    for (const price of retail ? [sale.value, retail.value] : [sale.value]) {
      first ??= price;
      if (price.money.currencyCode !== first.money.currencyCode) {
        return failure(
          'invalid_price',
          `${price.path}: in ${price.money.currencyCode}, but ${first.path} is in ${first.money.currencyCode}`,
        );
      }
    }
    const money = variantMoney(sale.value, retail?.value, settings);
    if (!money.ok) return money;
    const free = settings.allowZeroPrices
      ? undefined
      : money.value.prices.find((price) => price.amount === 0);
    if (free) {
      return failure(
        'zero_price',
        `${sale.value.path}: SKU "${variant.sku}" would sell for 0 ${free.currencyCode}; ` +
          'fix the price, or set allowZeroPrices to publish free products',
      );
    }
    byVariant.set(variant, money.value);
  }
  return { ok: true, value: byVariant };
}
