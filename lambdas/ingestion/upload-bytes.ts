import { DecompressedTooLarge, EmptyFile, InvalidUtf8, NotArrayOrNdjson, ObjectTooLarge } from './errors';
import { gunzip, isGzip } from './gzip';
import { hexBytes, notUtf8At } from './utf8';

/** The upload's chunks as Buffers, failing (ObjectTooLarge by default) as soon as they pass maxBytes. */
export async function* boundedChunks(
  source: AsyncIterable<Buffer | string>,
  maxBytes: number,
  tooLarge: () => Error = () =>
    new ObjectTooLarge(`the upload is larger than the limit of ${maxBytes} bytes`),
): AsyncGenerator<Buffer, void, undefined> {
  let total = 0;
  for await (const chunk of source) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    total += buffer.length;
    if (total > maxBytes) throw tooLarge();
    yield buffer;
  }
}

/**
 * The upload's bytes, decompressed when they are gzip: recognised by its first two bytes, whatever the
 * file is called. The decompressed bytes are held to the same maxBytes, so a gzip bomb stops at the
 * limit with DecompressedTooLarge; like the rest of the reading, it streams.
 */
export async function uncompressedChunks(
  chunks: AsyncGenerator<Buffer, void, undefined>,
  maxBytes: number,
): Promise<AsyncGenerator<Buffer, void, undefined>> {
  const seen: Buffer[] = [];
  let length = 0;
  while (length < 2) {
    const next = await chunks.next();
    if (next.done) break;
    seen.push(next.value);
    length += next.value.length;
  }
  const first = seen.length === 1 ? (seen[0] as Buffer) : Buffer.concat(seen);
  const upload = startingWith(first, chunks);
  if (!isGzip(first)) return upload;
  return boundedChunks(
    gunzip(upload),
    maxBytes,
    () =>
      new DecompressedTooLarge(
        `the upload decompresses to more than the limit of ${maxBytes} bytes; reading stopped there`,
      ),
  );
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
  try {
    yield first;
    yield* rest;
  } finally {
    await rest.return(); // releases the source also when the consumer stops at the first chunk
  }
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
    const offset = skippedBytes + start;
    if (notUtf8At(chunk, start)) {
      throw new InvalidUtf8(
        `the upload is not UTF-8 text: it starts with ${hexBytes(chunk.subarray(start))} at byte ${offset}; ` +
          'export it as UTF-8 (not UTF-16 or another encoding)',
        offset,
      );
    }
    const shown = JSON.stringify(chunk.subarray(start, start + 16).toString('utf8'));
    throw new NotArrayOrNdjson(
      `the upload starts with ${shown} at byte ${offset}: expected "[" (a JSON array of products) ` +
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
