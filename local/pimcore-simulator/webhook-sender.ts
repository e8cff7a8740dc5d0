import { randomUUID } from 'node:crypto';
import { request } from 'undici';
import { retryWithBackoff, type BackoffPolicy } from '../../common/backoff';
import { parseRetryAfterMs } from '../../nest-worker/src/downstream/retry-after';
import { signPimcoreWebhook } from '../../nest-worker/src/webhook/pimcore-signature';
import type { ObjectSave, SaveListener } from './pimcore-backend';

/**
 * What a real Pimcore does on a save with the Datahub Webhooks bundle, for the simulator: every
 * save of an object becomes a signed POST to the worker's `/webhooks/pimcore`, retried with backoff
 * until the worker takes it (2xx), so a worker that is down or answers 503 loses nothing.
 */

export interface WebhookSenderOptions {
  /**
   * The worker's webhook, e.g. http://127.0.0.1:3000/webhooks/pimcore, or a function asked on every
   * request (a load balancer's choice among several workers).
   */
  readonly url: string | (() => string);
  /** Signs every request: HMAC-SHA256 over "<timestamp>.<raw body>". */
  readonly secret: string;
  /** Delivery ids are `<prefix>-<uuid>` (default prefix `pimcore`). */
  readonly deliveryIdPrefix?: string;
  /** Sent as general.webhookName. */
  readonly webhookName?: string;
  readonly retry?: Partial<BackoffPolicy>;
  /** Per request; a request without an answer by then is retried. */
  readonly timeoutMs?: number;
  /** Requests on the wire at once; the rest wait their turn. */
  readonly maxConcurrent?: number;
  /** Share (0 to 1) of delivered webhooks sent once more with the same delivery id, as after a lost answer. */
  readonly redeliverRatio?: number;
  /** Each delivery's outcome, and each retry, for logs and progress. */
  readonly onEvent?: (event: WebhookSendEvent) => void;
}

export interface WebhookDelivery {
  readonly deliveryId: string;
  readonly pimcoreId: number;
  readonly published: boolean;
  readonly externalId?: string;
}

export type WebhookSendEvent =
  | { readonly kind: 'delivered'; readonly delivery: WebhookDelivery; readonly status: number }
  | {
      readonly kind: 'retry';
      readonly delivery: WebhookDelivery;
      readonly attempt: number;
      readonly problem: string;
    }
  | { readonly kind: 'failed'; readonly delivery: WebhookDelivery; readonly problem: string };

export interface FailedDelivery {
  readonly delivery: WebhookDelivery;
  readonly problem: string;
}

/** Something that tells saves: the simulator's onSave. */
export interface SaveSource {
  onSave(listener: SaveListener): () => void;
}

const DEFAULT_RETRY: BackoffPolicy = { baseMs: 100, capMs: 5000, maxAttempts: 40 };

/** An answer the worker may give differently later: no answer, 5xx, 429, 408. */
class RetryableAnswer extends Error {
  constructor(
    message: string,
    /** The answer's Retry-After, in ms (the backoff's cap still applies). */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export class PimcoreWebhookSender {
  private readonly retry: BackoffPolicy;
  private readonly stopping = new AbortController();
  private readonly unsubscribes: (() => void)[] = [];
  private readonly waiting: (() => void)[] = [];
  private readonly idleWaiters: (() => void)[] = [];
  private active = 0;
  private inProgress = 0;
  /** Webhooks answered 2xx (redeliveries not counted). */
  delivered = 0;
  redelivered = 0;
  readonly failed: FailedDelivery[] = [];

  constructor(private readonly options: WebhookSenderOptions) {
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
  }

  /** Sends a webhook for every save `source` tells from now on. */
  attach(source: SaveSource): void {
    this.unsubscribes.push(source.onSave((save) => void this.send(save)));
  }

  /** Deliveries not settled yet (being sent, waiting for a retry or for a free slot). */
  get pending(): number {
    return this.inProgress;
  }

  /** Resolves once no delivery is pending. */
  idle(): Promise<void> {
    if (this.inProgress === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Delivers one save (a new delivery id); resolves when it was taken or given up on, never rejects. */
  async send(save: ObjectSave): Promise<void> {
    const { object } = save;
    const externalId = object.values.externalId ?? undefined;
    const delivery: WebhookDelivery = {
      deliveryId: `${this.options.deliveryIdPrefix ?? 'pimcore'}-${randomUUID()}`,
      pimcoreId: object.id,
      published: object.published,
      ...(externalId ? { externalId } : {}),
    };
    const body = JSON.stringify(datahubBody(save, this.options.webhookName ?? 'products'));
    this.inProgress += 1;
    try {
      const status = await this.deliver(delivery, body);
      this.delivered += 1;
      this.options.onEvent?.({ kind: 'delivered', delivery, status });
      if (Math.random() < (this.options.redeliverRatio ?? 0)) {
        await this.deliver(delivery, body);
        this.redelivered += 1;
      }
    } catch (error) {
      const problem = describe(error);
      this.failed.push({ delivery, problem });
      this.options.onEvent?.({ kind: 'failed', delivery, problem });
    } finally {
      this.inProgress -= 1;
      if (this.inProgress === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve());
    }
  }

  /** Stops listening and gives up the retries still waiting (they count as failed). */
  stop(): void {
    this.unsubscribes.splice(0).forEach((unsubscribe) => unsubscribe());
    this.stopping.abort();
    this.waiting.splice(0).forEach((start) => start());
  }

  private deliver(delivery: WebhookDelivery, body: string): Promise<number> {
    return retryWithBackoff(() => this.inSlot(() => this.post(delivery, body)), {
      ...this.retry,
      signal: this.stopping.signal,
      isRetryable: (error) => error instanceof RetryableAnswer && !this.stopping.signal.aborted,
      requestedDelayMs: (error) => (error instanceof RetryableAnswer ? error.retryAfterMs : undefined),
      onRetry: (error, attempt) =>
        this.options.onEvent?.({ kind: 'retry', delivery, attempt, problem: describe(error) }),
    });
  }

  /** One signed POST; the timestamp is taken per attempt, so a late retry is still within tolerance. */
  private async post(delivery: WebhookDelivery, body: string): Promise<number> {
    if (this.stopping.signal.aborted) throw new Error('the sender was stopped');
    const timestamp = String(Math.floor(Date.now() / 1000));
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    let response;
    try {
      const { url } = this.options;
      response = await request(typeof url === 'string' ? url : url(), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...signatureHeaders(this.options.secret, timestamp, body),
          'x-pimcore-delivery': delivery.deliveryId,
        },
        body,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
    } catch (error) {
      throw new RetryableAnswer(`no answer: ${describe(error)}`);
    }
    const text = await response.body.text().catch(() => '');
    const { statusCode } = response;
    if (statusCode >= 200 && statusCode < 300) return statusCode;
    const problem = `HTTP ${statusCode} ${text.slice(0, 200)}`;
    if (statusCode >= 500 || statusCode === 429 || statusCode === 408) {
      const retryAfter = response.headers['retry-after'];
      throw new RetryableAnswer(
        problem,
        parseRetryAfterMs(typeof retryAfter === 'string' ? retryAfter : undefined),
      );
    }
    throw new Error(problem);
  }

  /** Runs `task` once fewer than maxConcurrent requests are on the wire. */
  private async inSlot<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= (this.options.maxConcurrent ?? 16)) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.active += 1;
    try {
      return await task();
    } finally {
      this.active -= 1;
      this.waiting.shift()?.();
    }
  }
}

/** The headers that sign `body`, with the worker's own signing function (checked against a fixed vector). */
export function signatureHeaders(secret: string, timestamp: string, body: string): Record<string, string> {
  return {
    'x-pimcore-timestamp': timestamp,
    'x-pimcore-signature': signPimcoreWebhook(secret, timestamp, body),
  };
}

/**
 * The Datahub Webhooks body of a data object save: `general` names the event, `subject` is the
 * serialized object (its id, class, publication state and the fields the receiver reads).
 */
function datahubBody(save: ObjectSave, webhookName: string) {
  const { object } = save;
  return {
    general: { eventName: `pimcore.dataobject.${save.event}`, dataType: 'object', webhookName },
    subject: {
      id: object.id,
      type: 'object',
      className: 'Product',
      key: object.key,
      fullPath: object.fullPath,
      published: object.published,
      modificationDate: object.modificationDate,
      ...(object.values.externalId ? { externalId: object.values.externalId } : {}),
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
