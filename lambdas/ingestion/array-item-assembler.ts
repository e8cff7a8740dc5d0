import { tooDeep, tooLarge, type ItemLimits, type ReadItem } from './read-item';

/** The stream-json Parser tokens this assembler reads (the parser runs with packValues: false). */
export type ParserToken =
  | { readonly name: 'startObject' | 'endObject' | 'startArray' | 'endArray' }
  | { readonly name: 'startKey' | 'endKey' | 'startString' | 'endString' | 'startNumber' | 'endNumber' }
  | { readonly name: 'stringChunk' | 'numberChunk'; readonly value: string }
  | { readonly name: 'nullValue' | 'trueValue' | 'falseValue'; readonly value: null | boolean };

type Container = unknown[] | Record<string, unknown>;

/**
 * Builds the items of a top-level JSON array from stream-json's tokens, one item at a time, with the
 * limits stream-json's own Assembler lacks: an item deeper than maxDepth or larger than maxItemBytes
 * stops being built the moment it crosses the line (its tokens are only counted until it closes), so
 * hostile input can neither exhaust memory nor reach code that recurses. It also stores a "__proto__"
 * key as a plain property, as JSON.parse does, where Assembler's assignment would replace the prototype.
 */
export class ArrayItemAssembler {
  /** Nesting in the file: 1 = directly inside the top-level array. */
  private depth = 0;
  private index = 0;
  private readonly open: Container[] = [];
  private root: Container | undefined;
  private key: string | undefined;
  /** The key, string or number whose chunks are arriving. */
  private text = '';
  private size = 0;
  private problem: 'item_too_large' | 'item_too_deep' | undefined;

  constructor(private readonly limits: ItemLimits) {}

  /** Returns an item when the token completes one. */
  consume(token: ParserToken): ReadItem | undefined {
    switch (token.name) {
      case 'startObject':
        return this.openContainer({});
      case 'startArray':
        return this.openContainer([]);
      case 'endObject':
      case 'endArray':
        return this.closeContainer();
      case 'startString':
      case 'startNumber':
        if (this.depth === 1) this.beginItem();
        this.text = '';
        return undefined;
      case 'startKey':
        this.text = '';
        return undefined;
      case 'stringChunk':
      case 'numberChunk':
        this.grow(token.value.length);
        if (this.problem === undefined) this.text += token.value;
        return undefined;
      case 'endKey':
        this.key = this.text;
        return undefined;
      case 'endString':
        return this.addValue(this.text);
      case 'endNumber':
        return this.addValue(Number(this.text));
      case 'nullValue':
      case 'trueValue':
      case 'falseValue':
        if (this.depth === 1) this.beginItem();
        return this.addValue(token.value);
    }
  }

  private grow(characters: number): void {
    this.size += characters;
    if (this.size > this.limits.maxItemBytes && this.problem === undefined) this.drop('item_too_large');
  }

  /** Forgets what was built of the current item; its remaining tokens are only counted. */
  private drop(problem: 'item_too_large' | 'item_too_deep'): void {
    this.problem = problem;
    this.open.length = 0;
    this.root = undefined;
    this.text = '';
  }

  private beginItem(): void {
    this.size = 0;
    this.problem = undefined;
  }

  private openContainer(container: Container): ReadItem | undefined {
    this.depth += 1;
    if (this.depth === 1) return undefined; // the top-level array itself
    if (this.depth === 2) this.beginItem();
    this.grow(1);
    if (this.depth - 1 > this.limits.maxDepth && this.problem === undefined) this.drop('item_too_deep');
    if (this.problem !== undefined) return undefined;
    if (this.open.length === 0) this.root = container;
    else this.store(container);
    this.open.push(container);
    return undefined;
  }

  private closeContainer(): ReadItem | undefined {
    this.depth -= 1;
    if (this.depth === 0) return undefined; // the end of the top-level array
    this.open.pop();
    return this.depth === 1 ? this.finishItem(this.root) : undefined;
  }

  private addValue(value: unknown): ReadItem | undefined {
    if (this.depth === 1) return this.finishItem(value);
    this.grow(1);
    if (this.problem === undefined) this.store(value);
    return undefined;
  }

  private store(value: unknown): void {
    const parent = this.open.at(-1);
    if (Array.isArray(parent)) {
      parent.push(value);
    } else if (parent !== undefined && this.key !== undefined) {
      // Assigning "__proto__" would swap the object's prototype; define it as an own property instead.
      if (this.key === '__proto__') {
        Object.defineProperty(parent, this.key, {
          value,
          writable: true,
          enumerable: true,
          configurable: true,
        });
      } else {
        parent[this.key] = value;
      }
      this.key = undefined;
    }
  }

  private finishItem(value: unknown): ReadItem {
    const index = this.index++;
    const problem = this.problem;
    this.root = undefined;
    if (problem === 'item_too_large') return tooLarge(index, this.limits);
    if (problem === 'item_too_deep') return tooDeep(index, this.limits);
    return { kind: 'value', index, value };
  }
}
