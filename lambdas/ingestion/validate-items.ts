import { FirstOccurrenceWins } from '../domain/duplicates';
import type { Reject, RejectReason } from '../domain/reject';
import type { StagedProduct } from '../domain/staged-product';
import { DEFAULT_TRANSFORM_CONFIG, type TransformConfig } from '../domain/transform-config';
import { readableGoodsId, validateRawProduct } from '../domain/validate-product';
import { NoValidProduct, UnreadableUpload } from './errors';
import { tooLargeToPublish } from './publishable-size';
import type { ReadItem } from './read-item';

/** Where validation puts its output: the Validate Lambda writes to S3, a CLI to disk, tests to memory. */
export interface StagingSink {
  /** Batches are numbered from 1, in file order. */
  writeBatch(batchNumber: number, products: readonly StagedProduct[]): Promise<void>;
  /** Called as rejects accumulate (every `rejectsPerWrite`) and once at the end: append, do not replace. */
  writeRejects(rejects: readonly Reject[]): Promise<void>;
}

export interface ValidateItemsOptions {
  readonly batchSize: number;
  readonly config?: TransformConfig;
  readonly rejectsPerWrite?: number;
}

export interface ValidationSummary {
  total: number;
  valid: number;
  rejected: number;
  batches: Array<{ number: number; count: number }>;
  rejectReasons: Partial<Record<RejectReason, number>>;
}

function toReject(item: Extract<ReadItem, { kind: 'rejected' }>): Reject {
  const id = readableGoodsId(item.value);
  const reject = { index: item.index, reason: item.reason, message: item.message };
  return id === undefined ? reject : { ...reject, id };
}

/**
 * Validates an upload's items as they stream: valid products go to the sink in batches of batchSize,
 * rejects in groups, a product too large to publish is rejected (product_too_large) and duplicates of
 * an earlier goods_id are rejected (first occurrence wins). Memory holds one batch, one group of rejects
 * and the set of goods_ids seen. Throws NoValidProduct, after writing the rejects, when nothing was
 * valid. When the reading fails, what was read before goes to the sink first, so its counts and
 * reports cover it.
 */
export async function validateItems(
  items: AsyncIterable<ReadItem>,
  options: ValidateItemsOptions,
  sink: StagingSink,
): Promise<ValidationSummary> {
  if (!Number.isInteger(options.batchSize) || options.batchSize < 1) {
    throw new RangeError(`batchSize must be a whole number above 0, not ${options.batchSize}`);
  }
  const config = options.config ?? DEFAULT_TRANSFORM_CONFIG;
  const rejectsPerWrite = options.rejectsPerWrite ?? 1000;
  const duplicates = new FirstOccurrenceWins();
  const summary: ValidationSummary = { total: 0, valid: 0, rejected: 0, batches: [], rejectReasons: {} };
  let batch: StagedProduct[] = [];
  let rejects: Reject[] = [];

  const flushBatch = async () => {
    if (batch.length === 0) return;
    const number = summary.batches.length + 1;
    await sink.writeBatch(number, batch);
    summary.batches.push({ number, count: batch.length });
    batch = [];
  };
  const flushRejects = async () => {
    if (rejects.length === 0) return;
    await sink.writeRejects(rejects);
    rejects = [];
  };
  const classify = (item: ReadItem): Reject | StagedProduct => {
    if (item.kind === 'rejected') return toReject(item);
    const result = validateRawProduct(item.value, item.index, config);
    if (!result.ok) return result.reject;
    return tooLargeToPublish(result.product, config) ?? duplicates.claim(result.product) ?? result.product;
  };

  try {
    for await (const item of items) {
      summary.total += 1;
      const outcome = classify(item);
      if ('reason' in outcome) {
        summary.rejected += 1;
        summary.rejectReasons[outcome.reason] = (summary.rejectReasons[outcome.reason] ?? 0) + 1;
        rejects.push(outcome);
        if (rejects.length >= rejectsPerWrite) await flushRejects();
      } else {
        summary.valid += 1;
        batch.push(outcome);
        if (batch.length >= options.batchSize) await flushBatch();
      }
    }
  } catch (error) {
    if (error instanceof UnreadableUpload) {
      error.readBefore = { total: summary.total, valid: summary.valid, rejected: summary.rejected };
    }
    // The reading's error is what the caller needs, not the sink's, should it fail too (it may be why).
    await flushBatch()
      .then(flushRejects)
      .catch(() => undefined);
    throw error;
  }
  await flushBatch();
  await flushRejects();
  if (summary.valid === 0) {
    const reasons = Object.entries(summary.rejectReasons).map(([reason, count]) => `${reason} ×${count}`);
    throw new NoValidProduct(
      summary.total === 0
        ? 'the upload holds no products'
        : `none of the ${summary.total} products is valid (${reasons.join(', ')})`,
    );
  }
  return summary;
}
