import { PassThrough } from 'node:stream';

/**
 * Writes JSON Lines (one JSON value per line) to a stream, so a list of any length is produced with
 * bounded memory. Honours back-pressure: `append` waits while the consumer is behind.
 */
export class JsonLinesWriter {
  readonly stream = new PassThrough();

  async append(value: unknown): Promise<void> {
    if (!this.stream.write(`${JSON.stringify(value)}\n`)) {
      await new Promise((resolve) => this.stream.once('drain', resolve));
    }
  }

  close(): void {
    this.stream.end();
  }
}
