import type { IncomingMessage, ServerResponse } from 'node:http';
import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import { PimcoreWebhookService, type WebhookReply } from './pimcore-webhook.service';
import { BodyTooLargeError, readRawBody } from './raw-body';

/** A Datahub webhook body is a few KB; a larger one is not Pimcore's. */
export const MAX_WEBHOOK_BODY_BYTES = 64 * 1024;

/**
 * Reads the raw body itself (the app runs with bodyParser: false): the signature covers the bytes as
 * sent, and the status depends on the outcome (202, 200, 4xx, 503), so the reply is written here.
 */
@Controller('webhooks')
export class PimcoreWebhookController {
  constructor(@Inject(PimcoreWebhookService) private readonly webhook: PimcoreWebhookService) {}

  @Post('pimcore')
  async receive(@Req() request: IncomingMessage, @Res() response: ServerResponse): Promise<void> {
    let rawBody: Buffer;
    try {
      rawBody = await readRawBody(request, MAX_WEBHOOK_BODY_BYTES);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      return send(response, { status: 413, body: { error: 'payload too large', problem: error.message } });
    }
    send(response, await this.webhook.handle({ headers: request.headers, rawBody }));
  }
}

function send(response: ServerResponse, reply: WebhookReply): void {
  response.statusCode = reply.status;
  response.setHeader('Content-Type', 'application/json; charset=utf-8');
  if (reply.retryAfterSeconds !== undefined)
    response.setHeader('Retry-After', String(reply.retryAfterSeconds));
  response.end(JSON.stringify(reply.body));
}
