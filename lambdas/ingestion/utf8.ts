import { isUtf8 } from 'node:buffer';

/**
 * The length of the well-formed UTF-8 sequence at `at` (Unicode, Table 3-7); 0 when the bytes there are
 * wrong (a byte that cannot start a character, an out-of-range continuation byte), -1 when they end
 * before the sequence does.
 */
function sequenceLength(bytes: Uint8Array, at: number): number {
  const lead = bytes[at];
  if (lead === undefined) return -1;
  if (lead < 0x80) return 1;
  let continuations: number;
  let low = 0x80;
  let high = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) continuations = 1;
  else if (lead >= 0xe0 && lead <= 0xef) {
    continuations = 2;
    if (lead === 0xe0) low = 0xa0; // overlong
    if (lead === 0xed) high = 0x9f; // surrogates
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    continuations = 3;
    if (lead === 0xf0) low = 0x90; // overlong
    if (lead === 0xf4) high = 0x8f; // above U+10FFFF
  } else return 0;
  for (let i = 1; i <= continuations; i++) {
    const byte = bytes[at + i];
    if (byte === undefined) return -1;
    if (byte < (i === 1 ? low : 0x80) || byte > (i === 1 ? high : 0xbf)) return 0;
  }
  return continuations + 1;
}

/**
 * The offset of the first byte that is not part of well-formed UTF-8 (a sequence cut short by the end
 * included), or -1 when every byte is. The native check runs on every product; the walk that finds the
 * place only on a product that fails it.
 */
export function invalidUtf8At(bytes: Uint8Array): number {
  if (isUtf8(bytes)) return -1;
  let at = 0;
  for (let length = sequenceLength(bytes, at); length > 0; length = sequenceLength(bytes, at)) at += length;
  return at;
}

/** Whether the bytes at `at` are certainly not UTF-8 (not merely cut short by the end of `bytes`). */
export function notUtf8At(bytes: Uint8Array, at: number): boolean {
  return sequenceLength(bytes, at) === 0;
}

/** "0xFF 0xFE 0xC3 0x28": the bytes at the start of `bytes` (at most four), for a message. */
export function hexBytes(bytes: Uint8Array): string {
  return [...bytes.subarray(0, 4)]
    .map((byte) => `0x${byte.toString(16).toUpperCase().padStart(2, '0')}`)
    .join(' ');
}
