import { createReadStream } from 'node:fs';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parser as jsonlParser } from 'stream-json/jsonl/Parser';
import { parser } from 'stream-json/Parser';
import { streamArray } from 'stream-json/streamers/StreamArray';
import type { FileFormat } from '../generate/write-json-items';

/**
 * The benchmark's yardstick: the plain way to stream a JSON file in Node, stream-json's parser with
 * StreamArray for an array (jsonl's parser for NDJSON), building every item and doing nothing else.
 * Returns the number of items.
 */
export async function parseWithStreamJson(file: string, format: FileFormat): Promise<number> {
  let count = 0;
  const counter = new Writable({
    objectMode: true,
    write(_item, _encoding, done) {
      count++;
      done();
    },
  });
  if (format === 'array') await pipeline(createReadStream(file), parser(), streamArray(), counter);
  else await pipeline(createReadStream(file), jsonlParser(), counter);
  return count;
}
