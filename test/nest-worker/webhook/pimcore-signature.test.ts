import {
  signPimcoreWebhook,
  verifyPimcoreSignature,
  type SignedRequest,
} from '../../../nest-worker/src/webhook/pimcore-signature';

const NOW = 1_800_000_000;
const body = Buffer.from('{"event":"product.published","id":42}');
const current = 'current-secret-0123456789abcdef';
const previous = 'previous-secret-0123456789abcdef';
const deliveryId = 'pimcore-3f1c';
const signed = (secret: string, timestamp = String(NOW), raw: Buffer = body): SignedRequest => ({
  timestamp,
  deliveryId,
  signature: signPimcoreWebhook(secret, { timestamp, deliveryId, rawBody: raw }),
  rawBody: raw,
});
const check = (request: SignedRequest, secrets = [current, previous]) =>
  verifyPimcoreSignature(request, secrets, NOW);

describe('verifyPimcoreSignature', () => {
  it('accepts a request signed with the current secret', () => {
    expect(check(signed(current))).toEqual({ valid: true });
  });

  it('accepts the previous secret during a rotation, and refuses it once it is retired', () => {
    expect(check(signed(previous))).toEqual({ valid: true });
    expect(check(signed(previous), [current])).toEqual({ valid: false, problem: 'signature-mismatch' });
  });

  it('refuses a wrong secret', () => {
    expect(check(signed('someone-else'))).toEqual({ valid: false, problem: 'signature-mismatch' });
  });

  it('refuses a body changed after signing', () => {
    const request = signed(current);
    expect(check({ ...request, rawBody: Buffer.from('{"event":"product.published","id":43}') })).toEqual({
      valid: false,
      problem: 'signature-mismatch',
    });
  });

  it('refuses the signed request resent under another delivery id (a replay as a new delivery)', () => {
    expect(check({ ...signed(current), deliveryId: 'pimcore-3f1d' })).toEqual({
      valid: false,
      problem: 'signature-mismatch',
    });
  });

  it('refuses a timestamp changed after signing', () => {
    const request = signed(current);
    expect(check({ ...request, timestamp: String(NOW - 1) })).toEqual({
      valid: false,
      problem: 'signature-mismatch',
    });
  });

  it.each([
    [String(NOW - 301), 'stale-timestamp'],
    [String(NOW + 301), 'future-timestamp'],
    ['', 'missing-timestamp'],
    ['12a', 'invalid-timestamp'],
    ['-5', 'invalid-timestamp'],
  ])('refuses timestamp %j (%s)', (timestamp, problem) => {
    expect(check(signed(current, timestamp))).toEqual({ valid: false, problem });
  });

  it('accepts timestamps at the edges of the ±5 minute window', () => {
    expect(check(signed(current, String(NOW - 300)))).toEqual({ valid: true });
    expect(check(signed(current, String(NOW + 300)))).toEqual({ valid: true });
  });

  it.each([
    ['missing', undefined, 'missing-signature'],
    ['truncated', (s: string) => s.slice(0, -2), 'malformed-signature'],
    ['non-hex', (s: string) => `${s.slice(0, -1)}z`, 'malformed-signature'],
    ['without the sha256= prefix', (s: string) => s.slice('sha256='.length), 'malformed-signature'],
    ['another algorithm', (s: string) => s.replace('sha256=', 'sha1='), 'malformed-signature'],
  ])('refuses a %s signature', (_label, mangle, problem) => {
    const request = signed(current);
    const signature = mangle ? mangle(request.signature!) : undefined;
    expect(check({ ...request, signature })).toEqual({ valid: false, problem });
  });

  it('accepts upper-case hex', () => {
    const request = signed(current);
    expect(
      check({ ...request, signature: request.signature!.toUpperCase().replace('SHA256=', 'sha256=') }),
    ).toEqual({
      valid: true,
    });
  });
});
