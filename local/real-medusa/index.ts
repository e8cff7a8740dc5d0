export { COORDINATES_ENV, type RealMedusaCoordinates } from './coordinates';
export type { SeededStore } from './admin-seed';
export { ensureMedusaInstalled, isMedusaInstalled, MEDUSA_DIR, MEDUSA_VERSION } from './medusa-project';
export { startRealMedusa, type RealMedusa, type RealMedusaOptions } from './start-real-medusa';
export {
  StoreApi,
  type AddToCartOutcome,
  type LineItemView,
  type StoreCoordinates,
  type StoreProduct,
  type StoreReply,
  type StoreVariant,
} from './store-api';
