/** Streaming ingestion of an upload: read its items, validate them, stage them. AWS-free. */
export {
  CorruptGzip,
  DecompressedTooLarge,
  EmptyFile,
  InvalidUtf8,
  NoValidProduct,
  NotArrayOrNdjson,
  NotJson,
  ObjectTooLarge,
  UnreadableUpload,
} from './errors';
export { DEFAULT_ITEM_LIMITS, type ItemLimits, type ReadItem } from './read-item';
export { readProductItems, type ReadOptions } from './read-product-items';
export {
  validateItems,
  type StagingSink,
  type ValidateItemsOptions,
  type ValidationSummary,
} from './validate-items';
