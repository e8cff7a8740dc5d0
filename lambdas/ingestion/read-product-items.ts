import { readJsonArrayItems } from './json-array-items';
import { readNdjsonItems } from './ndjson-items';
import { DEFAULT_ITEM_LIMITS, type ItemLimits, type ReadItem } from './read-item';
import { boundedChunks, findUploadStart } from './upload-bytes';

export interface ReadOptions extends Partial<ItemLimits> {
  /** The largest upload accepted; a longer stream fails with ObjectTooLarge. */
  readonly maxBytes: number;
}

/**
 * The items of an upload, streamed: a JSON array (first non-whitespace byte "[") or NDJSON ("{").
 * Fails with EmptyFile, NotArrayOrNdjson, NotJson or ObjectTooLarge; an item over the size or depth
 * limit comes out as a rejected item instead of a value. Never holds the whole upload.
 */
export async function* readProductItems(
  source: AsyncIterable<Buffer | string>,
  options: ReadOptions,
): AsyncGenerator<ReadItem, void, undefined> {
  const limits: ItemLimits = {
    maxItemBytes: options.maxItemBytes ?? DEFAULT_ITEM_LIMITS.maxItemBytes,
    maxDepth: options.maxDepth ?? DEFAULT_ITEM_LIMITS.maxDepth,
  };
  const start = await findUploadStart(boundedChunks(source, options.maxBytes));
  if (start.format === 'array') yield* readJsonArrayItems(start.chunks, limits, start.skippedBytes);
  else yield* readNdjsonItems(start.chunks, limits, start.skippedLines);
}
