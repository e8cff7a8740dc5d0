import { closeSync, createReadStream, openSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';

/** Appended lines are written once this many characters wait, or at the end of the event loop turn. */
const FLUSH_CHARS = 256 * 1024;

/**
 * An append-only JSON Lines file: values go to disk, not to the heap, so an archive that a million
 * events pass through costs a file, not memory. Appends are gathered for one event loop turn (at most
 * FLUSH_CHARS) and written in one synchronous call: a write per event would cost a system call each.
 * Reading streams the lines written so far, one at a time.
 */
export class JsonLinesFile {
  private readonly fd: number;
  private pending: string[] = [];
  private pendingChars = 0;
  private writtenBytes = 0;
  private flushing: NodeJS.Immediate | undefined;

  /** Creates the file, or empties it: what a previous run left is not this run's. */
  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
  }

  /** Appends one JSON text (JSON.stringify's output holds no line break) as a line. */
  append(json: string): void {
    this.pending.push(`${json}\n`);
    this.pendingChars += json.length + 1;
    if (this.pendingChars >= FLUSH_CHARS) this.flush();
    else this.flushing ??= setImmediate(() => this.flush());
  }

  /** Streams the values of the lines appended before the call; later appends are not read. */
  async *values(): AsyncGenerator<unknown> {
    this.flush();
    if (this.writtenBytes === 0) return;
    const stream = createReadStream(this.path, { start: 0, end: this.writtenBytes - 1 });
    try {
      for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
        if (line !== '') yield JSON.parse(line);
      }
    } finally {
      stream.destroy();
    }
  }

  /** Writes what waits and closes the file. */
  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  private flush(): void {
    if (this.flushing) clearImmediate(this.flushing);
    this.flushing = undefined;
    if (this.pending.length === 0) return;
    const chunk = Buffer.from(this.pending.join(''));
    this.pending = [];
    this.pendingChars = 0;
    for (let offset = 0; offset < chunk.length;) offset += writeSync(this.fd, chunk, offset);
    this.writtenBytes += chunk.length;
  }
}
