import { hexBytes } from './utf8';

/** What the readers yield for each item of an upload, in file order. */
export type ReadItem =
  | { readonly kind: 'value'; readonly index: number; readonly value: unknown }
  /** An item skipped without being used, reported as a reject. */
  | {
      readonly kind: 'rejected';
      readonly index: number;
      readonly reason: 'item_too_large' | 'item_too_deep' | 'invalid_utf8';
      readonly message: string;
      /** What the item reads as with its bad bytes replaced, when that parses: only to name its goods_id. */
      readonly value?: unknown;
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

/**
 * An item whose bytes are not UTF-8 (`bad` starts at the first wrong one, `offset` in the upload):
 * rejected rather than read with replacement characters, which would reach the catalogue as "�".
 */
export function notUtf8(index: number, offset: number, bad: Buffer, whole: Buffer): ReadItem {
  const item: ReadItem = {
    kind: 'rejected',
    index,
    reason: 'invalid_utf8',
    message: `item is not UTF-8 text: ${hexBytes(bad)} at byte ${offset} of the upload; export the file as UTF-8`,
  };
  try {
    return { ...item, value: JSON.parse(whole.toString('utf8')) as unknown };
  } catch {
    return item; // its goods_id stays unknown
  }
}
