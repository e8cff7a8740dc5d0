import { signatureHeaders } from '../../../local/pimcore-simulator/webhook-sender';
import {
  signPimcoreWebhook,
  verifyPimcoreSignature,
} from '../../../nest-worker/src/webhook/pimcore-signature';
import vector from './signature-vector.json';

/**
 * The signature against a value computed once outside this code base (see the fixture), so a change
 * of the wire format fails here even when the signer and the verifier change together.
 */
const NOW = Number(vector.timestamp);

/** The same text with its last character replaced by another one. */
const changeLast = (text: string) => `${text.slice(0, -1)}${text.endsWith('0') ? '1' : '0'}`;

const verify = (request: { timestamp: string; body: string; signature: string }, secret = vector.secret) =>
  verifyPimcoreSignature(
    { timestamp: request.timestamp, signature: request.signature, rawBody: Buffer.from(request.body) },
    [secret],
    NOW,
  );

describe('the webhook signature (known-answer vector)', () => {
  it('signs the vector to exactly its literal signature, from text or raw bytes', () => {
    expect(signPimcoreWebhook(vector.secret, vector.timestamp, vector.body)).toBe(vector.signature);
    expect(signPimcoreWebhook(vector.secret, vector.timestamp, Buffer.from(vector.body))).toBe(
      vector.signature,
    );
  });

  it("accepts the literal signature in the worker's verifier", () => {
    expect(verify(vector)).toEqual({ valid: true });
  });

  it.each([
    ['body', { ...vector, body: vector.body.replace('"id":42', '"id":43') }, vector.secret],
    ['timestamp', { ...vector, timestamp: changeLast(vector.timestamp) }, vector.secret],
    ['secret', vector, changeLast(vector.secret)],
  ])('refuses the literal signature when one character of the %s changed', (_part, request, secret) => {
    expect(verify(request, secret)).toEqual({ valid: false, problem: 'signature-mismatch' });
  });

  it("gets the same literal headers from the Pimcore simulator's sender", () => {
    expect(signatureHeaders(vector.secret, vector.timestamp, vector.body)).toEqual({
      'x-pimcore-timestamp': vector.timestamp,
      'x-pimcore-signature': vector.signature,
    });
  });
});
