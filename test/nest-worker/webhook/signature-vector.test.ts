import {
  signPimcoreWebhook,
  verifyPimcoreSignature,
} from '../../../nest-worker/src/webhook/pimcore-signature';
import vector from '../../../pimcore/webhook-listener/signature-vector.json';

/**
 * The signature against a value computed once outside this code base (see the fixture; the shipped PHP
 * listener is checked against the same one), so a change of the wire format fails here even when the
 * signer and the verifier change together.
 */
const NOW = Number(vector.timestamp);

/** The same text with its last character replaced by another one. */
const changeLast = (text: string) => `${text.slice(0, -1)}${text.endsWith('0') ? '1' : '0'}`;

interface VectorRequest {
  readonly timestamp: string;
  readonly deliveryId: string;
  readonly body: string;
  readonly signature: string;
}

const verify = (request: VectorRequest, secret = vector.secret) =>
  verifyPimcoreSignature({ ...request, rawBody: Buffer.from(request.body) }, [secret], NOW);

describe('the webhook signature (known-answer vector)', () => {
  it('signs the vector to exactly its literal signature, from text or raw bytes', () => {
    const { timestamp, deliveryId, body } = vector;
    expect(signPimcoreWebhook(vector.secret, { timestamp, deliveryId, rawBody: body })).toBe(
      vector.signature,
    );
    expect(signPimcoreWebhook(vector.secret, { timestamp, deliveryId, rawBody: Buffer.from(body) })).toBe(
      vector.signature,
    );
  });

  it("accepts the literal signature in the worker's verifier", () => {
    expect(verify(vector)).toEqual({ valid: true });
  });

  it.each([
    ['body', { ...vector, body: vector.body.replace('"id":42', '"id":43') }, vector.secret],
    ['timestamp', { ...vector, timestamp: changeLast(vector.timestamp) }, vector.secret],
    // A captured request resent under a fresh delivery id must not pass as a new delivery.
    ['delivery id', { ...vector, deliveryId: changeLast(vector.deliveryId) }, vector.secret],
    ['secret', vector, changeLast(vector.secret)],
  ])('refuses the literal signature when one character of the %s changed', (_part, request, secret) => {
    expect(verify(request, secret)).toEqual({ valid: false, problem: 'signature-mismatch' });
  });

  it('signs "<timestamp>.<delivery id>.<body>", not another joining of the same parts', () => {
    const { timestamp, deliveryId, body } = vector;
    const joinedOtherwise = { timestamp: `${timestamp}:${deliveryId}`, deliveryId: '', rawBody: body };
    expect(signPimcoreWebhook(vector.secret, joinedOtherwise)).not.toBe(vector.signature);
  });
});
