import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { WebhookConfig } from '../config/worker-config';
import {
  SIGNATURE_TOLERANCE_SECONDS,
  verifyPimcoreSignature,
  type SignatureProblem,
} from './pimcore-signature';
import type { PayloadVerdict } from './pimcore-webhook-payload';
import { verifyWebhookToken, type TokenProblem } from './webhook-token';

/**
 * Who may post to the webhook, in one of two ways:
 * - **signed** (the shipped Pimcore listener): an HMAC over timestamp, delivery id and body;
 * - **token** (Datahub Webhooks, which cannot sign): a static credential, with the body's own
 *   `general.timestamp` as the replay window and, without a delivery id header, a delivery key derived
 *   from the event and the body.
 * A request carrying an `X-Pimcore-Signature` is judged as signed, anything else as token.
 */
export type AuthenticationScheme = 'signed' | 'token';

export type AuthenticationProblem =
  | SignatureProblem
  | TokenProblem
  | 'token-mode-off'
  | 'missing-event-timestamp'
  | 'stale-event'
  | 'future-event';

export type Credentials =
  | { readonly valid: true; readonly scheme: AuthenticationScheme }
  | { readonly valid: false; readonly scheme: AuthenticationScheme; readonly problem: AuthenticationProblem };

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return typeof value === 'string' ? value : undefined;
};

export const deliveryIdHeader = (headers: IncomingHttpHeaders): string | undefined =>
  header(headers, 'x-pimcore-delivery');

/** Checks the request's credentials (before its body is read). */
export function checkCredentials(
  headers: IncomingHttpHeaders,
  rawBody: Buffer,
  config: WebhookConfig,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): Credentials {
  const signature = header(headers, 'x-pimcore-signature');
  if (signature !== undefined || header(headers, 'x-pimcore-timestamp') !== undefined) {
    const check = verifyPimcoreSignature(
      {
        timestamp: header(headers, 'x-pimcore-timestamp'),
        deliveryId: deliveryIdHeader(headers) ?? '',
        signature,
        rawBody,
      },
      config.secrets,
      nowSeconds,
    );
    return check.valid ? { valid: true, scheme: 'signed' } : { ...check, scheme: 'signed' };
  }
  const authorization = header(headers, 'authorization');
  // Without any credentials, say what the default scheme lacks.
  if (authorization === undefined && config.tokens.length === 0) {
    return { valid: false, scheme: 'signed', problem: 'missing-signature' };
  }
  if (config.tokens.length === 0) return { valid: false, scheme: 'token', problem: 'token-mode-off' };
  const check = verifyWebhookToken(authorization, config.tokens);
  return check.valid ? { valid: true, scheme: 'token' } : { ...check, scheme: 'token' };
}

type Publication = Extract<PayloadVerdict, { kind: 'publication' }>;

/**
 * A token-authenticated publication's age, from the body's `general.timestamp` (the event's time, the
 * same on every retry of it): null when within the window.
 */
export function eventAgeProblem(
  publication: Publication,
  maxAgeSeconds: number,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): AuthenticationProblem | null {
  const timestamp = publication.event?.timestamp;
  if (timestamp === undefined) return 'missing-event-timestamp';
  if (nowSeconds - timestamp > maxAgeSeconds) return 'stale-event';
  if (timestamp - nowSeconds > SIGNATURE_TOLERANCE_SECONDS) return 'future-event';
  return null;
}

/**
 * The delivery key of a Datahub Webhooks request without a delivery id: its event, element and time,
 * and the body's digest, so a retry (the same bytes) is a duplicate while two saves of one object in the
 * same second, with different content, are two deliveries.
 */
export function derivedDeliveryId(publication: Publication, rawBody: Buffer): string {
  const digest = createHash('sha256')
    .update(
      `${publication.event?.name ?? ''}\n${publication.pimcoreId}\n${publication.event?.timestamp ?? ''}\n`,
    )
    .update(rawBody)
    .digest('hex');
  return `datahub-${digest.slice(0, 40)}`;
}
