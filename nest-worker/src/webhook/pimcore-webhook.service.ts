import type { IncomingHttpHeaders } from 'node:http';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { WEBHOOK_DELIVERY_MEMORY_SECONDS, type WorkerConfig } from '../config/worker-config';
import { EVENT_BRIDGE, REDIS, WORKER_CONFIG } from '../config/injection-tokens';
import type { RedisConnection } from '../idempotency/redis-connection';
import { namespacedScope } from '../idempotency/redis-keys';
import { RelayPendingMarks } from '../idempotency/relay-pending-marks';
import { readPimcoreWebhookBody } from './pimcore-webhook-payload';
import { ProductEventPublisher } from './product-event-publisher';
import {
  checkCredentials,
  deliveryIdHeader,
  derivedDeliveryId,
  eventAgeProblem,
  type AuthenticationProblem,
  type AuthenticationScheme,
} from './webhook-authentication';
import { WebhookDeliveries, type DeliveryClaim } from './webhook-deliveries';

/**
 * What became of a webhook request, as logged and counted (`pipeline_webhook_requests_total`):
 * - accepted (202): the event is on the bus;
 * - coalesced (202): an event of the same object not yet read by the relay covers it: none of its own;
 * - duplicate (200): the delivery id was already accepted, no second event;
 * - ignored (200): an event or subject the pipeline does not handle;
 * - invalid (400): a body it cannot read, or a missing/invalid delivery id;
 * - unauthorized (401): the credentials (signature or token) or the request's age do not check out;
 * - too-large (413): a body over the limit;
 * - unsupported-media-type (415): a Content-Type other than application/json (the body is not read);
 * - in-progress (503): another request is working on the same delivery id;
 * - unavailable (503): Redis could not record the delivery, or PutEvents failed or refused the event;
 * - timeout (408, by Node): the body was not received within the HTTP server's request timeout;
 * - aborted (no answer): the sender hung up before its body was complete;
 * - error: an unexpected failure, answered 500 (as Nest would) and logged with its stack.
 * The last four, and 413 and 415, are decided by the controller, before this service sees the request.
 */
export const WEBHOOK_OUTCOMES = [
  'accepted',
  'coalesced',
  'duplicate',
  'ignored',
  'invalid',
  'unauthorized',
  'too-large',
  'unsupported-media-type',
  'in-progress',
  'unavailable',
  'timeout',
  'aborted',
  'error',
] as const;
export type WebhookOutcome = (typeof WEBHOOK_OUTCOMES)[number];

/** What every line about an authenticated, readable delivery carries. */
interface DeliveryContext {
  readonly scheme: AuthenticationScheme;
  readonly deliveryId: string;
  readonly pimcoreId: number;
  readonly detailType: string;
}

/** What the webhook answers: the sender retries on 503 (after Retry-After) and on no answer. */
export interface WebhookReply {
  readonly status: 200 | 202 | 400 | 401 | 413 | 415 | 503;
  /** Not sent: for the logs and metrics. */
  readonly outcome: Exclude<WebhookOutcome, 'timeout' | 'aborted' | 'error'>;
  readonly body: Readonly<Record<string, unknown>>;
  readonly retryAfterSeconds?: number;
}

export interface WebhookRequest {
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: Buffer;
}

/** Longer than a PutEvents call with the SDK's retries takes; then a crashed request's id is free again. */
const DELIVERY_PENDING_TTL_MS = 30_000;
const RETRY_AFTER_SECONDS = 5;
const DELIVERY_ID_PATTERN = /^[\w.:-]{1,200}$/;

/**
 * `POST /webhooks/pimcore`: checks the credentials, reads the body, and puts ProductPublished or
 * ProductUnpublished on the products bus once per delivery id. It answers 202 only when the event is on
 * the bus, so a 2xx always means nothing is lost.
 */
@Injectable()
export class PimcoreWebhookService {
  private readonly deliveries: WebhookDeliveries;
  private readonly pendingRelays: RelayPendingMarks;
  /** How long an object's pending event stands for its later webhooks (0: never). */
  private readonly coalesceSeconds: number;
  private readonly publisher: ProductEventPublisher;

  constructor(
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
    @Inject(REDIS) redis: RedisConnection,
    @Inject(EVENT_BRIDGE) eventBridge: EventBridgeClient,
    @Inject(PinoLogger) private readonly logger: PinoLogger,
  ) {
    logger.setContext('PimcoreWebhook');
    this.deliveries = new WebhookDeliveries(redis, {
      scope: namespacedScope('webhook:pimcore', config.redisKeyNamespace),
      doneTtlSeconds: WEBHOOK_DELIVERY_MEMORY_SECONDS,
      pendingTtlMs: DELIVERY_PENDING_TTL_MS,
    });
    this.pendingRelays = new RelayPendingMarks(redis, config.redisKeyNamespace);
    this.coalesceSeconds = config.webhook.relayCoalesceSeconds;
    this.publisher = new ProductEventPublisher(eventBridge, config.webhook.eventBusName);
  }

  async handle({ headers, rawBody }: WebhookRequest): Promise<WebhookReply> {
    const receivedAt = new Date().toISOString();
    const credentials = checkCredentials(headers, rawBody, this.config.webhook);
    const { scheme } = credentials;
    if (!credentials.valid) return this.unauthorized(scheme, credentials.problem);
    const headerDeliveryId = deliveryIdHeader(headers);
    // The signed scheme signs its delivery id; a token sender may send one, or leave it to us.
    if (
      (scheme === 'signed' || headerDeliveryId !== undefined) &&
      (headerDeliveryId === undefined || !DELIVERY_ID_PATTERN.test(headerDeliveryId))
    ) {
      const problem = 'X-Pimcore-Delivery must be 1–200 characters of letters, digits, _ . : -';
      this.logger.warn({ scheme, outcome: 'invalid', problem }, 'webhook refused');
      return { status: 400, outcome: 'invalid', body: { error: 'invalid delivery id', problem } };
    }
    const verdict = readPimcoreWebhookBody(rawBody);
    const logged = { scheme, deliveryId: headerDeliveryId };
    if (verdict.kind === 'invalid') {
      this.logger.warn({ ...logged, outcome: 'invalid', problem: verdict.problem }, 'webhook refused');
      return { status: 400, outcome: 'invalid', body: { error: 'invalid body', problem: verdict.problem } };
    }
    if (verdict.kind === 'ignored') {
      this.logger.info({ ...logged, outcome: 'ignored', reason: verdict.reason }, 'webhook ignored');
      return { status: 200, outcome: 'ignored', body: { ignored: verdict.reason } };
    }
    if (scheme === 'token') {
      const problem = eventAgeProblem(verdict, this.config.webhook.tokenMaxAgeSeconds);
      if (problem !== null) return this.unauthorized(scheme, problem);
    }
    const deliveryId = headerDeliveryId ?? derivedDeliveryId(verdict, rawBody);

    const context: DeliveryContext = {
      scheme,
      deliveryId,
      pimcoreId: verdict.pimcoreId,
      detailType: verdict.detailType,
    };
    let claim: DeliveryClaim;
    try {
      claim = await this.deliveries.claim(deliveryId);
    } catch (error) {
      this.logger.error({ ...context, outcome: 'unavailable', err: error }, 'webhook: Redis unavailable');
      return this.retryLater('unavailable', 'the delivery could not be recorded');
    }
    if (claim.state === 'done') {
      this.logger.info({ ...context, outcome: 'duplicate' }, 'webhook duplicate');
      // A coalesced delivery put no event: no event id.
      const eventId = claim.eventId === '' ? {} : { eventId: claim.eventId };
      return { status: 200, outcome: 'duplicate', body: { duplicate: true, ...eventId } };
    }
    if (claim.state === 'in-progress') {
      this.logger.info({ ...context, outcome: 'in-progress' }, 'webhook: delivery being processed');
      return this.retryLater('in-progress', 'this delivery is being processed');
    }

    const coalesced = await this.coalesce(deliveryId, claim.owner, context);
    if (coalesced !== undefined) return coalesced;

    let eventId: string;
    try {
      eventId = await this.publisher.publish(verdict.detailType, {
        pimcoreId: verdict.pimcoreId,
        ...(verdict.externalId === undefined ? {} : { externalId: verdict.externalId }),
        deliveryId,
        receivedAt,
      });
    } catch (error) {
      this.logger.error({ ...context, outcome: 'unavailable', err: error }, 'webhook: PutEvents failed');
      // Free the id so the sender's retry is processed, not taken for a duplicate, and the object's mark
      // so later webhooks do not count on this event (if this fails, the retry finds the mark its own).
      if (this.coalesceSeconds > 0) {
        await this.pendingRelays.release(verdict.pimcoreId, deliveryId).catch(() => undefined);
      }
      await this.deliveries.release(deliveryId, claim.owner).catch(() => undefined);
      return this.retryLater('unavailable', 'the event could not be put on the bus');
    }
    try {
      await this.deliveries.complete(deliveryId, claim.owner, eventId);
    } catch (error) {
      // The event is on the bus: answer 202. A redelivery may put it again; the relay is idempotent.
      this.logger.warn({ ...context, eventId, err: error }, 'webhook: delivery not recorded as done');
    }
    this.logger.info({ ...context, eventId, outcome: 'accepted' }, 'webhook accepted');
    return { status: 202, outcome: 'accepted', body: { accepted: true, eventId } };
  }

  /**
   * Marks the object's relay pending for this delivery, which then puts the event (undefined). When
   * another delivery's event for the object is on its way and the relay has not read the object yet,
   * that read will see this change too: no event, and the delivery is recorded as done, so its retry is a
   * duplicate. Redis failing: 503, the sender retries.
   */
  private async coalesce(
    deliveryId: string,
    owner: string,
    context: DeliveryContext,
  ): Promise<WebhookReply | undefined> {
    if (this.coalesceSeconds === 0) return undefined;
    let holds: boolean;
    try {
      holds = await this.pendingRelays.hold(context.pimcoreId, deliveryId, this.coalesceSeconds);
    } catch (error) {
      this.logger.error({ ...context, outcome: 'unavailable', err: error }, 'webhook: Redis unavailable');
      await this.deliveries.release(deliveryId, owner).catch(() => undefined);
      return this.retryLater('unavailable', 'the delivery could not be recorded');
    }
    if (holds) return undefined;
    try {
      await this.deliveries.complete(deliveryId, owner, '');
    } catch (error) {
      // Covered all the same: a retry is coalesced again, or puts an event once the relay read the object.
      this.logger.warn({ ...context, err: error }, 'webhook: delivery not recorded as done');
    }
    this.logger.info({ ...context, outcome: 'coalesced' }, 'webhook coalesced');
    return { status: 202, outcome: 'coalesced', body: { accepted: true, coalesced: true } };
  }

  private unauthorized(scheme: AuthenticationScheme, problem: AuthenticationProblem): WebhookReply {
    this.logger.warn({ scheme, outcome: 'unauthorized', problem }, 'webhook refused');
    return { status: 401, outcome: 'unauthorized', body: { error: 'not authenticated', problem } };
  }

  private retryLater(outcome: 'in-progress' | 'unavailable', error: string): WebhookReply {
    return { status: 503, outcome, body: { error }, retryAfterSeconds: RETRY_AFTER_SECONDS };
  }
}
