import type { MessageAttributeValue } from '@aws-sdk/client-sqs';
import type { ConsumedMessage } from './consumed-message';

/**
 * The most a message may hold on SQS, as of August 2025: 1 MiB, counting the body and every message
 * attribute's name, data type and value (SendMessage and MessageAttributeValue in the SQS API
 * reference). A queue's MaximumMessageSize may set it lower.
 */
export const SQS_MAX_MESSAGE_BYTES = 1_048_576;

/** The attributes the worker puts on what it dead-letters. */
export const DEAD_LETTER_ATTRIBUTES = {
  reason: 'pipeline.dead-letter-reason',
  detail: 'pipeline.dead-letter-detail',
  sourceQueue: 'pipeline.source-queue',
  sourceMessageId: 'pipeline.source-message-id',
  receiveCount: 'pipeline.receive-count',
} as const;

/** SQS allows 10 attributes per message; the five the DLQ adds come first, so carry at most five. */
const MAX_CARRIED_ATTRIBUTES = 5;
/** The detail is for an operator to read: a sentence or two, never the whole error. */
const MAX_DETAIL_CHARACTERS = 1000;

/** A message attribute's share of the message size: its name, data type and value, in bytes. */
export function attributeBytes(name: string, value: MessageAttributeValue): number {
  const valueBytes =
    value.BinaryValue === undefined
      ? Buffer.byteLength(value.StringValue ?? '')
      : value.BinaryValue.byteLength;
  return Buffer.byteLength(name) + Buffer.byteLength(value.DataType ?? '') + valueBytes;
}

/** The size SQS counts for a message: its body and every attribute's name, data type and value. */
export function messageBytes(body: string, attributes: Record<string, MessageAttributeValue>): number {
  return Object.entries(attributes).reduce(
    (total, [name, value]) => total + attributeBytes(name, value),
    Buffer.byteLength(body),
  );
}

/**
 * The attributes of the dead letter for `message`, within `maxBytes` together with its body. What
 * matters most goes in first: the reason (without it there is no dead letter worth sending: undefined),
 * the source queue, message id and receive count, the message's own attributes (each that fits), and
 * last the detail, cut to the room left (and left out when none is).
 */
export function deadLetterAttributes(
  message: ConsumedMessage,
  letter: { readonly reason: string; readonly detail: string; readonly sourceQueue: string },
  maxBytes: number,
): Record<string, MessageAttributeValue> | undefined {
  const string = (value: string): MessageAttributeValue => ({ DataType: 'String', StringValue: value });
  const attributes: Record<string, MessageAttributeValue> = {};
  let room = maxBytes - Buffer.byteLength(message.body);
  const add = (name: string, value: MessageAttributeValue): boolean => {
    const bytes = attributeBytes(name, value);
    if (bytes > room) return false;
    attributes[name] = value;
    room -= bytes;
    return true;
  };

  if (!add(DEAD_LETTER_ATTRIBUTES.reason, string(letter.reason))) return undefined;
  add(DEAD_LETTER_ATTRIBUTES.sourceQueue, string(letter.sourceQueue));
  if (message.messageId !== '') add(DEAD_LETTER_ATTRIBUTES.sourceMessageId, string(message.messageId));
  add(DEAD_LETTER_ATTRIBUTES.receiveCount, { DataType: 'Number', StringValue: String(message.receiveCount) });
  const carried = Object.entries(message.messageAttributes).filter(
    ([name]) => !Object.values<string>(DEAD_LETTER_ATTRIBUTES).includes(name),
  );
  for (const [name, value] of carried.slice(0, MAX_CARRIED_ATTRIBUTES)) add(name, value);

  const detailName = DEAD_LETTER_ATTRIBUTES.detail;
  const detailRoom = room - Buffer.byteLength(detailName) - Buffer.byteLength('String');
  const detail = truncateToBytes(truncate(letter.detail, MAX_DETAIL_CHARACTERS) || letter.reason, detailRoom);
  if (detail !== '') add(detailName, string(detail));
  return attributes;
}

/**
 * The limit a rejected send names ("Message must be shorter than 262144 bytes."), when SQS refused the
 * message for its size: the DLQ's MaximumMessageSize may be below SQS_MAX_MESSAGE_BYTES.
 */
export function sizeLimitOfRejection(error: unknown): number | undefined {
  if (!(error instanceof Error) || error.name !== 'InvalidParameterValue') return undefined;
  const limit = /Message must be shorter than (\d+) bytes/.exec(error.message)?.[1];
  return limit === undefined ? undefined : Number(limit);
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const ELLIPSIS = '…';

/** `text` within `maxBytes` of UTF-8, cut between characters and marked with an ellipsis; '' if none fits. */
export function truncateToBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let budget = maxBytes - Buffer.byteLength(ELLIPSIS);
  if (budget <= 0) return '';
  let kept = '';
  for (const character of text) {
    budget -= Buffer.byteLength(character);
    if (budget < 0) break;
    kept += character;
  }
  return kept === '' ? '' : `${kept}${ELLIPSIS}`;
}
