import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The static credential a Datahub Webhooks subscriber can send, since it cannot compute an HMAC:
 * `Authorization: Bearer <token>` (a header in the subscriber's configuration), or `Authorization: Basic`
 * with the token as the password (credentials in the subscriber's URL, `https://pimcore:<token>@…`,
 * which the HTTP client turns into that header). The user name is not checked.
 */
export type TokenProblem = 'missing-credentials' | 'malformed-credentials' | 'token-mismatch';

export type TokenCheck = { readonly valid: true } | { readonly valid: false; readonly problem: TokenProblem };

export function verifyWebhookToken(authorization: string | undefined, tokens: readonly string[]): TokenCheck {
  if (!authorization) return { valid: false, problem: 'missing-credentials' };
  const given = presentedToken(authorization.trim());
  if (given === undefined) return { valid: false, problem: 'malformed-credentials' };
  // Digests of equal length, so the comparison's time reveals neither the token nor its length; every
  // configured token is tried (two during a rotation) without an early exit.
  const givenDigest = digest(given);
  let matched = false;
  for (const token of tokens) matched = timingSafeEqual(digest(token), givenDigest) || matched;
  return matched ? { valid: true } : { valid: false, problem: 'token-mismatch' };
}

function presentedToken(authorization: string): string | undefined {
  const [scheme, credentials, ...rest] = authorization.split(/\s+/);
  if (credentials === undefined || rest.length > 0) return undefined;
  if (/^bearer$/i.test(scheme)) return credentials;
  if (!/^basic$/i.test(scheme) || !/^[A-Za-z0-9+/]+={0,2}$/.test(credentials)) return undefined;
  const decoded = Buffer.from(credentials, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : decoded.slice(colon + 1);
}

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();
