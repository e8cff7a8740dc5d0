/** What the readers yield for each item of an upload, in file order. */
export type ReadItem =
  | { readonly kind: 'value'; readonly index: number; readonly value: unknown }
  /** An item over the size or depth limit: skipped without being built, reported as a reject. */
  | {
      readonly kind: 'rejected';
      readonly index: number;
      readonly reason: 'item_too_large' | 'item_too_deep';
      readonly message: string;
    };

export interface ItemLimits {
  /** Largest item, in bytes of JSON text (array uploads: characters of its strings, keys and numbers). */
  readonly maxItemBytes: number;
  /** Deepest nesting of objects and arrays inside one item (the item itself is depth 1). */
  readonly maxDepth: number;
}

/** A raw Shein product is ~135 KB and ~10 levels deep; these leave ample room and stop hostile input. */
export const DEFAULT_ITEM_LIMITS: ItemLimits = { maxItemBytes: 4 * 1024 * 1024, maxDepth: 64 };

export function tooLarge(index: number, limits: ItemLimits): ReadItem {
  return {
    kind: 'rejected',
    index,
    reason: 'item_too_large',
    message: `item is larger than ${limits.maxItemBytes} bytes; skipped without reading it whole`,
  };
}

export function tooDeep(index: number, limits: ItemLimits): ReadItem {
  return {
    kind: 'rejected',
    index,
    reason: 'item_too_deep',
    message: `item nests objects/arrays deeper than ${limits.maxDepth} levels`,
  };
}
