/**
 * Why a product of an upload was set aside. The codes are stable: reports, dashboards and
 * docs/ingestion.md key on them.
 */
export const REJECT_REASONS = [
  'unknown_shape',
  'upstream_error',
  'missing_id',
  'invalid_id',
  'missing_title',
  'missing_price',
  'invalid_price',
  'negative_price',
  'zero_price',
  'unknown_currency',
  'invalid_image_url',
  'invalid_field',
  'inconsistent_variants',
  'duplicate_goods_id',
  'product_too_large',
  'item_too_large',
  'item_too_deep',
  'invalid_utf8',
  'transform_failed',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export interface Reject {
  /** Position of the item in the uploaded file, from 0. */
  readonly index: number;
  /** The item's goods_id when it has a readable one. */
  readonly id?: string;
  readonly reason: RejectReason;
  /** Names the field path and the offending value. */
  readonly message: string;
}

/** What a check returns: its value, or why the product is rejected. */
export type Failure = { ok: false; reason: RejectReason; message: string };
export type Outcome<Value> = { ok: true; value: Value } | Failure;

export function failure(reason: RejectReason, message: string): Failure {
  return { ok: false, reason, message };
}

const PREVIEW_LENGTH = 60;

/**
 * A short, safe rendering of a bad value for a message: never the whole value (it may be megabytes of
 * junk) and never a recursive walk (it may be nested 100,000 deep).
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') {
    const quoted = JSON.stringify(
      value.length > PREVIEW_LENGTH ? `${value.slice(0, PREVIEW_LENGTH)}…` : value,
    );
    return value.length > PREVIEW_LENGTH ? `${quoted} (${value.length} characters)` : quoted;
  }
  if (Array.isArray(value)) return `an array of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (value === null || typeof value !== 'object') return String(value);
  return 'an object';
}

/** "info.productInfo.sku_list[2].stock" from ["info", "productInfo", "sku_list", 2, "stock"]. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => {
    if (typeof key === 'number') return `${text}[${key}]`;
    return text === '' ? String(key) : `${text}.${String(key)}`;
  }, '');
}
