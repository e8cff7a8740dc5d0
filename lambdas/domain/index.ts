/** The ingestion domain: pure, AWS-free functions the Validate and Transform handlers call. */
export {
  canonicalProductSchema,
  computeContentHash,
  type CanonicalProduct,
  type Money,
} from '../../contracts/canonical-product';
export { DEFAULT_CURRENCY_SYMBOLS, inferCurrency } from './currency';
export { FirstOccurrenceWins } from './duplicates';
export {
  convertMoney,
  currencyExponent,
  MoneyError,
  toDecimalString,
  toMinorUnits,
  type ExchangeRates,
} from './money';
export { REJECT_REASONS, type Reject, type RejectReason } from './reject';
export { goodsIdOf, stagedProductSchema, type StagedProduct } from './staged-product';
export { transformProduct, TransformError } from './transform';
export {
  DEFAULT_TRANSFORM_CONFIG,
  parseTransformConfig,
  TransformConfigError,
  type TransformConfig,
} from './transform-config';
export { validateRawProduct, type ValidationResult } from './validate-product';
