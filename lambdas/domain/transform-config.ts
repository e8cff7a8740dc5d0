import { z } from 'zod';
import { currencyCodeSchema, localeTagSchema } from '../../contracts/canonical-product';
import { DEFAULT_CURRENCY_SYMBOLS } from './currency';
import { DECIMAL_PATTERN, hasExchangeRate, type ExchangeRates } from '../../common/money';
import { formatPath } from './reject';

/** What the transform can be told (docs/ingestion.md, "Transform configuration"). */
export interface TransformConfig {
  /** The language of Shein's goods_name and detail lines; its texts are kept under this locale. */
  readonly sourceLocale: string;
  /** Display symbol → ISO 4217 code, used to read amountWithSymbol. */
  readonly currencySymbols: Readonly<Record<string, string>>;
  readonly exchangeRates: ExchangeRates;
  /** Currencies to add to every price, converted from the source currency. */
  readonly targetCurrencies: readonly string[];
  /** Shein cat_id → PIM category path. */
  readonly categoryMap: Readonly<Record<string, string>>;
  /** The PIM category path of products whose cat_id is not in categoryMap. */
  readonly fallbackCategoryPath: string;
  /** Whether a variant may sell for 0; when not, such a product is rejected as zero_price. */
  readonly allowZeroPrices: boolean;
}

export const DEFAULT_TRANSFORM_CONFIG: TransformConfig = Object.freeze({
  sourceLocale: 'ar',
  currencySymbols: DEFAULT_CURRENCY_SYMBOLS,
  // Gulf currencies pegged to the dollar; floating currencies must come from configuration.
  exchangeRates: { base: 'USD', rates: { SAR: '3.75', AED: '3.6725' } },
  targetCurrencies: [],
  categoryMap: {},
  fallbackCategoryPath: '/Shein/Unmapped',
  allowZeroPrices: false,
});

const rateSchema = z
  .string()
  .regex(DECIMAL_PATTERN, 'expected a decimal string such as "3.75"')
  .refine((rate) => /[1-9]/.test(rate), 'must be above zero');
const pimPathSchema = z.string().regex(/^(\/[^/]+)+$/, 'expected a path such as "/Women/Dresses"');

const configSchema = z
  .strictObject({
    sourceLocale: localeTagSchema.optional(),
    /** Added to the default symbols (same symbol: this one wins). */
    currencySymbols: z.record(z.string().min(1), currencyCodeSchema).optional(),
    /** Replaces the default rates as a whole, since rates only make sense against one base. */
    exchangeRates: z
      .strictObject({ base: currencyCodeSchema, rates: z.record(currencyCodeSchema, rateSchema) })
      .optional(),
    targetCurrencies: z.array(currencyCodeSchema).optional(),
    categoryMap: z.record(z.string().regex(/^\d+$/, 'expected a Shein cat_id'), pimPathSchema).optional(),
    fallbackCategoryPath: pimPathSchema.optional(),
    allowZeroPrices: z.boolean().optional(),
  })
  .superRefine((config, ctx) => {
    const exchangeRates = config.exchangeRates ?? DEFAULT_TRANSFORM_CONFIG.exchangeRates;
    config.targetCurrencies?.forEach((currency, index) => {
      if (!hasExchangeRate(currency, exchangeRates)) {
        ctx.addIssue({
          code: 'custom',
          path: ['targetCurrencies', index],
          message: `no exchange rate for ${currency}`,
        });
      }
    });
  });

export class TransformConfigError extends Error {
  override readonly name = 'TransformConfigError';
}

/**
 * Reads the transform configuration from JSON (the handlers' environment variable); absent or empty
 * means the defaults. Fails with every wrong key named, e.g. `exchangeRates.rates.EUR: expected …`.
 */
export function parseTransformConfig(json: string | undefined): TransformConfig {
  if (json === undefined || json.trim() === '') return DEFAULT_TRANSFORM_CONFIG;
  let input: unknown;
  try {
    input = JSON.parse(json);
  } catch (error) {
    throw new TransformConfigError(`transform config is not JSON: ${(error as Error).message}`);
  }
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${formatPath(issue.path) || '(root)'}: ${issue.message}`,
    );
    throw new TransformConfigError(`transform config: ${problems.join('; ')}`);
  }
  const config = parsed.data;
  const defaults = DEFAULT_TRANSFORM_CONFIG;
  return Object.freeze({
    sourceLocale: config.sourceLocale ?? defaults.sourceLocale,
    currencySymbols: { ...defaults.currencySymbols, ...config.currencySymbols },
    exchangeRates: config.exchangeRates ?? defaults.exchangeRates,
    targetCurrencies: config.targetCurrencies ?? defaults.targetCurrencies,
    categoryMap: config.categoryMap ?? defaults.categoryMap,
    fallbackCategoryPath: config.fallbackCategoryPath ?? defaults.fallbackCategoryPath,
    allowZeroPrices: config.allowZeroPrices ?? defaults.allowZeroPrices,
  });
}
