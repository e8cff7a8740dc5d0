import type { JsonObject, JsonValue } from '../../aws-json/json';
import { MapRunRuntimeError } from './errors';

/** An iteration's input and how many dataset items it carries (failures are counted in items). */
export interface ChildInput {
  readonly input: JsonValue;
  readonly itemCount: number;
}

export interface BatchLimits {
  readonly maxItems: number;
  readonly maxBytes: number;
  readonly batchInput: JsonValue | undefined;
}

/** MaxInputBytesPerBatch is at most 256 KiB, the execution input quota (ItemBatcher (Map)). */
const MAX_BATCH_BYTES = 256 * 1024;

/**
 * The ItemBatcher's limits from its evaluated fields (MaxItemsPerBatch, MaxInputBytesPerBatch and
 * their …Path forms; BatchInput), or undefined when the Map has no ItemBatcher.
 */
export function batchLimits(
  itemBatcher: JsonObject | undefined,
  evaluated: JsonObject,
): BatchLimits | undefined {
  if (!itemBatcher) return undefined;
  const number = (value: JsonValue | undefined) =>
    typeof value === 'number' && value > 0 ? value : undefined;
  const maxItems = number(evaluated.MaxItemsPerBatch);
  const maxBytes = number(evaluated.MaxInputBytesPerBatch);
  if (maxItems === undefined && maxBytes === undefined) {
    throw new MapRunRuntimeError('ItemBatcher needs MaxItemsPerBatch or MaxInputBytesPerBatch.');
  }
  return {
    maxItems: maxItems ?? Infinity,
    maxBytes: Math.min(maxBytes ?? MAX_BATCH_BYTES, MAX_BATCH_BYTES),
    batchInput: evaluated.BatchInput,
  };
}

/**
 * Groups the (selected) items into child inputs as ItemBatcher (Map) describes: `{"Items": [...]}`,
 * with `"BatchInput"` when given, holding at most MaxItemsPerBatch items and MaxInputBytesPerBatch
 * bytes of JSON. An item too big for a batch of its own goes alone.
 */
export async function* batches(
  items: AsyncIterable<JsonValue>,
  limits: BatchLimits,
): AsyncGenerator<ChildInput> {
  const extra =
    limits.batchInput === undefined ? 0 : Buffer.byteLength(JSON.stringify(limits.batchInput)) + 14;
  let batch: JsonValue[] = [];
  let bytes = 12 + extra; // {"Items":[]} plus ,"BatchInput":…
  const flush = (): ChildInput => {
    const input: JsonObject = { Items: batch };
    if (limits.batchInput !== undefined) input.BatchInput = limits.batchInput;
    const child = { input, itemCount: batch.length };
    batch = [];
    bytes = 12 + extra;
    return child;
  };
  for await (const item of items) {
    const size = Buffer.byteLength(JSON.stringify(item));
    const full = batch.length >= limits.maxItems || bytes + 1 + size > limits.maxBytes;
    if (batch.length > 0 && full) yield flush();
    bytes += (batch.length > 0 ? 1 : 0) + size; // the comma before it
    batch.push(item);
  }
  if (batch.length > 0) yield flush();
}

/** Without an ItemBatcher every item is an iteration of its own. */
export async function* singleItems(items: AsyncIterable<JsonValue>): AsyncGenerator<ChildInput> {
  for await (const item of items) yield { input: item, itemCount: 1 };
}
