import { readJsonArrayItems } from './json-array-items';
import { readNdjsonItems } from './ndjson-items';
import { DEFAULT_ITEM_LIMITS, type ItemLimits, type ReadItem } from './read-item';
import { boundedChunks, findUploadStart, uncompressedChunks } from './upload-bytes';

export interface ReadOptions extends Partial<ItemLimits> {
  /** The largest upload accepted, and the most it may decompress to; longer fails (ObjectTooLarge, DecompressedTooLarge). */
  readonly maxBytes: number;
}

/**
 * The items of an upload, streamed: a JSON array (first non-whitespace byte "[") or NDJSON ("{"),
 * either of them gzip-compressed or not. Fails with EmptyFile, NotArrayOrNdjson, NotJson, InvalidUtf8,
 * ObjectTooLarge, DecompressedTooLarge or CorruptGzip; an item over the size or depth limit, or not
 * UTF-8, comes out as a rejected item instead of a value. Never holds the whole upload.
 */
export async function* readProductItems(
  source: AsyncIterable<Buffer | string>,
  options: ReadOptions,
): AsyncGenerator<ReadItem, void, undefined> {
  const limits: ItemLimits = {
    maxItemBytes: options.maxItemBytes ?? DEFAULT_ITEM_LIMITS.maxItemBytes,
    maxDepth: options.maxDepth ?? DEFAULT_ITEM_LIMITS.maxDepth,
  };
  const bytes = await uncompressedChunks(boundedChunks(source, options.maxBytes), options.maxBytes);
  const start = await findUploadStart(bytes);
  if (start.format === 'array') yield* readJsonArrayItems(start.chunks, limits, start.skippedBytes);
  else yield* readNdjsonItems(start.chunks, limits, { bytes: start.skippedBytes, lines: start.skippedLines });
}
