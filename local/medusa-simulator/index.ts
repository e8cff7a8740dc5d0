export type { InjectedFailure } from '../pimcore-simulator/request-controls';
export type {
  Cart,
  InventoryItem,
  InventoryLevel,
  LineItem,
  Price,
  Product,
  ProductOption,
  ProductStatus,
  ProductVariant,
  Region,
  SalesChannel,
  StockLocation,
} from './model';
export { MedusaSimulator, type MedusaSimulatorOptions } from './medusa-simulator';
