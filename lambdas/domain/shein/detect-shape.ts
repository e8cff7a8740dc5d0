import type { SourceShape } from '../../../contracts/canonical-product';

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Which Shein export an item comes from, by its top-level keys: the app's product-detail response
 * wraps the product in `{code, msg, info}`; a listing item has its goods_id / goods_sn at the top.
 */
export function detectShape(item: Record<string, unknown>): SourceShape | undefined {
  const has = (key: string) => Object.hasOwn(item, key);
  if (has('info') || has('code')) return 'shein-app-detail';
  if (has('goods_id') || has('goods_sn')) return 'shein-listing';
  return undefined;
}
