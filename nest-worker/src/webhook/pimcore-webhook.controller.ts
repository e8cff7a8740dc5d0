import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import { WorkerMetrics } from '../observability/worker-metrics';
import {
  PimcoreWebhookService,
  WEBHOOK_OUTCOMES,
  type WebhookOutcome,
  type WebhookReply,
} from './pimcore-webhook.service';
import { BodyTooLargeError, readRawBody } from './raw-body';

/** A Datahub webhook body is a few KB; a larger one is not Pimcore's. */
export const MAX_WEBHOOK_BODY_BYTES = 64 * 1024;

/**
 * Reads the raw body itself (the app runs with bodyParser: false): the signature covers the bytes as
 * sent, and the status depends on the outcome (202, 200, 4xx, 503), so the reply is written here.
 * Every request is counted once, by outcome, with its time from arrival (before its body is read) to
 * the reply.
 */
@Controller('webhooks')
export class PimcoreWebhookController {
  constructor(
    @Inject(PimcoreWebhookService) private readonly webhook: PimcoreWebhookService,
    @Inject(WorkerMetrics) private readonly metrics: WorkerMetrics,
  ) {
    // Every outcome is exposed from the start (at 0), so rates and alerts on it have a series to read.
    for (const outcome of WEBHOOK_OUTCOMES) metrics.webhookRequests.inc({ outcome }, 0);
  }

  @Post('pimcore')
  async receive(@Req() request: IncomingMessage, @Res() response: ServerResponse): Promise<void> {
    const startedAt = performance.now();
    let outcome: WebhookOutcome = 'error';
    try {
      const reply = await this.reply(request);
      send(response, reply);
      outcome = reply.outcome;
    } finally {
      // On `error` the exception goes on to Nest, which answers 500 (if the sender still listens).
      this.metrics.webhookRequests.inc({ outcome });
      this.metrics.webhookDuration.observe({ outcome }, (performance.now() - startedAt) / 1000);
    }
  }

  private async reply(request: IncomingMessage): Promise<WebhookReply> {
    let rawBody: Buffer;
    try {
      rawBody = await readRawBody(request, MAX_WEBHOOK_BODY_BYTES);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      return {
        status: 413,
        outcome: 'too-large',
        body: { error: 'payload too large', problem: error.message },
      };
    }
    return this.webhook.handle({ headers: request.headers, rawBody });
  }
}

function send(response: ServerResponse, reply: WebhookReply): void {
  response.statusCode = reply.status;
  response.setHeader('Content-Type', 'application/json; charset=utf-8');
  if (reply.retryAfterSeconds !== undefined)
    response.setHeader('Retry-After', String(reply.retryAfterSeconds));
  response.end(JSON.stringify(reply.body));
}
