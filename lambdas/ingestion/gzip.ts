import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { CorruptGzip } from './errors';

/** gzip's magic number, the first two bytes of every gzip file (RFC 1952). */
export function isGzip(bytes: Buffer): boolean {
  return bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** zlib's errors carry a Z_… code (not `instanceof Error` across realms, as under jest: duck-typed). */
function zlibError(error: unknown): { message: string } | undefined {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return typeof code === 'string' && code.startsWith('Z_') && typeof message === 'string'
    ? { message }
    : undefined;
}

/**
 * The decompressed bytes of a gzip stream, streamed through zlib: memory holds a chunk or two of each
 * side, whatever the ratio. Corrupt or truncated gzip fails with CorruptGzip; an error of the source
 * (ObjectTooLarge) comes through as it is. Stopping early releases the source.
 */
export async function* gunzip(
  compressed: AsyncGenerator<Buffer, void, undefined>,
): AsyncGenerator<Buffer, void, undefined> {
  const zlib = createGunzip({ chunkSize: 64 * 1024 });
  // A failure on either side destroys zlib with it, which ends the loop below with that error.
  pipeline(Readable.from(compressed), zlib).catch(() => undefined);
  try {
    for await (const chunk of zlib) yield chunk as Buffer;
  } catch (error) {
    const problem = zlibError(error);
    if (problem) throw new CorruptGzip(`the upload is gzip but cannot be decompressed: ${problem.message}`);
    throw error;
  } finally {
    zlib.destroy();
  }
}
