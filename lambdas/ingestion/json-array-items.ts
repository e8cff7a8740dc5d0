import { NotJson } from './errors';
import { notUtf8, tooDeep, tooLarge, type ItemLimits, type ReadItem } from './read-item';
import { invalidUtf8At } from './utf8';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/** JSON.parse says where it stopped as a character position in its message, when it knows. */
const POSITION = /at position (\d+)/;

/**
 * Splits a top-level JSON array into its items on the bytes, and parses each item with JSON.parse.
 * Finding item boundaries only needs strings (with their escapes) and bracket depth; the native
 * parser then does the real work several times faster than a token-by-token streaming parser.
 *
 * Limits hold before anything is parsed: an item over maxItemBytes of JSON text or nested deeper than
 * maxDepth is only measured (its bytes are not kept) and comes out as a rejected item, so hostile
 * input (a 1 GB string, 100,000 nested arrays) costs neither memory nor stack. JSON.parse keeps a
 * "__proto__" key as a plain own property, so items cannot pollute prototypes.
 *
 * Syntax errors fail with NotJson and the byte offset: exact for errors JSON.parse locates, else the
 * end of the broken item. An item that is not UTF-8 is rejected; items skipped for a limit or for
 * their encoding are not checked for syntax.
 */
class ArrayItemSplitter {
  /** Open brackets: 1 = inside the top-level array, 0 = before it or after it. */
  private depth = 0;
  private arrayClosed = false;
  private inString = false;
  /** The string's previous byte was an unpaired backslash (kept across chunks). */
  private escaped = false;
  /** A comma was read and no item has started since. */
  private expectingItem = false;
  private index = 0;
  /** The current item: where it started, its bytes so far (dropped once it breaks a limit). */
  private item:
    | { start: number; parts: Buffer[]; bytes: number; problem?: 'item_too_large' | 'item_too_deep' }
    | undefined;
  /** Offset in the upload of the chunk being read. */
  private chunkOffset: number;

  constructor(
    private readonly limits: ItemLimits,
    startOffset: number,
  ) {
    this.chunkOffset = startOffset;
  }

  /** The items the chunk completes, in order. */
  push(chunk: Buffer): ReadItem[] {
    const items: ReadItem[] = [];
    let itemStartInChunk = this.item ? 0 : -1;
    for (let at = 0; at < chunk.length; at++) {
      if (this.inString) {
        at = this.skipString(chunk, at);
        continue;
      }
      const byte = chunk[at] as number;
      if (isWhitespace(byte)) continue;
      if (this.arrayClosed) throw this.notJson(at, 'more content after the end of the array');
      if (this.depth === 1 && this.item === undefined && byte !== COMMA && byte !== CLOSE_ARRAY) {
        this.item = { start: this.chunkOffset + at, parts: [], bytes: 0 };
        itemStartInChunk = at;
        this.expectingItem = false;
      }
      if (byte === QUOTE) {
        this.inString = true;
      } else if (byte === OPEN_ARRAY || byte === OPEN_OBJECT) {
        this.depth += 1;
        if (this.item && this.depth - 1 > this.limits.maxDepth) this.breakLimit('item_too_deep');
      } else if (byte === CLOSE_ARRAY || byte === CLOSE_OBJECT) {
        if (this.depth === 1) {
          if (byte !== CLOSE_ARRAY) throw this.notJson(at, 'the array is closed with "}"');
          if (this.expectingItem) throw this.notJson(at, 'a comma is followed by "]" instead of an item');
          if (this.item) items.push(this.finishItem(chunk, itemStartInChunk, at));
          this.arrayClosed = true;
        }
        this.depth -= 1;
      } else if (byte === COMMA && this.depth === 1) {
        if (this.item === undefined) throw this.notJson(at, 'a comma where an item should be');
        items.push(this.finishItem(chunk, itemStartInChunk, at));
        this.expectingItem = true;
      } else if (this.depth === 0) {
        throw this.notJson(at, `expected "[", found ${JSON.stringify(String.fromCharCode(byte))}`);
      }
    }
    if (this.item) this.keep(chunk.subarray(Math.max(itemStartInChunk, 0)));
    this.chunkOffset += chunk.length;
    return items;
  }

  /** Called after the last chunk: the array must have been closed. */
  end(): void {
    if (!this.arrayClosed) throw this.notJson(0, 'the upload ends before the array is closed');
  }

  /** Moves past string content; returns the position of the closing quote, or the chunk's last byte. */
  private skipString(chunk: Buffer, from: number): number {
    let at = from;
    if (this.escaped) {
      this.escaped = false;
      at += 1;
    }
    for (;;) {
      const quote = chunk.indexOf(QUOTE, at);
      if (quote === -1) {
        this.escaped = this.oddBackslashesBefore(chunk, chunk.length, at);
        return chunk.length - 1;
      }
      // A quote after an odd run of backslashes is escaped: "a\"b" and "a\\\"b" go on, "a\\" ends.
      if (!this.oddBackslashesBefore(chunk, quote, at)) {
        this.inString = false;
        return quote;
      }
      at = quote + 1;
    }
  }

  private oddBackslashesBefore(chunk: Buffer, end: number, floor: number): boolean {
    let run = 0;
    while (end - run - 1 >= floor && chunk[end - run - 1] === BACKSLASH) run += 1;
    return run % 2 === 1;
  }

  private breakLimit(problem: 'item_too_large' | 'item_too_deep'): void {
    if (!this.item || this.item.problem) return;
    this.item.problem = problem;
    this.item.parts = [];
  }

  /** Adds bytes to the current item, measuring them against the size limit. */
  private keep(bytes: Buffer): void {
    if (!this.item) return;
    this.item.bytes += bytes.length;
    if (this.item.bytes > this.limits.maxItemBytes) this.breakLimit('item_too_large');
    if (!this.item.problem) this.item.parts.push(bytes);
  }

  private finishItem(chunk: Buffer, startInChunk: number, end: number): ReadItem {
    this.keep(chunk.subarray(Math.max(startInChunk, 0), end));
    const item = this.item;
    this.item = undefined;
    const index = this.index++;
    if (!item) throw new Error('no item to finish');
    if (item.problem === 'item_too_large') return tooLarge(index, this.limits);
    if (item.problem === 'item_too_deep') return tooDeep(index, this.limits);
    const bytes = item.parts.length === 1 ? (item.parts[0] as Buffer) : Buffer.concat(item.parts);
    const badByte = invalidUtf8At(bytes);
    if (badByte !== -1) return notUtf8(index, item.start + badByte, bytes.subarray(badByte), bytes);
    const text = bytes.toString('utf8');
    try {
      return { kind: 'value', index, value: JSON.parse(text) as unknown };
    } catch (error) {
      const message = (error as Error).message;
      const position = POSITION.exec(message)?.[1];
      const offset =
        position === undefined
          ? item.start + item.bytes
          : item.start + Buffer.byteLength(text.slice(0, Number(position)));
      throw new NotJson(
        `the upload is not valid JSON at or before byte ${offset}: item ${index} (from byte ${item.start}): ${message}`,
        offset,
      );
    }
  }

  /** `at` is a position in the current chunk; 0 after the last chunk means the end of the upload. */
  private notJson(at: number, problem: string): NotJson {
    const offset = this.chunkOffset + at;
    return new NotJson(`the upload is not valid JSON at or before byte ${offset}: ${problem}`, offset);
  }
}

/**
 * The items of a JSON array upload, one at a time, in file order. Memory holds one item and one
 * chunk, whatever the file size; items are pulled, so a slow consumer stops the reading of the upload.
 */
export async function* readJsonArrayItems(
  chunks: AsyncIterable<Buffer>,
  limits: ItemLimits,
  startOffset: number,
): AsyncGenerator<ReadItem, void, undefined> {
  const splitter = new ArrayItemSplitter(limits, startOffset);
  for await (const chunk of chunks) yield* splitter.push(chunk);
  splitter.end();
}
