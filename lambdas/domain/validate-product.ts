import { planProduct } from './product-plan';
import { describeValue, type Failure, type Reject } from './reject';
import { appResponseProblem } from './shein/app-detail';
import { detectShape, isPlainObject } from './shein/detect-shape';
import { rejectForIssues } from './shein/issue-reason';
import { stagedProductSchema, type StagedProduct } from './staged-product';
import { DEFAULT_TRANSFORM_CONFIG, type TransformConfig } from './transform-config';

export type ValidationResult = { ok: true; product: StagedProduct } | { ok: false; reject: Reject };

/** The item's goods_id for the reject report, when one can be read whatever else is wrong. */
export function readableGoodsId(item: unknown): string | undefined {
  if (!isPlainObject(item)) return undefined;
  const info = item.info;
  const productInfo = isPlainObject(info) ? info.productInfo : undefined;
  const id =
    detectShape(item) === 'shein-app-detail' && isPlainObject(productInfo)
      ? productInfo.goods_id
      : item.goods_id;
  return typeof id === 'number' || (typeof id === 'string' && id !== '')
    ? String(id).slice(0, 64)
    : undefined;
}

/**
 * Checks one item of an upload and trims it to what the transform needs. Never throws on bad data: an
 * item that is not an object, a Shein error response, a missing id, title or price, a bad price or
 * image URL, or SKUs that do not form a clean set of variants each give a reject with a stable reason.
 */
export function validateRawProduct(
  item: unknown,
  index: number,
  config: TransformConfig = DEFAULT_TRANSFORM_CONFIG,
): ValidationResult {
  if (!isPlainObject(item)) {
    return {
      ok: false,
      reject: { index, reason: 'unknown_shape', message: `item is ${describeValue(item)}` },
    };
  }
  const shape = detectShape(item);
  const id = readableGoodsId(item);
  const rejectWith = ({ reason, message }: Omit<Failure, 'ok'>): ValidationResult => ({
    ok: false,
    reject: id === undefined ? { index, reason, message } : { index, id, reason, message },
  });
  if (!shape) {
    const keys = Object.keys(item).slice(0, 8).join(', ');
    return rejectWith({
      reason: 'unknown_shape',
      message: `neither a Shein app response {code, msg, info} nor a listing item with goods_id; keys: ${keys || 'none'}`,
    });
  }
  const upstreamProblem = shape === 'shein-app-detail' ? appResponseProblem(item) : undefined;
  if (upstreamProblem) return rejectWith({ reason: 'upstream_error', message: upstreamProblem });
  const parsed = stagedProductSchema.safeParse({ shape, index, raw: item });
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({ ...issue, path: issue.path.slice(1) })); // drop "raw"
    return rejectWith(rejectForIssues(shape, item, issues));
  }
  const plan = planProduct(parsed.data, config);
  if (!plan.ok) return rejectWith(plan);
  return { ok: true, product: parsed.data };
}
