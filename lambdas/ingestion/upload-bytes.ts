import { EmptyFile, NotArrayOrNdjson, ObjectTooLarge } from './errors';

/** The upload's chunks as Buffers, failing with ObjectTooLarge as soon as it passes maxBytes. */
export async function* boundedChunks(
  source: AsyncIterable<Buffer | string>,
  maxBytes: number,
): AsyncGenerator<Buffer, void, undefined> {
  let total = 0;
  for await (const chunk of source) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    total += buffer.length;
    if (total > maxBytes)
      throw new ObjectTooLarge(`the upload is larger than the limit of ${maxBytes} bytes`);
    yield buffer;
  }
}

export type UploadFormat = 'array' | 'ndjson';

export interface UploadStart {
  readonly format: UploadFormat;
  /** The rest of the upload, from its first non-whitespace byte. */
  readonly chunks: AsyncGenerator<Buffer, void, undefined>;
  /** Bytes and newlines skipped before it, so positions in messages match the file. */
  readonly skippedBytes: number;
  readonly skippedLines: number;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const FORMATS: Readonly<Record<number, UploadFormat>> = { 0x5b: 'array', 0x7b: 'ndjson' }; // "[" and "{"

function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

function countNewlines(bytes: Buffer): number {
  let count = 0;
  for (let at = bytes.indexOf(0x0a); at !== -1; at = bytes.indexOf(0x0a, at + 1)) count += 1;
  return count;
}

async function* startingWith(first: Buffer, rest: AsyncGenerator<Buffer, void, undefined>) {
  yield first;
  yield* rest;
}

/**
 * Reads up to the first non-whitespace byte (after a UTF-8 byte-order mark) to tell a JSON array from
 * NDJSON. Leading whitespace is counted and dropped, never held, however long it is.
 */
export async function findUploadStart(chunks: AsyncGenerator<Buffer, void, undefined>): Promise<UploadStart> {
  let skippedBytes = 0;
  let skippedLines = 0;
  /** The first bytes while they could still be the start of a byte-order mark split across chunks. */
  let head: Buffer | undefined = Buffer.alloc(0);
  const stopAt = async (chunk: Buffer, start: number): Promise<never> => {
    await chunks.return(); // releases the source
    const shown = JSON.stringify(chunk.subarray(start, start + 16).toString('utf8'));
    throw new NotArrayOrNdjson(
      `the upload starts with ${shown} at byte ${skippedBytes + start}: expected "[" (a JSON array of products) ` +
        'or "{" (NDJSON, one product object per line)',
    );
  };
  // Pulled by hand: a for-await loop would close the generator on return, and the rest is still needed.
  for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
    let chunk = next.value;
    if (head !== undefined) {
      chunk = Buffer.concat([head, chunk]);
      if (chunk.length < BOM.length && chunk.equals(BOM.subarray(0, chunk.length))) {
        head = chunk;
        continue;
      }
      head = undefined;
      if (chunk.subarray(0, BOM.length).equals(BOM)) {
        chunk = chunk.subarray(BOM.length);
        skippedBytes = BOM.length;
      }
    }
    const start = chunk.findIndex((byte) => !isWhitespace(byte));
    if (start === -1) {
      skippedBytes += chunk.length;
      skippedLines += countNewlines(chunk);
      continue;
    }
    const format = FORMATS[chunk[start] ?? 0];
    if (format === undefined) return stopAt(chunk, start);
    return {
      format,
      chunks: startingWith(chunk.subarray(start), chunks),
      skippedBytes: skippedBytes + start,
      skippedLines: skippedLines + countNewlines(chunk.subarray(0, start)),
    };
  }
  if (head !== undefined && head.length > 0) return stopAt(head, 0);
  throw new EmptyFile(
    skippedBytes === 0 ? 'the upload is empty' : `the upload holds only ${skippedBytes} bytes of whitespace`,
  );
}
