export { createPimcoreClient } from './create-pimcore-client';
export type {
  CallOptions,
  PimcoreClient,
  PimcoreProduct,
  PimcoreProductData,
  PageRequest,
  ProductPage,
  UpsertOptions,
  UpsertResult,
} from './pimcore-client';
export { pimcoreConfigSchema, pimcoreEnvSchema, type PimcoreConfig } from './pimcore-config';
export {
  PimcoreAuthenticationError,
  type PimcoreError,
  PimcorePermanentError,
  PimcoreTransientError,
  type PermanentReason,
  type TransientReason,
} from './pimcore-errors';
export { toPimcoreFields, toPimcoreProduct, type PimcoreProductFields } from './product-mapping';
