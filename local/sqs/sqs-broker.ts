import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '../clock';
import { LongPollWaiters } from './long-poll';
import {
  hasInvalidCharacters,
  messageAttributesSize,
  NO_MESSAGE_ATTRIBUTES,
  parseMessageAttributes,
  type MessageAttributeJson,
  type MessageAttributes,
} from './message-attributes';
import { md5Hex } from './message-md5';
import { Queue, type StoredMessage } from './queue';
import {
  applyQueueAttributes,
  DEFAULT_QUEUE_SETTINGS,
  queueSettingsToAttributes,
  type QueueSettings,
} from './queue-settings';
import { decodeReceiptHandle } from './receipt-handle';
import { sqsErrors } from './sqs-errors';

export interface SqsBrokerOptions {
  /** Base of the queue URLs: `<endpoint>/<accountId>/<queueName>`. */
  readonly endpoint: string;
  readonly region?: string;
  readonly accountId?: string;
  readonly clock?: Clock;
}

export interface SendOptions {
  readonly body: string;
  readonly attributes?: MessageAttributes;
  /** Overrides the queue's DelaySeconds. */
  readonly delaySeconds?: number;
  readonly awsTraceHeader?: string;
}

export interface ReceiveOptions {
  readonly maxNumberOfMessages?: number;
  /** Overrides the queue's VisibilityTimeout for this receive. */
  readonly visibilityTimeout?: number;
  /** Overrides the queue's ReceiveMessageWaitTimeSeconds; > 0 is a long poll. */
  readonly waitTimeSeconds?: number;
  readonly signal?: AbortSignal;
}

export interface ReceivedMessage {
  readonly message: StoredMessage;
  readonly receiptHandle: string;
}

const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const PURGE_INTERVAL_MS = 60_000;

/**
 * The queues of one local account and the SQS semantics over them: delays, visibility timeouts,
 * receipt handles, long polling, retention and redrive to dead-letter queues. The HTTP operations and
 * the other emulators (EventBridge delivering to queues) both work through this class.
 */
export class SqsBroker {
  readonly region: string;
  readonly accountId: string;
  private readonly endpoint: string;
  private readonly clock: Clock;
  private readonly queues = new Map<string, Queue>();
  private readonly waiters = new LongPollWaiters();
  private closed = false;

  constructor(options: SqsBrokerOptions) {
    this.endpoint = options.endpoint.replace(/\/$/, '');
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '000000000000';
    this.clock = options.clock ?? systemClock;
  }

  now(): number {
    return this.clock.now();
  }

  createQueue(name: string, attributes: Record<string, string> = {}): Queue {
    if (name.endsWith('.fifo'))
      throw sqsErrors.unsupportedOperation('FIFO queues are not emulated by the local SQS.');
    if (!QUEUE_NAME.test(name)) {
      throw sqsErrors.invalidParameterValue(
        'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
      );
    }
    const settings = this.checkedSettings(applyQueueAttributes(DEFAULT_QUEUE_SETTINGS, attributes));
    const existing = this.queues.get(name);
    if (existing) {
      const current = queueSettingsToAttributes(existing.settings);
      const requested = queueSettingsToAttributes(settings);
      const differing = Object.keys(attributes).find((key) => current[key] !== requested[key]);
      if (differing) throw sqsErrors.queueNameExists(name, differing);
      return existing;
    }
    const queue = new Queue(
      name,
      `${this.endpoint}/${this.accountId}/${name}`,
      `arn:aws:sqs:${this.region}:${this.accountId}:${name}`,
      settings,
      this.now(),
    );
    this.queues.set(name, queue);
    return queue;
  }

  setQueueAttributes(queue: Queue, attributes: Record<string, string>): void {
    queue.settings = this.checkedSettings(applyQueueAttributes(queue.settings, attributes));
    queue.lastModifiedTimestamp = this.now();
    this.waiters.wake(queue.name);
  }

  deleteQueue(queue: Queue): void {
    this.queues.delete(queue.name);
    this.waiters.wake(queue.name);
  }

  purgeQueue(queue: Queue): void {
    const now = this.now();
    if (queue.lastPurgedAt !== undefined && now - queue.lastPurgedAt < PURGE_INTERVAL_MS) {
      throw sqsErrors.purgeQueueInProgress(queue.name);
    }
    queue.lastPurgedAt = now;
    queue.purge();
  }

  queueByName(name: string): Queue {
    const queue = this.queues.get(name);
    if (!queue) throw sqsErrors.queueDoesNotExist();
    return queue;
  }

  /** Accepts any host (clients may reach the emulator under another name); account and name must match. */
  queueByUrl(url: string): Queue {
    const path = URL.canParse(url, this.endpoint) ? new URL(url, this.endpoint).pathname : '';
    const [account, name] = path.split('/').filter(Boolean).slice(-2);
    if (account !== this.accountId || name === undefined) throw sqsErrors.queueDoesNotExist();
    return this.queueByName(name);
  }

  queueByArn(arn: string): Queue | undefined {
    const queue = this.queues.get(arn.split(':').at(-1) ?? '');
    return queue?.arn === arn ? queue : undefined;
  }

  listQueues(namePrefix = ''): Queue[] {
    return [...this.queues.values()].filter((queue) => queue.name.startsWith(namePrefix));
  }

  /** The queues whose redrive policy sends their dead letters to `deadLetterQueue`. */
  sourceQueuesOf(deadLetterQueue: Queue): Queue[] {
    return [...this.queues.values()].filter(
      (queue) => queue.settings.redrivePolicy?.deadLetterTargetArn === deadLetterQueue.arn,
    );
  }

  queueAttributes(queue: Queue): Record<string, string> {
    const now = this.now();
    queue.expire(now);
    const counts = queue.counts(now);
    return {
      QueueArn: queue.arn,
      ApproximateNumberOfMessages: String(counts.visible),
      ApproximateNumberOfMessagesNotVisible: String(counts.notVisible),
      ApproximateNumberOfMessagesDelayed: String(counts.delayed),
      CreatedTimestamp: String(Math.floor(queue.createdTimestamp / 1000)),
      LastModifiedTimestamp: String(Math.floor(queue.lastModifiedTimestamp / 1000)),
      ...queueSettingsToAttributes(queue.settings),
    };
  }

  send(queue: Queue, options: SendOptions): StoredMessage {
    const attributes = options.attributes ?? NO_MESSAGE_ATTRIBUTES;
    if (options.body === '') throw sqsErrors.missingParameter('MessageBody');
    if (hasInvalidCharacters(options.body)) throw sqsErrors.invalidMessageContents();
    const size = Buffer.byteLength(options.body) + messageAttributesSize(attributes);
    if (size > queue.settings.maximumMessageSize) {
      throw sqsErrors.invalidParameterValue(
        `One or more parameters are invalid. Reason: Message must be shorter than ${queue.settings.maximumMessageSize} bytes.`,
      );
    }
    const now = this.now();
    const message: StoredMessage = {
      messageId: randomUUID(),
      body: options.body,
      md5OfBody: md5Hex(options.body),
      messageAttributes: attributes,
      senderId: this.accountId,
      awsTraceHeader: options.awsTraceHeader,
      sentTimestamp: now,
      availableAt: now + (options.delaySeconds ?? queue.settings.delaySeconds) * 1000,
      receiveCount: 0,
    };
    queue.add(message);
    this.waiters.wake(queue.name);
    return message;
  }

  /** In-process send for the other emulators (EventBridge targets); attributes in the wire shape. */
  sendMessage(
    queueArn: string,
    body: string,
    attributes?: Record<string, MessageAttributeJson>,
  ): { readonly messageId: string } {
    const queue = this.queueByArn(queueArn);
    if (!queue) throw sqsErrors.queueDoesNotExist();
    return this.send(queue, { body, attributes: parseMessageAttributes(attributes) });
  }

  /** Receives up to `maxNumberOfMessages`, waiting up to the wait time for the first one to arrive. */
  async receive(queue: Queue, options: ReceiveOptions = {}): Promise<ReceivedMessage[]> {
    const waitSeconds = options.waitTimeSeconds ?? queue.settings.receiveMessageWaitTimeSeconds;
    const deadline = this.now() + waitSeconds * 1000;
    for (;;) {
      if (options.signal?.aborted || this.queues.get(queue.name) !== queue) return [];
      const now = this.now();
      const received = this.receiveAvailable(queue, options, now);
      if (received.length > 0 || now >= deadline) return received;
      const wakeAt = Math.min(deadline, queue.nextAvailableAt(now) ?? deadline);
      await this.waiters.wait(queue.name, wakeAt - now, options.signal);
      if (this.closed) return [];
    }
  }

  /**
   * Deletes the message behind `receiptHandle`. As on SQS, a handle of an already deleted message
   * succeeds, and a stale handle (the message was received again since) succeeds without deleting.
   */
  deleteMessage(queue: Queue, receiptHandle: string): void {
    const receipt = this.receiptFor(queue, receiptHandle);
    if (queue.currentlyReceived(receipt)) queue.remove(receipt.messageId);
  }

  /** Hides the message for `visibilityTimeout` seconds from now; 0 makes it receivable at once. */
  changeMessageVisibility(queue: Queue, receiptHandle: string, visibilityTimeout: number): void {
    const message = queue.currentlyReceived(this.receiptFor(queue, receiptHandle));
    if (!message) {
      throw sqsErrors.invalidParameterValue(
        `Value ${receiptHandle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`,
      );
    }
    message.availableAt = this.now() + visibilityTimeout * 1000;
    this.waiters.wake(queue.name);
  }

  /** Moves `message` from `source` to `destination` as a new arrival there (for redrive tasks). */
  moveMessage(message: StoredMessage, source: Queue, destination: Queue): void {
    source.remove(message.messageId);
    Object.assign(message, {
      sentTimestamp: this.now(),
      availableAt: this.now(),
      receiveCount: 0,
      firstReceiveTimestamp: undefined,
      receiptToken: undefined,
      deadLetterQueueSourceArn: undefined,
    });
    destination.add(message);
    this.waiters.wake(destination.name);
  }

  /** Ends every pending long poll (they answer with no messages) and refuses to wait from now on. */
  close(): void {
    this.closed = true;
    this.waiters.close();
  }

  private receiveAvailable(queue: Queue, options: ReceiveOptions, now: number): ReceivedMessage[] {
    queue.expire(now);
    const max = options.maxNumberOfMessages ?? 1;
    const visibilityTimeout = options.visibilityTimeout ?? queue.settings.visibilityTimeout;
    const redrive = queue.settings.redrivePolicy;
    const deadLetterQueue = redrive && this.queueByArn(redrive.deadLetterTargetArn);
    const received: ReceivedMessage[] = [];
    for (const message of queue.available(now)) {
      if (received.length === max) break;
      // SQS moves a message when a receive would take it past maxReceiveCount.
      if (deadLetterQueue && message.receiveCount >= redrive.maxReceiveCount) {
        this.moveToDeadLetterQueue(message, queue, deadLetterQueue, now);
        continue;
      }
      received.push({ message, receiptHandle: queue.markReceived(message, now, visibilityTimeout) });
    }
    return received;
  }

  private moveToDeadLetterQueue(
    message: StoredMessage,
    source: Queue,
    deadLetterQueue: Queue,
    now: number,
  ): void {
    source.remove(message.messageId);
    message.availableAt = now;
    message.receiptToken = undefined;
    message.deadLetterQueueSourceArn = source.arn;
    deadLetterQueue.add(message);
    this.waiters.wake(deadLetterQueue.name);
  }

  private receiptFor(queue: Queue, receiptHandle: string) {
    const receipt = decodeReceiptHandle(receiptHandle);
    if (!receipt || receipt.queueArn !== queue.arn) throw sqsErrors.receiptHandleIsInvalid(receiptHandle);
    return receipt;
  }

  /** A redrive policy must name an existing queue (SQS checks this when the policy is set). */
  private checkedSettings(settings: QueueSettings): QueueSettings {
    const target = settings.redrivePolicy?.deadLetterTargetArn;
    if (target !== undefined && !this.queueByArn(target)) {
      throw sqsErrors.invalidParameterValue(
        `Value ${JSON.stringify(settings.redrivePolicy)} for parameter RedrivePolicy is invalid. Reason: Dead letter target does not exist.`,
      );
    }
    return settings;
  }
}
