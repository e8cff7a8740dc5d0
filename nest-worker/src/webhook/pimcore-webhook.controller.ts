import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { WorkerMetrics } from '../observability/worker-metrics';
import {
  PimcoreWebhookService,
  WEBHOOK_OUTCOMES,
  type WebhookOutcome,
  type WebhookReply,
} from './pimcore-webhook.service';
import { BodyTooLargeError, readRawBody, RequestAbortedError, RequestTimedOutError } from './raw-body';

/** A Datahub webhook body is a few KB; a larger one is not Pimcore's. */
export const MAX_WEBHOOK_BODY_BYTES = 64 * 1024;

/**
 * `application/json`, with or without parameters (`; charset=utf-8`), in any case. Both senders (the
 * shipped listener, Datahub Webhooks) send it; text, forms and other types are refused unread.
 */
const JSON_CONTENT_TYPE = /^application\/json[ \t]*(?:;.*)?$/i;
const UNSUPPORTED_MEDIA_TYPE: WebhookReply = {
  status: 415,
  outcome: 'unsupported-media-type',
  body: { error: 'unsupported media type', problem: 'Content-Type must be application/json' },
};

/**
 * Reads the raw body itself (the app runs with bodyParser: false): the signature covers the bytes as
 * sent, and the status depends on the outcome (202, 200, 4xx, 503), so the reply is written here.
 * Every request is counted once, by outcome, with its time from arrival (before its body is read) to
 * the reply (or to the end of a request that got none), and logged once, with its `outcome` (here or
 * by the service).
 */
@Controller('webhooks')
export class PimcoreWebhookController {
  constructor(
    @Inject(PimcoreWebhookService) private readonly webhook: PimcoreWebhookService,
    @Inject(WorkerMetrics) private readonly metrics: WorkerMetrics,
    @Inject(PinoLogger) private readonly logger: PinoLogger,
  ) {
    logger.setContext('PimcoreWebhook');
    // Every outcome is exposed from the start (at 0), so rates and alerts on it have a series to read.
    for (const outcome of WEBHOOK_OUTCOMES) metrics.webhookRequests.inc({ outcome }, 0);
  }

  @Post('pimcore')
  async receive(@Req() request: IncomingMessage, @Res() response: ServerResponse): Promise<void> {
    const startedAt = performance.now();
    let outcome: WebhookOutcome = 'error';
    try {
      const reply = await this.reply(request);
      outcome = reply.outcome;
      if (reply.status !== undefined) send(response, reply);
    } catch (error) {
      // Logged here rather than left to Nest's exception handler, so that this request too has its one
      // line with its `outcome` (the route gets no access line: worker.module.ts). Answered as Nest would.
      this.logger.error({ outcome: 'error', err: error }, 'webhook failed');
      if (!response.headersSent) {
        response.statusCode = 500;
        response.setHeader('Content-Type', 'application/json; charset=utf-8');
        response.end(JSON.stringify({ statusCode: 500, message: 'Internal server error' }));
      } else if (!response.writableEnded) {
        response.destroy();
      }
    } finally {
      this.metrics.webhookRequests.inc({ outcome });
      this.metrics.webhookDuration.observe({ outcome }, (performance.now() - startedAt) / 1000);
    }
  }

  private async reply(request: IncomingMessage): Promise<WebhookReply | NoReply> {
    // Before the body is read: a sender of another type is answered without waiting for its body.
    const contentType = request.headers['content-type'];
    if (contentType === undefined || !JSON_CONTENT_TYPE.test(contentType)) {
      this.logger.warn(
        { outcome: 'unsupported-media-type', contentType: contentType?.slice(0, 100) ?? null },
        'webhook refused',
      );
      return UNSUPPORTED_MEDIA_TYPE;
    }
    let rawBody: Buffer;
    try {
      rawBody = await readRawBody(request, MAX_WEBHOOK_BODY_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        this.logger.warn({ outcome: 'too-large', problem: error.message }, 'webhook refused');
        return {
          status: 413,
          outcome: 'too-large',
          body: { error: 'payload too large', problem: error.message },
        };
      }
      // The connection is gone: nobody to answer, and nothing unexpected (no stack). Counted apart.
      if (error instanceof RequestTimedOutError) {
        this.logger.warn(
          { outcome: 'timeout', problem: error.message },
          'webhook: the request was not received in time (answered 408)',
        );
        return { outcome: 'timeout' };
      }
      if (error instanceof RequestAbortedError) {
        this.logger.warn(
          { outcome: 'aborted', problem: error.message },
          'webhook: the sender hung up before its body was complete',
        );
        return { outcome: 'aborted' };
      }
      throw error;
    }
    return this.webhook.handle({ headers: request.headers, rawBody });
  }
}

/** A request that ended without a reply from here: Node answered it (408), or the sender left. */
interface NoReply {
  readonly status?: undefined;
  readonly outcome: 'timeout' | 'aborted';
}

function send(response: ServerResponse, reply: WebhookReply): void {
  response.statusCode = reply.status;
  response.setHeader('Content-Type', 'application/json; charset=utf-8');
  if (reply.retryAfterSeconds !== undefined)
    response.setHeader('Retry-After', String(reply.retryAfterSeconds));
  response.end(JSON.stringify(reply.body));
}
