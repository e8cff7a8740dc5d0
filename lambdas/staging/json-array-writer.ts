import { PassThrough } from 'node:stream';

/**
 * Writes a JSON array element by element to a stream, so a report with any number of entries is
 * produced with bounded memory. Honours back-pressure: `append` waits while the consumer is behind.
 */
export class JsonArrayWriter {
  readonly stream = new PassThrough();
  private count = 0;

  constructor() {
    this.stream.write('[');
  }

  async append(values: readonly unknown[]): Promise<void> {
    for (const value of values) {
      const ok = this.stream.write(`${this.count === 0 ? '\n' : ',\n'}${JSON.stringify(value)}`);
      this.count++;
      if (!ok) await new Promise((resolve) => this.stream.once('drain', resolve));
    }
  }

  close(): void {
    this.stream.end(this.count === 0 ? ']\n' : '\n]\n');
  }
}
