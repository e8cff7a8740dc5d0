export type { InjectedFailure } from '../pimcore/request-controls';
export type {
  Price,
  Product,
  ProductOption,
  ProductStatus,
  ProductVariant,
  Region,
  SalesChannel,
} from './model';
export { MedusaSimulator, type MedusaSimulatorOptions } from './medusa-simulator';
