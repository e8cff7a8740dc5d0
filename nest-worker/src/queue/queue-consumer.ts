import {
  ChangeMessageVisibilityCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { abortableSleep } from '../../../common/backoff';
import { BatchDeleter } from './batch-deleter';
import type { ConsumedMessage, HandlerOutcome, MessageHandler } from './consumed-message';
import { deadLetterAttributes, sizeLimitOfRejection, SQS_MAX_MESSAGE_BYTES } from './dead-letter-message';
import type { ConsumerObserver } from './consumer-observer';
import { InFlightSlots } from './in-flight-slots';

export interface QueueConsumerOptions {
  /** Short name for logs and metrics, e.g. "product-ingest". */
  readonly name: string;
  readonly queueUrl: string;
  readonly deadLetterQueueUrl: string;
  /** Messages worked on at once across this consumer (not "one batch at a time"). */
  readonly maxInFlight: number;
  /**
   * Messages received ahead of a free handler, so a handler that finishes starts the next message at
   * once instead of waiting for a receive round trip. They are heartbeat-protected like the others.
   */
  readonly prefetch: number;
  /** The visibility a message gets at receive and at every heartbeat. */
  readonly visibilityTimeoutSeconds: number;
  /** How often a message being worked on gets its visibility extended. */
  readonly heartbeatIntervalMs: number;
  /** The handler is aborted after this long and the message retried later. */
  readonly handlerTimeoutMs: number;
  readonly waitTimeSeconds: number;
  /** Delay before a retry-later message is visible again: min(cap, base × 2^(receives-1)). */
  readonly retryDelayBaseSeconds: number;
  readonly retryDelayCapSeconds: number;
  /** Polling pauses while this says no (e.g. Redis is down), so messages are not burnt towards the DLQ. */
  readonly canConsume: () => boolean;
  readonly pausedPollIntervalMs: number;
  /**
   * The most a dead letter may hold, body and attributes (SQS_MAX_MESSAGE_BYTES by default); a DLQ
   * that refuses less is taken at its word (the limit its refusal names).
   */
  readonly maxMessageBytes?: number;
}

/** What became of a dead-letter send. */
type DeadLetterSend =
  { readonly sent: true } | { readonly sent: false; readonly tooLarge: boolean; readonly error: unknown };

/** The body is too large for the DLQ even with nothing but the reason: SQS's redrive must move it. */
export class DeadLetterTooLargeError extends Error {
  override readonly name = 'DeadLetterTooLarge';
}

const SYSTEM_ATTRIBUTES = ['ApproximateReceiveCount', 'SentTimestamp'] as const;

/**
 * Long-polls one queue and runs a handler per message with a process-wide bound on messages in flight.
 * Every message ends deleted (done or dead-lettered, with its reason) or handed back to SQS (retry
 * later, shutdown): none is dropped. While a handler works, a heartbeat keeps the message invisible.
 */
export class QueueConsumer {
  /** Messages held: being handled, or received and waiting for a handler (at most maxInFlight + prefetch). */
  private readonly slots: InFlightSlots;
  /** Handlers running (at most maxInFlight). */
  private readonly handlers: InFlightSlots;
  private readonly deleter: BatchDeleter;
  /** Free slots a receive waits for while prefetched messages wait for a handler. */
  private readonly receiveBatch: number;
  private readonly stopPolling = new AbortController();
  private readonly stopHandlers = new AbortController();
  private readonly working = new Map<string, { message: ConsumedMessage; done: Promise<void> }>();
  private pollers: Promise<void>[] = [];
  private lastPollAt: number | undefined;

  constructor(
    private readonly sqs: SQSClient,
    private readonly handler: MessageHandler,
    private readonly observer: ConsumerObserver,
    private readonly options: QueueConsumerOptions,
  ) {
    this.slots = new InFlightSlots(options.maxInFlight + options.prefetch);
    this.handlers = new InFlightSlots(options.maxInFlight);
    // Half the prefetch: the other half keeps the handlers busy while the receive is under way.
    this.receiveBatch = Math.min(10, Math.max(1, Math.ceil(options.prefetch / 2)));
    this.deleter = new BatchDeleter(sqs, {
      queueUrl: options.queueUrl,
      lingerMs: 20,
      maxAttempts: 5,
      retryDelayMs: 200,
      onPermanentFailure: (_handle, code, text) =>
        observer.error(options.name, 'delete', new Error(`${code}: ${text}`)),
    });
  }

  /** When a receive last completed (an empty long poll counts): the readiness probe's SQS signal. */
  get lastSuccessfulPollAt(): number | undefined {
    return this.lastPollAt;
  }

  get name(): string {
    return this.options.name;
  }

  start(): void {
    // Enough pollers to keep every slot busy: each receive returns at most 10 messages.
    const pollerCount = Math.ceil(this.slots.capacity / 10);
    this.pollers = Array.from({ length: pollerCount }, () => this.poll());
  }

  /**
   * Graceful stop: no new receives; in-flight work gets until the deadline to finish; what is still
   * running then is aborted and handed back to SQS (visibility 0) for another worker.
   */
  async stop(deadlineMs: number): Promise<void> {
    this.stopPolling.abort();
    this.slots.wakeAll();
    await Promise.all(this.pollers);
    const finished = Promise.all([...this.working.values()].map((work) => work.done));
    const timedOut = await Promise.race([
      finished.then(() => false),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(true), deadlineMs).unref()),
    ]);
    if (timedOut) {
      const unfinished = [...this.working.values()].map((work) => work.message);
      this.stopHandlers.abort();
      await Promise.all(unfinished.map((message) => this.changeVisibility(message, 0)));
      await finished;
    }
    await this.deleter.drain();
  }

  private async poll(): Promise<void> {
    const stopped = this.stopPolling.signal;
    while (!stopped.aborted) {
      await this.waitForRoomToReceive(stopped);
      if (stopped.aborted) break;
      if (!this.options.canConsume()) {
        await abortableSleep(this.options.pausedPollIntervalMs, stopped);
        continue;
      }
      const wanted = this.slots.take(Math.min(10, this.slots.free));
      if (wanted === 0) continue;
      let messages: Message[] = [];
      try {
        const response = await this.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: this.options.queueUrl,
            MaxNumberOfMessages: wanted,
            WaitTimeSeconds: this.options.waitTimeSeconds,
            VisibilityTimeout: this.options.visibilityTimeoutSeconds,
            MessageSystemAttributeNames: [...SYSTEM_ATTRIBUTES],
            MessageAttributeNames: ['All'],
          }),
          { abortSignal: stopped },
        );
        messages = response.Messages ?? [];
        this.lastPollAt = Date.now();
      } catch (error) {
        if (!stopped.aborted) {
          this.observer.error(this.options.name, 'receive', error);
          await abortableSleep(1000, stopped);
        }
      } finally {
        this.slots.release(wanted - messages.length);
      }
      if (messages.length > 0) this.observer.received(this.options.name, messages.length);
      for (const raw of messages) this.begin(toConsumed(raw));
    }
  }

  /**
   * Until a receive is worth making: a free slot while some handler has nothing to start (no message
   * waits for one), else enough free slots for a batch of `receiveBatch`. With prefetched messages
   * waiting, refilling one slot at a time would spend a receive round trip (and its CPU, here and in
   * SQS) per message or two; the messages still waiting keep the handlers busy meanwhile.
   */
  private async waitForRoomToReceive(stopped: AbortSignal): Promise<void> {
    // stop() wakes every waiter: each wake-up checks for it before waiting again.
    while (!stopped.aborted) {
      await this.slots.waitForFree();
      if (stopped.aborted) return;
      const waitingForHandler = this.slots.inUse - this.handlers.inUse;
      if (waitingForHandler <= 0 || this.slots.free >= this.receiveBatch) return;
      await this.slots.waitForRelease();
    }
  }

  private begin(message: ConsumedMessage): void {
    this.observer.inFlight(this.options.name, this.slots.inUse);
    let holdsSlot = true;
    const releaseSlot = () => {
      if (!holdsSlot) return;
      holdsSlot = false;
      this.slots.release();
      this.observer.inFlight(this.options.name, this.slots.inUse);
    };
    const done = this.process(message, releaseSlot).finally(() => {
      this.working.delete(message.receiptHandle);
      releaseSlot();
    });
    this.working.set(message.receiptHandle, { message, done });
  }

  private async process(message: ConsumedMessage, releaseSlot: () => void): Promise<void> {
    const started = Date.now();
    const renewals: (() => Promise<void>)[] = [];
    // From receipt on, including any wait for a handler: a prefetched message must not reappear.
    const heartbeat = setInterval(() => {
      void this.changeVisibility(message, this.options.visibilityTimeoutSeconds);
      for (const renew of renewals) {
        renew().catch((error: unknown) =>
          this.observer.error(this.options.name, 'heartbeat', error, message),
        );
      }
    }, this.options.heartbeatIntervalMs);

    await this.handlers.acquire();
    if (this.stopHandlers.signal.aborted) {
      // Shutting down before it started: stop() hands it back.
      this.handlers.release();
      clearInterval(heartbeat);
      return;
    }
    const signal = AbortSignal.any([
      this.stopHandlers.signal,
      AbortSignal.timeout(this.options.handlerTimeoutMs),
    ]);
    let outcome: HandlerOutcome;
    try {
      outcome = await this.handler.handle(message, { signal, onHeartbeat: (renew) => renewals.push(renew) });
    } catch (error) {
      this.observer.error(this.options.name, 'handler', error, message);
      outcome = { kind: 'retry-later', reason: signal.aborted ? 'HandlerAborted' : handBackReason(error) };
    } finally {
      clearInterval(heartbeat);
      this.handlers.release();
      // The slot bounds work on messages: one waiting for its batched delete (up to the linger) must
      // not hold back the next receive.
      releaseSlot();
    }

    let settled = outcome;
    if (this.stopHandlers.signal.aborted && outcome.kind === 'retry-later') {
      // Shutting down: stop() hands the message back at once.
    } else {
      settled = await this.settle(message, outcome);
    }
    this.observer.settled(this.options.name, message, settled, Date.now() - started);
  }

  /** Carries the outcome out; returns what really happened (a dead letter SQS refused is a hand-back). */
  private async settle(message: ConsumedMessage, outcome: HandlerOutcome): Promise<HandlerOutcome> {
    switch (outcome.kind) {
      case 'done':
        await this.deleter.delete(message.receiptHandle);
        return outcome;
      case 'dead-letter': {
        // Only delete what the DLQ holds.
        const send = await this.sendToDeadLetterQueue(message, outcome.reason, outcome.detail);
        if (send.sent) {
          await this.deleter.delete(message.receiptHandle);
          return outcome;
        }
        this.observer.error(this.options.name, 'dead-letter', send.error, message);
        const subject = { ...outcome.subject, deadLetterReason: outcome.reason };
        if (send.tooLarge) {
          // It can never be sent with its reason: visible again at once, so its receives reach the
          // queue's maxReceiveCount soon and SQS's redrive moves it to the DLQ (without the reason).
          await this.changeVisibility(message, 0);
          return { kind: 'retry-later', reason: 'DeadLetterTooLarge', delaySeconds: 0, subject };
        }
        // The DLQ send failed (throttled, unreachable, denied): try again at the next receive.
        const handBack = { kind: 'retry-later', reason: 'DeadLetterSendFailed', subject } as const;
        await this.handBack(message, handBack);
        return handBack;
      }
      case 'retry-later':
        await this.handBack(message, outcome);
        return outcome;
    }
  }

  private async handBack(
    message: ConsumedMessage,
    outcome: HandlerOutcome & { readonly kind: 'retry-later' },
  ): Promise<void> {
    const backoff = this.options.retryDelayBaseSeconds * 2 ** Math.max(0, message.receiveCount - 1);
    const delay = outcome.delaySeconds ?? Math.min(this.options.retryDelayCapSeconds, backoff);
    await this.changeVisibility(message, Math.round(delay));
  }

  /**
   * Sends the message to the DLQ with its reason, the attributes sized so that body and attributes stay
   * within the limit (the detail is cut first). A DLQ that refuses the size names its own limit: the
   * letter is sized to that and sent once more.
   */
  private async sendToDeadLetterQueue(
    message: ConsumedMessage,
    reason: string,
    detail: string,
  ): Promise<DeadLetterSend> {
    let limit = this.options.maxMessageBytes ?? SQS_MAX_MESSAGE_BYTES;
    for (;;) {
      const attributes = deadLetterAttributes(
        message,
        { reason, detail, sourceQueue: this.options.name },
        limit,
      );
      if (attributes === undefined) {
        const error = new DeadLetterTooLargeError(
          `the message body (${Buffer.byteLength(message.body)} bytes) and its dead-letter reason exceed the DLQ's limit of ` +
            `${limit} bytes: left to the queue's redrive policy, which moves it without its reason`,
        );
        return { sent: false, tooLarge: true, error };
      }
      try {
        await this.sqs.send(
          new SendMessageCommand({
            QueueUrl: this.options.deadLetterQueueUrl,
            MessageBody: message.body,
            MessageAttributes: attributes,
          }),
        );
        return { sent: true };
      } catch (error) {
        const refusedAt = sizeLimitOfRejection(error);
        if (refusedAt === undefined) return { sent: false, tooLarge: false, error };
        if (refusedAt >= limit) return { sent: false, tooLarge: true, error };
        limit = refusedAt;
      }
    }
  }

  private async changeVisibility(message: ConsumedMessage, seconds: number): Promise<void> {
    try {
      await this.sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: this.options.queueUrl,
          ReceiptHandle: message.receiptHandle,
          VisibilityTimeout: seconds,
        }),
      );
    } catch (error) {
      this.observer.error(this.options.name, 'change-visibility', error, message);
    }
  }
}

function toConsumed(message: Message): ConsumedMessage {
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? '1'),
    messageAttributes: message.MessageAttributes ?? {},
  };
}

/**
 * A hand-back's reason, for its log line and its metric label: the error's class name where it has
 * one of its own (RedisUnavailable, a downstream error, …). A plain `Error` says nothing, and its
 * message does not belong in a label: HandlerError (the message is in the handler's error line).
 */
function handBackReason(error: unknown): string {
  if (error instanceof Error && error.name !== '' && error.name !== 'Error') return error.name;
  return 'HandlerError';
}
