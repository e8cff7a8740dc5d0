import type { MessageAttributeValue } from '@aws-sdk/client-sqs';

/** An SQS message as the consumer hands it to a handler. */
export interface ConsumedMessage {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  /** How many times SQS has handed this message out, this time included. */
  readonly receiveCount: number;
  readonly messageAttributes: Record<string, MessageAttributeValue>;
}

/**
 * What became of a message:
 * - `done`: the work is applied (or was already, or is outdated): delete the message.
 * - `dead-letter`: it can never succeed (bad JSON, schema violation, a 4xx that retrying cannot fix):
 *   send it to the DLQ with the reason, then delete it.
 * - `retry-later`: a transient failure outlived the in-process retries: hand it back to SQS after a
 *   delay; SQS moves it to the DLQ after the queue's maxReceiveCount.
 */
export type HandlerOutcome = (
  | { readonly kind: 'done'; readonly result: 'applied' | 'duplicate' | 'stale' }
  | { readonly kind: 'dead-letter'; readonly reason: string; readonly detail: string }
  | { readonly kind: 'retry-later'; readonly reason: string; readonly delaySeconds?: number }
) & {
  /** What the message was about (externalId, ingestionId, …), for the log line of its outcome. */
  readonly subject?: Readonly<Record<string, string>>;
};

export interface HandlerContext {
  /** Aborted when the handler's deadline passes or the worker shuts down. */
  readonly signal: AbortSignal;
  /** Registers work to run at every visibility heartbeat (e.g. renewing an idempotency claim). */
  onHeartbeat(renew: () => Promise<void>): void;
}

export interface MessageHandler {
  handle(message: ConsumedMessage, context: HandlerContext): Promise<HandlerOutcome>;
}
