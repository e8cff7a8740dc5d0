import type { z } from 'zod';
import type { SourceShape } from '../../../contracts/canonical-product';
import { describeValue, formatPath, REJECT_REASONS, type RejectReason } from '../reject';
import { isPlainObject } from './detect-shape';

/** Where each shape keeps the product's own goods_id, goods_sn and goods_name. */
const PRODUCT_ROOT: Record<SourceShape, readonly string[]> = {
  'shein-app-detail': ['info', 'productInfo'],
  'shein-listing': [],
};
const ID_FIELDS = new Set(['goods_id', 'goods_sn']);
const PRICE_FIELDS = new Set([
  'price',
  'priceInfo',
  'salePrice',
  'retailPrice',
  'amount',
  'amountWithSymbol',
  'usdAmount',
]);
const IMAGE_FIELDS = new Set(['goods_img', 'skcImages', 'detail_image']);

function valueAt(item: unknown, path: readonly PropertyKey[]): unknown {
  let value = item;
  for (const key of path) {
    if ((!isPlainObject(value) && !Array.isArray(value)) || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

function reasonFor(shape: SourceShape, path: readonly PropertyKey[], value: unknown): RejectReason {
  const root = PRODUCT_ROOT[shape];
  const atRoot = path.length === root.length + 1 && root.every((key, i) => path[i] === key);
  const field = path.at(-1);
  const mentions = (fields: ReadonlySet<string>) =>
    path.some((key) => typeof key === 'string' && fields.has(key));
  if (atRoot && typeof field === 'string' && ID_FIELDS.has(field))
    return isBlank(value) ? 'missing_id' : 'invalid_id';
  if (atRoot && field === 'goods_name') return 'missing_title';
  if (mentions(PRICE_FIELDS)) return 'invalid_price';
  if (mentions(IMAGE_FIELDS)) return 'invalid_image_url';
  return 'invalid_field';
}

/**
 * Turns the schema's complaints about an item into one reject: the most telling one (identity before
 * title before prices…, in REJECT_REASONS order), naming the field path and the value found there.
 */
export function rejectForIssues(
  shape: SourceShape,
  item: unknown,
  issues: readonly z.core.$ZodIssue[],
): { reason: RejectReason; message: string } {
  const described = issues.map((issue) => {
    const value = valueAt(item, issue.path);
    return { issue, value, reason: reasonFor(shape, issue.path, value) };
  });
  const [first] = described.sort(
    (a, b) => REJECT_REASONS.indexOf(a.reason) - REJECT_REASONS.indexOf(b.reason),
  );
  if (!first) return { reason: 'invalid_field', message: 'the item does not match its shape' };
  const { issue, value, reason } = first;
  const found = value === undefined ? '' : `; found ${describeValue(value)}`;
  return { reason, message: `${formatPath(issue.path)}: ${issue.message}${found}` };
}
