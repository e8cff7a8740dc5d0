import { isJsonObject, type JsonObject } from '../aws-json/json';
import { sqsErrors } from './sqs-errors';

export interface MessageAttributeValue {
  /** `String`, `Number` or `Binary`, optionally with a custom suffix (`Number.float`). */
  readonly dataType: string;
  readonly stringValue?: string;
  readonly binaryValue?: Buffer;
}

export type MessageAttributes = ReadonlyMap<string, MessageAttributeValue>;

/** The message attribute as the JSON protocol carries it (binary values in base64). */
export interface MessageAttributeJson {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
}

export const NO_MESSAGE_ATTRIBUTES: MessageAttributes = new Map();

const MAX_ATTRIBUTES = 10;
const NAME_PATTERN = /^[A-Za-z0-9_.-]{1,256}$/;
const RESERVED_NAME_PREFIX = /^(aws|amazon)\./i;
const NUMBER_PATTERN = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;
/** Characters SQS accepts in bodies and string values (SendMessage API reference). */
const INVALID_CHARACTER = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

export function hasInvalidCharacters(text: string): boolean {
  return INVALID_CHARACTER.test(text);
}

/** Validates the `MessageAttributes` of a send request as SQS does; throws InvalidParameterValue. */
export function parseMessageAttributes(input: unknown): MessageAttributes {
  if (input === undefined || input === null) return NO_MESSAGE_ATTRIBUTES;
  if (!isJsonObject(input)) throw sqsErrors.invalidParameterValue('MessageAttributes must be a map.');
  const entries = Object.entries(input);
  if (entries.length > MAX_ATTRIBUTES) {
    throw sqsErrors.invalidParameterValue(
      `Number of message attributes [${entries.length}] exceeds the allowed maximum [${MAX_ATTRIBUTES}].`,
    );
  }
  return new Map(entries.map(([name, value]) => [checkedName(name), parseValue(name, value)]));
}

function checkedName(name: string): string {
  const valid =
    NAME_PATTERN.test(name) &&
    !name.startsWith('.') &&
    !name.endsWith('.') &&
    !name.includes('..') &&
    !RESERVED_NAME_PREFIX.test(name);
  if (!valid) throw sqsErrors.invalidParameterValue(`Message (user) attribute name '${name}' is invalid.`);
  return name;
}

function parseValue(name: string, value: unknown): MessageAttributeValue {
  if (!isJsonObject(value) || typeof value.DataType !== 'string' || value.DataType === '') {
    throw sqsErrors.invalidParameterValue(`The message attribute '${name}' must contain a DataType.`);
  }
  const dataType = value.DataType;
  const baseType = dataType.split('.')[0];
  if (dataType.length > 256 || !['String', 'Number', 'Binary'].includes(baseType)) {
    throw sqsErrors.invalidParameterValue(
      `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`,
    );
  }
  if (baseType === 'Binary') {
    const encoded = value.BinaryValue;
    if (typeof encoded !== 'string' || encoded === '') throw emptyValue(name, dataType);
    return { dataType, binaryValue: Buffer.from(encoded, 'base64') };
  }
  const text = value.StringValue;
  if (typeof text !== 'string' || text === '') throw emptyValue(name, dataType);
  if (hasInvalidCharacters(text)) throw sqsErrors.invalidMessageContents();
  if (baseType === 'Number' && !NUMBER_PATTERN.test(text)) {
    throw sqsErrors.invalidParameterValue(
      `Can't cast the value of message (user) attribute '${name}' to a number.`,
    );
  }
  return { dataType, stringValue: text };
}

function emptyValue(name: string, dataType: string) {
  return sqsErrors.invalidParameterValue(
    `Message (user) attribute '${name}' must contain a non-empty value of type '${dataType}'.`,
  );
}

/** Bytes the attributes add to the message size (name, type and value all count, as SQS counts them). */
export function messageAttributesSize(attributes: MessageAttributes): number {
  let size = 0;
  for (const [name, value] of attributes) {
    size += Buffer.byteLength(name) + Buffer.byteLength(value.dataType);
    size += value.binaryValue?.length ?? Buffer.byteLength(value.stringValue ?? '');
  }
  return size;
}

/**
 * The attributes a receiver asked for with `MessageAttributeNames`: `All` or `.*` for every one,
 * `prefix.*` for every name starting with `prefix.`, otherwise exact names.
 */
export function selectMessageAttributes(
  attributes: MessageAttributes,
  requested: readonly string[],
): MessageAttributes {
  if (attributes.size === 0 || requested.length === 0) return NO_MESSAGE_ATTRIBUTES;
  const wanted = (name: string) =>
    requested.some(
      (request) =>
        request === 'All' ||
        request === '.*' ||
        request === name ||
        (request.endsWith('.*') && name.startsWith(request.slice(0, -1))),
    );
  return new Map([...attributes].filter(([name]) => wanted(name)));
}

export function messageAttributesToJson(attributes: MessageAttributes): JsonObject {
  const json: JsonObject = {};
  for (const [name, value] of attributes) {
    json[name] =
      value.binaryValue !== undefined
        ? { DataType: value.dataType, BinaryValue: value.binaryValue.toString('base64') }
        : { DataType: value.dataType, StringValue: value.stringValue ?? '' };
  }
  return json;
}
