import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { parse as parseCsv } from 'csv-parse';
import StreamArray from 'stream-json/streamers/StreamArray';
import { isJsonObject, type JsonObject, type JsonValue } from '../../aws-json/json';
import { itemReaderFailed, MapRunRuntimeError, s3Call } from './errors';

/** ReaderConfig.CSVDelimiter → the character (ItemReader (Map): COMMA is the default). */
const CSV_DELIMITERS: Readonly<Record<string, string>> = {
  COMMA: ',',
  PIPE: '|',
  SEMICOLON: ';',
  SPACE: ' ',
  TAB: '\t',
};

export interface ItemSource {
  /** The ItemReader field as written in the definition. */
  readonly itemReader: JsonObject;
  /** Its Parameters, evaluated against the Map's effective input. */
  readonly parameters: JsonValue;
  /** ReaderConfig.MaxItems (or MaxItemsPath, resolved). */
  readonly maxItems: JsonValue | undefined;
}

/**
 * The items of a Distributed Map's ItemReader (Step Functions Developer Guide, "ItemReader (Map)"), one
 * at a time, so that a file of a million lines is never held whole:
 * - `s3:getObject` with ReaderConfig.InputType JSON (an array, streamed), JSONL (one item a line) or CSV
 *   (CSVHeaderLocation FIRST_ROW or GIVEN with CSVHeaders, CSVDelimiter; every field a string, missing
 *   fields "", extra fields skipped); a `.gz` key is gunzipped;
 * - `s3:listObjectsV2`: the objects under Parameters.Prefix as `{Etag, Key, LastModified (epoch
 *   seconds), Size, StorageClass}`, the shape the guide shows a child execution receiving;
 * - at most ReaderConfig.MaxItems items.
 * What S3 or the file refuses fails the Map with States.ItemReaderFailed.
 */
export async function* readItems(source: ItemSource, s3: S3Client): AsyncGenerator<JsonValue> {
  const config = isJsonObject(source.itemReader.ReaderConfig) ? source.itemReader.ReaderConfig : {};
  const parameters = isJsonObject(source.parameters) ? source.parameters : {};
  const limit = typeof source.maxItems === 'number' && source.maxItems > 0 ? source.maxItems : Infinity;
  const resource = String(source.itemReader.Resource ?? '');
  let items: AsyncGenerator<JsonValue>;
  if (/^arn:[^:]+:states:::s3:listObjectsV2$/.test(resource)) items = listObjects(parameters, s3);
  else if (/^arn:[^:]+:states:::s3:getObject$/.test(resource)) items = objectItems(parameters, config, s3);
  else throw new MapRunRuntimeError(`ItemReader resource ${resource} is not emulated.`);
  let count = 0;
  for await (const item of items) {
    yield item;
    if (++count >= limit) return;
  }
}

async function* listObjects(parameters: JsonObject, s3: S3Client): AsyncGenerator<JsonValue> {
  let token: string | undefined;
  do {
    const page = await s3Call(
      () =>
        s3.send(
          new ListObjectsV2Command({
            Bucket: text(parameters.Bucket),
            Prefix: text(parameters.Prefix),
            ContinuationToken: token,
          }),
        ),
      itemReaderFailed,
    );
    for (const object of page.Contents ?? []) {
      yield {
        Etag: object.ETag ?? null,
        Key: object.Key ?? null,
        LastModified: object.LastModified ? Math.floor(object.LastModified.getTime() / 1000) : null,
        Size: object.Size ?? null,
        StorageClass: object.StorageClass ?? null,
      };
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}

async function* objectItems(
  parameters: JsonObject,
  config: JsonObject,
  s3: S3Client,
): AsyncGenerator<JsonValue> {
  const key = text(parameters.Key);
  const response = await s3Call(
    () =>
      s3.send(
        new GetObjectCommand({
          Bucket: text(parameters.Bucket),
          Key: key,
          VersionId: text(parameters.VersionId),
          ExpectedBucketOwner: text(parameters.ExpectedBucketOwner),
        }),
      ),
    itemReaderFailed,
  );
  const body = response.Body as Readable;
  const content = key?.endsWith('.gz') ? body.pipe(createGunzip()) : body;
  try {
    switch (config.InputType) {
      case 'JSON':
        yield* jsonArrayItems(content);
        return;
      case 'JSONL':
        yield* jsonLinesItems(content);
        return;
      case 'CSV':
        yield* csvItems(content, config);
        return;
      default:
        throw new MapRunRuntimeError(`ReaderConfig.InputType ${String(config.InputType)} is not emulated.`);
    }
  } finally {
    body.destroy();
    content.destroy();
  }
}

async function* jsonArrayItems(content: Readable): AsyncGenerator<JsonValue> {
  const items = content.pipe(StreamArray.withParser());
  try {
    for await (const { value } of items as AsyncIterable<{ value: JsonValue }>) yield value;
  } catch (error) {
    throw itemReaderFailed(`The JSON file is not an array of items: ${(error as Error).message}`);
  } finally {
    items.destroy();
  }
}

async function* jsonLinesItems(content: Readable): AsyncGenerator<JsonValue> {
  const lines = createInterface({ input: content, crlfDelay: Infinity });
  let number = 0;
  try {
    for await (const line of lines) {
      number += 1;
      if (line.trim() === '') continue;
      try {
        yield JSON.parse(line) as JsonValue;
      } catch {
        throw itemReaderFailed(`Line ${number} of the JSON Lines file is not JSON.`);
      }
    }
  } finally {
    lines.close();
  }
}

async function* csvItems(content: Readable, config: JsonObject): AsyncGenerator<JsonValue> {
  const delimiter = CSV_DELIMITERS[String(config.CSVDelimiter ?? 'COMMA')];
  if (!delimiter) throw new MapRunRuntimeError(`CSVDelimiter ${String(config.CSVDelimiter)} is not valid.`);
  const rows = content.pipe(
    parseCsv({ delimiter, bom: true, relax_column_count: true, skip_empty_lines: true }),
  );
  let headers: string[] | undefined =
    config.CSVHeaderLocation === 'GIVEN' && Array.isArray(config.CSVHeaders)
      ? checkedHeaders(config.CSVHeaders.map(String))
      : undefined;
  try {
    for await (const row of rows as AsyncIterable<string[]>) {
      if (!headers) {
        headers = checkedHeaders(row);
        continue;
      }
      yield Object.fromEntries(headers.map((header, index) => [header, row[index] ?? '']));
    }
  } catch (error) {
    if ((error as Error).name.startsWith('States.')) throw error;
    throw itemReaderFailed(`The CSV file could not be parsed: ${(error as Error).message}`);
  } finally {
    rows.destroy();
  }
}

function checkedHeaders(row: string[]): string[] {
  // LocalStack's recording of AWS: duplicate headers fail the Map Run with this cause.
  if (new Set(row).size < row.length) throw itemReaderFailed('CSV headers cannot contain duplicates.');
  return row;
}

function text(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
