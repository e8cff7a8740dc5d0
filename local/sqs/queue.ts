import { randomUUID } from 'node:crypto';
import type { MessageAttributes } from './message-attributes';
import type { QueueSettings } from './queue-settings';
import { encodeReceiptHandle, type Receipt } from './receipt-handle';

export interface StoredMessage {
  readonly messageId: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly messageAttributes: MessageAttributes;
  readonly senderId: string;
  readonly awsTraceHeader?: string;
  /** Kept when the message moves to a dead-letter queue: retention counts from the first enqueue. */
  sentTimestamp: number;
  /** Set when SQS moved the message here from the queue whose redrive policy points at this one. */
  deadLetterQueueSourceArn?: string;
  /** Delay or visibility timeout: the message cannot be received before this time. */
  availableAt: number;
  receiveCount: number;
  firstReceiveTimestamp?: number;
  /** Token of the latest receive; only the handle carrying it may delete the message. */
  receiptToken?: string;
}

export interface MessageCounts {
  readonly visible: number;
  readonly notVisible: number;
  readonly delayed: number;
}

/** One standard queue: its settings and its messages in enqueue order. */
export class Queue {
  private readonly messages = new Map<string, StoredMessage>();
  /** No message is older than this (a lower bound: removals do not raise it), so expiry can skip the scan. */
  private oldestSentAtMost = Infinity;
  lastModifiedTimestamp: number;
  lastPurgedAt?: number;

  constructor(
    readonly name: string,
    readonly url: string,
    readonly arn: string,
    public settings: QueueSettings,
    readonly createdTimestamp: number,
  ) {
    this.lastModifiedTimestamp = createdTimestamp;
  }

  add(message: StoredMessage): void {
    this.messages.set(message.messageId, message);
    this.oldestSentAtMost = Math.min(this.oldestSentAtMost, message.sentTimestamp);
  }

  remove(messageId: string): void {
    this.messages.delete(messageId);
  }

  purge(): void {
    this.messages.clear();
  }

  /**
   * Drops messages older than the retention period (SQS deletes them without a trace). Called on every
   * receive, so it looks at the messages only when the oldest may have expired: a scan of a queue holding
   * half a million messages on every receive made draining it slower than filling it.
   */
  expire(now: number): void {
    const cutoff = now - this.settings.messageRetentionPeriod * 1000;
    if (this.oldestSentAtMost > cutoff) return;
    let oldest = Infinity;
    for (const message of this.messages.values()) {
      if (message.sentTimestamp <= cutoff) this.messages.delete(message.messageId);
      else oldest = Math.min(oldest, message.sentTimestamp);
    }
    this.oldestSentAtMost = oldest;
  }

  /** Messages receivable at `now`, oldest first; safe to remove messages while iterating. */
  *available(now: number): Generator<StoredMessage> {
    for (const message of this.messages.values()) {
      if (message.availableAt <= now) yield message;
    }
  }

  /** Records a receive and hides the message for `visibilityTimeout` seconds; returns its new handle. */
  markReceived(message: StoredMessage, now: number, visibilityTimeout: number): string {
    message.receiveCount += 1;
    message.firstReceiveTimestamp ??= now;
    message.receiptToken = randomUUID();
    message.availableAt = now + visibilityTimeout * 1000;
    return encodeReceiptHandle({
      queueArn: this.arn,
      messageId: message.messageId,
      token: message.receiptToken,
    });
  }

  /** The message `receipt` is the latest receive of, if it is still in this queue. */
  currentlyReceived(receipt: Receipt): StoredMessage | undefined {
    const message = this.messages.get(receipt.messageId);
    return message?.receiptToken === receipt.token ? message : undefined;
  }

  counts(now: number): MessageCounts {
    let visible = 0;
    let notVisible = 0;
    let delayed = 0;
    for (const message of this.messages.values()) {
      if (message.availableAt <= now) visible += 1;
      else if (message.receiptToken !== undefined) notVisible += 1;
      else delayed += 1;
    }
    return { visible, notVisible, delayed };
  }

  /** When the next hidden message becomes receivable, so a long poll knows when to look again. */
  nextAvailableAt(now: number): number | undefined {
    let next: number | undefined;
    for (const message of this.messages.values()) {
      if (message.availableAt > now && (next === undefined || message.availableAt < next))
        next = message.availableAt;
    }
    return next;
  }
}
