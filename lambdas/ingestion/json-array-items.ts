import { once } from 'node:events';
import { Readable } from 'node:stream';
import Parser from 'stream-json/Parser';
import { ArrayItemAssembler, type ParserToken } from './array-item-assembler';
import { NotJson } from './errors';
import type { ItemLimits, ReadItem } from './read-item';

/**
 * stream-json reports no position; writing to it in slices bounds how far before the reported offset
 * a syntax error can be.
 */
const SLICE_BYTES = 16 * 1024;

/**
 * The items of a JSON array upload, one at a time: stream-json's Parser turns bytes into tokens and
 * ArrayItemAssembler builds each item within the limits. Memory holds one item and the parser's
 * buffer, whatever the file size; when the consumer is slow the parser pauses, which in turn stops
 * the reading of the upload.
 */
export async function* readJsonArrayItems(
  chunks: AsyncGenerator<Buffer, void, undefined>,
  limits: ItemLimits,
  startOffset: number,
): AsyncGenerator<ReadItem, void, undefined> {
  // packValues: false makes the parser stream strings, keys and numbers in chunks instead of holding
  // each whole, so the assembler can stop a gigantic string at the item limit.
  const parser = new Parser({ packValues: false });
  const assembler = new ArrayItemAssembler(limits);
  let offset = startOffset;
  // Tokens are taken from 'data' events rather than piped through another stream: millions of tokens
  // per 20 MB make a stream hop per token the slowest part of the reading.
  const items = new Readable({ objectMode: true, read: () => parser.resume() });
  parser.on('data', (token: ParserToken) => {
    const item = assembler.consume(token);
    if (item && !items.push(item)) parser.pause();
  });
  parser.on('end', () => items.push(null));
  parser.on('error', (error: Error) => {
    items.destroy(
      new NotJson(`the upload is not valid JSON at or before byte ${offset}: ${error.message}`, offset),
    );
  });
  // Stops the feeding when the consumer stops early, even while it waits for the parser to drain.
  const stop = new AbortController();
  const feed = async () => {
    for await (const chunk of chunks) {
      for (let start = 0; start < chunk.length; start += SLICE_BYTES) {
        if (stop.signal.aborted) return;
        const slice = chunk.subarray(start, start + SLICE_BYTES);
        offset += slice.length;
        if (!parser.write(slice)) await once(parser, 'drain', { signal: stop.signal });
      }
    }
    parser.end();
  };
  feed().catch((error: unknown) => {
    if (!items.destroyed) items.destroy(error as Error);
  });
  try {
    yield* items;
  } finally {
    stop.abort();
    parser.destroy();
  }
}
