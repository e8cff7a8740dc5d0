import { randomUUID } from 'node:crypto';
import { request } from 'undici';
import { retryWithBackoff, type BackoffPolicy } from '../../common/backoff';
import { parseRetryAfterMs } from '../../nest-worker/src/downstream/retry-after';
import { signPimcoreWebhook, type SignedContent } from '../../nest-worker/src/webhook/pimcore-signature';
import { datahubWebhookBody, schemaFields } from './datahub-webhook-body';
import { loadPimcoreModel, type ClassField } from './pimcore-artifacts';
import type { ObjectSave, SaveListener } from './pimcore-backend';

/**
 * What a real Pimcore sends the worker's `/webhooks/pimcore` for each event of an object, for the
 * simulator: the Datahub Webhooks body (datahub-webhook-body.ts), authenticated as one of the two
 * senders the worker accepts, retried with backoff until the worker takes it (2xx), so a worker that is
 * down or answers 503 loses nothing. Deletes are sent too; drafts only by Datahub Webhooks (token).
 */

/** How requests prove they come from Pimcore. */
export type WebhookAuth =
  /**
   * The shipped PHP listener (pimcore/webhook-listener): X-Pimcore-Delivery (one id per event, the same
   * on every retry and redelivery), X-Pimcore-Timestamp (per attempt) and X-Pimcore-Signature over both
   * and the body. Like that listener, it sends no drafts.
   */
  | { readonly scheme: 'signed'; readonly secret: string }
  /**
   * Datahub Webhooks, which cannot sign: a static token, as `Authorization: Bearer <token>` or as the
   * password of `Authorization: Basic` (user "pimcore"). No delivery id is sent; the worker derives one
   * from the body, which is byte-identical on every retry.
   */
  | { readonly scheme: 'token'; readonly token: string; readonly via: 'bearer' | 'basic' };

export interface WebhookSenderOptions {
  /**
   * The worker's webhook, e.g. http://127.0.0.1:3000/webhooks/pimcore, or a function asked on every
   * request (a load balancer's choice among several workers).
   */
  readonly url: string | (() => string);
  readonly auth: WebhookAuth;
  /** Delivery ids are `<prefix>-<uuid>` (default prefix `pimcore`); in token mode they are only logged. */
  readonly deliveryIdPrefix?: string;
  /** The class fields the webhook's schema exports into `subject` (default: externalId, what the worker reads). */
  readonly subjectFields?: readonly string[];
  readonly retry?: Partial<BackoffPolicy>;
  /** Per request; a request without an answer by then is retried. */
  readonly timeoutMs?: number;
  /** Requests on the wire at once; the rest wait their turn. */
  readonly maxConcurrent?: number;
  /** Share (0 to 1) of delivered webhooks sent once more, unchanged, as after a lost answer. */
  readonly redeliverRatio?: number;
  /** Each delivery's outcome, and each retry, for logs and progress. */
  readonly onEvent?: (event: WebhookSendEvent) => void;
}

export interface WebhookDelivery {
  /** One per event, for logs; sent as X-Pimcore-Delivery in the signed scheme only. */
  readonly deliveryId: string;
  readonly event: ObjectSave['event'];
  readonly versionOnly: boolean;
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
  private readonly subjectFields: readonly ClassField[];
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
    // Labelled with the titles of the class the simulator loads (pimcore/class_Product_export.json).
    this.subjectFields = schemaFields(loadPimcoreModel(), options.subjectFields ?? ['externalId']);
  }

  /** Sends a webhook for every event `source` tells from now on. */
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

  /**
   * Delivers one event (a new delivery id); resolves when it was taken or given up on, never rejects.
   * The signed scheme's listener sends no drafts (ProductWebhookSubscriber skips saveVersionOnly);
   * Datahub Webhooks do, with versionOnly: true.
   */
  async send(save: ObjectSave): Promise<void> {
    if (save.versionOnly && this.options.auth.scheme === 'signed') return;
    const { object } = save;
    const externalId = object.values.externalId ?? undefined;
    const delivery: WebhookDelivery = {
      deliveryId: `${this.options.deliveryIdPrefix ?? 'pimcore'}-${randomUUID()}`,
      event: save.event,
      versionOnly: save.versionOnly,
      pimcoreId: object.id,
      published: object.published,
      ...(externalId ? { externalId } : {}),
    };
    // Made once: every attempt and redelivery sends these very bytes.
    const body = JSON.stringify(datahubWebhookBody(save, this.subjectFields));
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

  /** One POST; a signed one takes its timestamp per attempt, so a late retry is still within tolerance. */
  private async post(delivery: WebhookDelivery, body: string): Promise<number> {
    if (this.stopping.signal.aborted) throw new Error('the sender was stopped');
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    let response;
    try {
      const { url } = this.options;
      response = await request(typeof url === 'string' ? url : url(), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...this.authHeaders(delivery, body) },
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

  private authHeaders(delivery: WebhookDelivery, body: string): Record<string, string> {
    const { auth } = this.options;
    if (auth.scheme === 'token') return { authorization: tokenAuthorization(auth.token, auth.via) };
    const timestamp = String(Math.floor(Date.now() / 1000));
    return signatureHeaders(auth.secret, { timestamp, deliveryId: delivery.deliveryId, rawBody: body });
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

/**
 * The signed scheme's headers for one attempt, signed with the worker's own function (the test checks
 * them against pimcore/webhook-listener/signature-vector.json).
 */
export function signatureHeaders(secret: string, content: SignedContent): Record<string, string> {
  return {
    'x-pimcore-delivery': content.deliveryId,
    'x-pimcore-timestamp': content.timestamp,
    'x-pimcore-signature': signPimcoreWebhook(secret, content),
  };
}

/** The token scheme's header: what a subscriber's header setting (Bearer) or URL credentials (Basic) send. */
export function tokenAuthorization(token: string, via: 'bearer' | 'basic'): string {
  if (via === 'bearer') return `Bearer ${token}`;
  return `Basic ${Buffer.from(`pimcore:${token}`, 'utf8').toString('base64')}`;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
