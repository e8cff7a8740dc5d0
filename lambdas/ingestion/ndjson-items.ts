import { NotJson } from './errors';
import { notUtf8, tooDeep, tooLarge, type ItemLimits, type ReadItem } from './read-item';
import { invalidUtf8At } from './utf8';

/**
 * Whether a container (the item itself at depth 1) has more than `levels` levels below and including
 * it. Recursive, so it allocates nothing per value (no stack arrays, no Object.values copies): it runs
 * for every product. Recursion never goes deeper than the limit, which nestsDeeperThan bounds.
 */
function deeperThan(container: object, levels: number): boolean {
  if (levels === 0) return true;
  if (Array.isArray(container)) {
    for (let i = 0; i < container.length; i++) {
      const child: unknown = container[i];
      if (typeof child === 'object' && child !== null && deeperThan(child, levels - 1)) return true;
    }
    return false;
  }
  const record = container as Record<string, unknown>;
  for (const key in record) {
    // JSON.parse builds plain objects, so for…in sees own keys only (a "__proto__" key included).
    const child = record[key];
    if (typeof child === 'object' && child !== null && deeperThan(child, levels - 1)) return true;
  }
  return false;
}

/** Recursion this deep is safe on any stack; a larger configured limit walks with its own stack. */
const RECURSION_LIMIT = 1000;

/**
 * Whether a parsed value nests deeper than maxDepth. Walks with its own stack (never recursing) when the
 * limit is too large to recurse to, pushing only containers, with their depth in a parallel array.
 */
function nestsDeeperThan(value: unknown, maxDepth: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (maxDepth <= RECURSION_LIMIT) return deeperThan(value, maxDepth);
  const containers: object[] = [value];
  const depths: number[] = [1];
  while (containers.length > 0) {
    const container = containers.pop() as object;
    const depth = depths.pop() as number;
    if (depth > maxDepth) return true;
    const children: unknown[] = Array.isArray(container) ? container : Object.values(container);
    for (const child of children) {
      if (typeof child === 'object' && child !== null) {
        containers.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}

/**
 * The items of an NDJSON upload: one JSON value per line, blank lines skipped. Lines are split on the
 * bytes (a newline byte never occurs inside a UTF-8 character) and parsed with JSON.parse, several
 * times faster than a streaming parser; a line longer than maxItemBytes is skipped as it streams, never
 * held whole. A line that is not UTF-8 is rejected; one that is not JSON fails the upload with its line
 * number.
 */
export async function* readNdjsonItems(
  chunks: AsyncIterable<Buffer>,
  limits: ItemLimits,
  skipped: { readonly bytes: number; readonly lines: number },
): AsyncGenerator<ReadItem, void, undefined> {
  let parts: Buffer[] = [];
  let lineBytes = 0;
  let line = skipped.lines + 1;
  let index = 0;
  /** Offsets in the upload of the current chunk and of the current line. */
  let chunkOffset = skipped.bytes;
  let lineOffset = skipped.bytes;

  const finishLine = (): ReadItem | undefined => {
    const oversized = lineBytes > limits.maxItemBytes;
    // A line inside one chunk (most of them) is decoded from it directly, without a copy.
    const bytes = oversized ? undefined : parts.length === 1 ? parts[0] : Buffer.concat(parts);
    parts = [];
    lineBytes = 0;
    if (bytes === undefined) return tooLarge(index++, limits);
    const badByte = invalidUtf8At(bytes);
    if (badByte !== -1) return notUtf8(index++, lineOffset + badByte, bytes.subarray(badByte), bytes);
    const text = bytes.toString('utf8').trim();
    if (text === '') return undefined;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new NotJson(
        `line ${line} of the NDJSON upload is not valid JSON (${(error as Error).message}); ` +
          'NDJSON needs one complete JSON object per line',
        undefined,
        line,
      );
    }
    const itemIndex = index++;
    return nestsDeeperThan(value, limits.maxDepth)
      ? tooDeep(itemIndex, limits)
      : { kind: 'value', index: itemIndex, value };
  };

  for await (const chunk of chunks) {
    let start = 0;
    for (let newline = chunk.indexOf(0x0a); ; newline = chunk.indexOf(0x0a, start)) {
      const piece = chunk.subarray(start, newline === -1 ? chunk.length : newline);
      lineBytes += piece.length;
      if (lineBytes <= limits.maxItemBytes) parts.push(piece);
      else parts = [];
      if (newline === -1) break;
      const item = finishLine();
      if (item) yield item;
      line += 1;
      start = newline + 1;
      lineOffset = chunkOffset + start;
    }
    chunkOffset += chunk.length;
  }
  const last = finishLine();
  if (last) yield last;
}
