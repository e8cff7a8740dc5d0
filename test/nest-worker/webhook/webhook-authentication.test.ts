import type { WebhookConfig } from '../../../nest-worker/src/config/worker-config';
import { signPimcoreWebhook } from '../../../nest-worker/src/webhook/pimcore-signature';
import {
  checkCredentials,
  derivedDeliveryId,
  eventAgeProblem,
} from '../../../nest-worker/src/webhook/webhook-authentication';
import { verifyWebhookToken } from '../../../nest-worker/src/webhook/webhook-token';

const NOW = 1_800_000_000;
const SECRET = 'signing-secret-0123456789abcdef0123456789';
const TOKEN = 'datahub-token-0123456789abcdef0123456789';
const RETIRING_TOKEN = 'datahub-token-retiring-0123456789abcdef';
const config = (tokens: string[] = [TOKEN, RETIRING_TOKEN]): WebhookConfig => ({
  secrets: [SECRET],
  tokens,
  tokenMaxAgeSeconds: 3600,
  relayCoalesceSeconds: 900,
  eventBusName: 'products',
});
const body = Buffer.from('{"general":{},"subject":{}}');
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('verifyWebhookToken', () => {
  it.each([
    ['a bearer token', `Bearer ${TOKEN}`],
    ['a bearer token, scheme in other case', `bearer ${TOKEN}`],
    ['the retiring token during a rotation', `Bearer ${RETIRING_TOKEN}`],
    ['basic credentials with the token as password (URL user info)', basic('pimcore', TOKEN)],
    ['basic credentials whatever the user name', basic('anyone', TOKEN)],
  ])('accepts %s', (_name, authorization) => {
    expect(verifyWebhookToken(authorization, [TOKEN, RETIRING_TOKEN])).toEqual({ valid: true });
  });

  it.each([
    ['no header', undefined, 'missing-credentials'],
    ['an empty header', '', 'missing-credentials'],
    ['a scheme without credentials', 'Bearer', 'malformed-credentials'],
    ['another scheme', `Token ${TOKEN}`, 'malformed-credentials'],
    ['basic credentials that are not base64', 'Basic ***', 'malformed-credentials'],
    [
      'basic credentials without a colon',
      `Basic ${Buffer.from(TOKEN).toString('base64')}`,
      'malformed-credentials',
    ],
    ['a wrong token', 'Bearer datahub-token-0123456789abcdef012345678X', 'token-mismatch'],
    ['a prefix of the token', `Bearer ${TOKEN.slice(0, -1)}`, 'token-mismatch'],
    ['the token as the basic user name', basic(TOKEN, ''), 'token-mismatch'],
  ])('refuses %s', (_name, authorization, problem) => {
    expect(verifyWebhookToken(authorization, [TOKEN])).toEqual({ valid: false, problem });
  });
});

describe('checkCredentials', () => {
  const signedHeaders = (deliveryId: string) => {
    const timestamp = String(NOW);
    return {
      'x-pimcore-timestamp': timestamp,
      'x-pimcore-delivery': deliveryId,
      'x-pimcore-signature': signPimcoreWebhook(SECRET, { timestamp, deliveryId, rawBody: body }),
    };
  };

  it('judges a request with a signature as signed, whatever else it carries', () => {
    const headers = { ...signedHeaders('d-1'), authorization: `Bearer ${TOKEN}` };
    expect(checkCredentials(headers, body, config(), NOW)).toEqual({ valid: true, scheme: 'signed' });
    const forged = { ...signedHeaders('d-1'), 'x-pimcore-delivery': 'd-2', authorization: `Bearer ${TOKEN}` };
    expect(checkCredentials(forged, body, config(), NOW)).toEqual({
      valid: false,
      scheme: 'signed',
      problem: 'signature-mismatch',
    });
  });

  it('judges a request with only a timestamp as signed (missing signature)', () => {
    const headers = { 'x-pimcore-timestamp': String(NOW) };
    expect(checkCredentials(headers, body, config(), NOW)).toMatchObject({ problem: 'missing-signature' });
  });

  it('accepts a token when token mode is on', () => {
    expect(checkCredentials({ authorization: `Bearer ${TOKEN}` }, body, config(), NOW)).toEqual({
      valid: true,
      scheme: 'token',
    });
  });

  it('refuses a token while token mode is off, saying so', () => {
    expect(checkCredentials({ authorization: `Bearer ${TOKEN}` }, body, config([]), NOW)).toEqual({
      valid: false,
      scheme: 'token',
      problem: 'token-mode-off',
    });
  });

  it('names what is missing when nothing is sent', () => {
    expect(checkCredentials({}, body, config([]), NOW)).toMatchObject({ problem: 'missing-signature' });
    expect(checkCredentials({}, body, config(), NOW)).toMatchObject({ problem: 'missing-credentials' });
  });
});

describe('a token delivery’s age and key', () => {
  const publication = (timestamp?: number, name = 'pimcore.dataobject.postUpdate') => ({
    kind: 'publication' as const,
    detailType: 'ProductPublished' as const,
    pimcoreId: 42,
    event: { name, ...(timestamp === undefined ? {} : { timestamp }) },
  });

  it('takes events within the window, from the past and up to 5 minutes ahead (clock skew)', () => {
    expect(eventAgeProblem(publication(NOW - 3600), 3600, NOW)).toBeNull();
    expect(eventAgeProblem(publication(NOW + 300), 3600, NOW)).toBeNull();
  });

  it('refuses events outside it, or without a timestamp', () => {
    expect(eventAgeProblem(publication(NOW - 3601), 3600, NOW)).toBe('stale-event');
    expect(eventAgeProblem(publication(NOW + 301), 3600, NOW)).toBe('future-event');
    expect(eventAgeProblem(publication(undefined), 3600, NOW)).toBe('missing-event-timestamp');
  });

  it('derives one key for the same bytes and another for any other event, time or content', () => {
    const key = derivedDeliveryId(publication(NOW), body);
    expect(key).toMatch(/^datahub-[0-9a-f]{40}$/);
    expect(derivedDeliveryId(publication(NOW), Buffer.from(body))).toBe(key);
    expect(
      new Set([
        key,
        derivedDeliveryId(publication(NOW + 1), body),
        derivedDeliveryId(publication(NOW, 'pimcore.dataobject.postAdd'), body),
        derivedDeliveryId({ ...publication(NOW), pimcoreId: 43 }, body),
        derivedDeliveryId(publication(NOW), Buffer.from('{"general":{},"subject":{"x":1}}')),
      ]).size,
    ).toBe(5);
  });
});
