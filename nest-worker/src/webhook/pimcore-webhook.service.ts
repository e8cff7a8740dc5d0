import type { IncomingHttpHeaders } from 'node:http';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import type { WorkerConfig } from '../config/worker-config';
import { EVENT_BRIDGE, REDIS, WORKER_CONFIG } from '../config/injection-tokens';
import type { RedisConnection } from '../idempotency/redis-connection';
import { namespacedScope } from '../idempotency/redis-keys';
import { verifyPimcoreSignature } from './pimcore-signature';
import { readPimcoreWebhookBody } from './pimcore-webhook-payload';
import { ProductEventPublisher } from './product-event-publisher';
import { WebhookDeliveries, type DeliveryClaim } from './webhook-deliveries';

/**
 * What became of a webhook request, as logged and counted (`pipeline_webhook_requests_total`):
 * - accepted (202): the event is on the bus;
 * - duplicate (200): the delivery id was already accepted, no second event;
 * - ignored (200): an event or subject the pipeline does not handle;
 * - invalid (400): a body it cannot read, or a missing/invalid delivery id;
 * - unauthorized (401): the signature or its timestamp does not check out;
 * - too-large (413): a body over the limit;
 * - in-progress (503): another request is working on the same delivery id;
 * - unavailable (503): Redis could not record the delivery, or PutEvents failed or refused the event;
 * - error: an unexpected failure (e.g. the sender hung up while sending the body), answered by Nest.
 */
export const WEBHOOK_OUTCOMES = [
  'accepted',
  'duplicate',
  'ignored',
  'invalid',
  'unauthorized',
  'too-large',
  'in-progress',
  'unavailable',
  'error',
] as const;
export type WebhookOutcome = (typeof WEBHOOK_OUTCOMES)[number];

/** What the webhook answers: the sender retries on 503 (after Retry-After) and on no answer. */
export interface WebhookReply {
  readonly status: 200 | 202 | 400 | 401 | 413 | 503;
  /** Not sent: for the logs and metrics. */
  readonly outcome: Exclude<WebhookOutcome, 'error'>;
  readonly body: Readonly<Record<string, unknown>>;
  readonly retryAfterSeconds?: number;
}

export interface WebhookRequest {
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: Buffer;
}

/** Pimcore retries a failed delivery within hours; a day covers its retries with a margin. */
const DELIVERY_DONE_TTL_SECONDS = 24 * 3600;
/** Longer than a PutEvents call with the SDK's retries takes; then a crashed request's id is free again. */
const DELIVERY_PENDING_TTL_MS = 30_000;
const RETRY_AFTER_SECONDS = 5;
const DELIVERY_ID_PATTERN = /^[\w.:-]{1,200}$/;

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return typeof value === 'string' ? value : undefined;
};

/**
 * `POST /webhooks/pimcore`: checks the signature, reads the body, and puts ProductPublished or
 * ProductUnpublished on the products bus once per delivery id. It answers 202 only when the event is on
 * the bus, so a 2xx always means nothing is lost.
 */
@Injectable()
export class PimcoreWebhookService {
  private readonly deliveries: WebhookDeliveries;
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
      doneTtlSeconds: DELIVERY_DONE_TTL_SECONDS,
      pendingTtlMs: DELIVERY_PENDING_TTL_MS,
    });
    this.publisher = new ProductEventPublisher(eventBridge, config.webhook.eventBusName);
  }

  async handle({ headers, rawBody }: WebhookRequest): Promise<WebhookReply> {
    const receivedAt = new Date().toISOString();
    const signature = verifyPimcoreSignature(
      {
        timestamp: header(headers, 'x-pimcore-timestamp'),
        signature: header(headers, 'x-pimcore-signature'),
        rawBody,
      },
      this.config.webhook.secrets,
    );
    if (!signature.valid) {
      this.logger.warn({ outcome: 'unauthorized', problem: signature.problem }, 'webhook refused');
      return {
        status: 401,
        outcome: 'unauthorized',
        body: { error: 'invalid signature', problem: signature.problem },
      };
    }
    const deliveryId = header(headers, 'x-pimcore-delivery');
    if (deliveryId === undefined || !DELIVERY_ID_PATTERN.test(deliveryId)) {
      const problem = 'X-Pimcore-Delivery must be 1–200 characters of letters, digits, _ . : -';
      this.logger.warn({ outcome: 'invalid', problem }, 'webhook refused');
      return { status: 400, outcome: 'invalid', body: { error: 'invalid delivery id', problem } };
    }
    const verdict = readPimcoreWebhookBody(rawBody);
    if (verdict.kind === 'invalid') {
      this.logger.warn({ deliveryId, outcome: 'invalid', problem: verdict.problem }, 'webhook refused');
      return { status: 400, outcome: 'invalid', body: { error: 'invalid body', problem: verdict.problem } };
    }
    if (verdict.kind === 'ignored') {
      this.logger.info({ deliveryId, outcome: 'ignored', reason: verdict.reason }, 'webhook ignored');
      return { status: 200, outcome: 'ignored', body: { ignored: verdict.reason } };
    }

    const context = { deliveryId, pimcoreId: verdict.pimcoreId, detailType: verdict.detailType };
    let claim: DeliveryClaim;
    try {
      claim = await this.deliveries.claim(deliveryId);
    } catch (error) {
      this.logger.error({ ...context, outcome: 'unavailable', err: error }, 'webhook: Redis unavailable');
      return this.retryLater('unavailable', 'the delivery could not be recorded');
    }
    if (claim.state === 'done') {
      this.logger.info({ ...context, outcome: 'duplicate' }, 'webhook duplicate');
      return { status: 200, outcome: 'duplicate', body: { duplicate: true, eventId: claim.eventId } };
    }
    if (claim.state === 'in-progress') {
      this.logger.info({ ...context, outcome: 'in-progress' }, 'webhook: delivery being processed');
      return this.retryLater('in-progress', 'this delivery is being processed');
    }

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
      // Free the id so the sender's retry is processed, not taken for a duplicate.
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

  private retryLater(outcome: 'in-progress' | 'unavailable', error: string): WebhookReply {
    return { status: 503, outcome, body: { error }, retryAfterSeconds: RETRY_AFTER_SECONDS };
  }
}
