import type { Message } from '@aws-sdk/client-sqs';
import { DEAD_LETTER_ATTRIBUTES } from '../../../nest-worker/src/queue/dead-letter-message';
import type { DeadLetterKind } from '../target/pipeline-target';

/** A message in a DLQ as an operator reads it: why it is there, since when, what it carries. */
export interface Letter {
  readonly messageId: string;
  /** SentTimestamp: when it was first sent (SQS's redrive keeps it; the worker's send makes a new one). */
  readonly sentAt?: string;
  readonly ageMs?: number;
  readonly receiveCount?: number;
  /** The worker's `pipeline.dead-letter-reason`, EventBridge's ERROR_CODE, or `maxReceiveCount`. */
  readonly reason: string;
  readonly detail?: string;
  /** What the body is: the event's detail-type and the product or object it is about. */
  readonly summary: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * Without the worker's reason, a work-queue message was moved by SQS itself after maxReceiveCount
 * receives (the worker never gave up on it: it crashed, timed out or kept handing it back).
 */
const MOVED_BY_SQS = 'maxReceiveCount';

function reasonOf(kind: DeadLetterKind, attributes: Readonly<Record<string, string>>) {
  if (kind === 'target')
    return { reason: attributes.ERROR_CODE ?? '(none)', detail: attributes.ERROR_MESSAGE };
  const reason = attributes[DEAD_LETTER_ATTRIBUTES.reason];
  if (reason !== undefined) return { reason, detail: attributes[DEAD_LETTER_ATTRIBUTES.detail] };
  return { reason: kind === 'work' ? MOVED_BY_SQS : '(none)', detail: undefined };
}

function summaryOf(body: string): string {
  try {
    const event = JSON.parse(body) as {
      'detail-type'?: string;
      detail?: {
        product?: { externalId?: string };
        externalId?: string;
        pimcoreId?: unknown;
        ingestionId?: string;
        object?: { key?: string };
        name?: string;
      };
    };
    const { detail } = event;
    const about =
      detail?.product?.externalId ??
      detail?.externalId ??
      (detail?.pimcoreId === undefined ? undefined : `pimcore ${String(detail.pimcoreId)}`) ??
      detail?.object?.key ??
      detail?.ingestionId ??
      detail?.name;
    const summary = [event['detail-type'], about].filter((part) => part !== undefined).join(' ');
    return summary || `JSON, ${Buffer.byteLength(body)} bytes`;
  } catch {
    return `not JSON, ${Buffer.byteLength(body)} bytes`;
  }
}

export function letterOf(message: Message, kind: DeadLetterKind, now = Date.now()): Letter {
  const attributes = Object.fromEntries(
    Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
      name,
      value.StringValue ?? '(binary)',
    ]),
  );
  const sent = Number(message.Attributes?.SentTimestamp);
  const receives = Number(message.Attributes?.ApproximateReceiveCount);
  const body = message.Body ?? '';
  return {
    messageId: message.MessageId!,
    ...(Number.isFinite(sent) && { sentAt: new Date(sent).toISOString(), ageMs: Math.max(0, now - sent) }),
    ...(Number.isFinite(receives) && { receiveCount: receives }),
    ...reasonOf(kind, attributes),
    summary: summaryOf(body),
    attributes,
    body,
  };
}
