import { createHmac, timingSafeEqual } from 'node:crypto';

/** Signed requests older or newer than this are refused, so a captured request cannot be replayed later. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;
const SIGNATURE_PATTERN = /^sha256=([0-9a-f]{64})$/;

export type SignatureProblem =
  | 'missing-timestamp'
  | 'invalid-timestamp'
  | 'stale-timestamp'
  | 'future-timestamp'
  | 'missing-signature'
  | 'malformed-signature'
  | 'signature-mismatch';

export type SignatureCheck =
  { readonly valid: true } | { readonly valid: false; readonly problem: SignatureProblem };

/** What the signature covers: the timestamp, the delivery id and the body, as sent. */
export interface SignedContent {
  readonly timestamp: string;
  readonly deliveryId: string;
  readonly rawBody: Buffer | string;
}

export interface SignedRequest extends Omit<SignedContent, 'timestamp'> {
  readonly timestamp: string | undefined;
  readonly signature: string | undefined;
}

/**
 * `sha256=<hex>` of HMAC-SHA256 over "<timestamp>.<delivery id>.<raw body>": what the shipped Pimcore
 * listener (pimcore/webhook-listener) computes. The delivery id is signed so that a captured request
 * resent under a fresh id fails the check instead of becoming a new delivery.
 */
export function signPimcoreWebhook(secret: string, content: SignedContent): string {
  const hmac = createHmac('sha256', secret);
  hmac.update(`${content.timestamp}.${content.deliveryId}.`);
  hmac.update(content.rawBody);
  return `sha256=${hmac.digest('hex')}`;
}

/**
 * Verifies a webhook's signature against every configured secret (two during a rotation: the new one
 * and the one being retired), comparing in constant time, and its timestamp against the clock.
 */
export function verifyPimcoreSignature(
  request: SignedRequest,
  secrets: readonly string[],
  nowSeconds: number = Math.floor(Date.now() / 1000),
): SignatureCheck {
  const { timestamp, signature } = request;
  if (!timestamp) return { valid: false, problem: 'missing-timestamp' };
  if (!/^\d{1,12}$/.test(timestamp)) return { valid: false, problem: 'invalid-timestamp' };
  const age = nowSeconds - Number(timestamp);
  if (age > SIGNATURE_TOLERANCE_SECONDS) return { valid: false, problem: 'stale-timestamp' };
  if (age < -SIGNATURE_TOLERANCE_SECONDS) return { valid: false, problem: 'future-timestamp' };
  if (!signature) return { valid: false, problem: 'missing-signature' };
  const given = SIGNATURE_PATTERN.exec(signature.trim().toLowerCase())?.[1];
  if (!given) return { valid: false, problem: 'malformed-signature' };

  const givenBytes = Buffer.from(given, 'hex');
  const content = { ...request, timestamp };
  // Every secret is tried (no early exit), so timing does not reveal which one matched.
  let matched = false;
  for (const secret of secrets) {
    const expected = Buffer.from(signPimcoreWebhook(secret, content).slice('sha256='.length), 'hex');
    matched = timingSafeEqual(expected, givenBytes) || matched;
  }
  return matched ? { valid: true } : { valid: false, problem: 'signature-mismatch' };
}
