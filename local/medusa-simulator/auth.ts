import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { MedusaApiError } from './errors';

export interface AdminCredentials {
  readonly email: string;
  readonly password: string;
  readonly secretApiKey: string;
}

/**
 * Admin authentication as Medusa v2 accepts it: a session token from POST /auth/user/emailpass sent as
 * `Bearer`, or a secret API key sent as `Basic base64("sk_…:")`.
 */
export class AdminAuth {
  private readonly tokens = new Set<string>();

  constructor(private readonly credentials: AdminCredentials) {}

  login(body: unknown): string {
    const { email, password } = (body ?? {}) as { email?: unknown; password?: unknown };
    if (email !== this.credentials.email || password !== this.credentials.password) {
      throw new MedusaApiError('unauthorized', 'Invalid email or password');
    }
    const token = randomBytes(24).toString('base64url');
    this.tokens.add(token);
    return token;
  }

  isAuthorized(headers: IncomingHttpHeaders): boolean {
    const [scheme, value] = (headers.authorization ?? '').split(' ', 2);
    if (!value) return false;
    if (scheme?.toLowerCase() === 'bearer') return this.tokens.has(value);
    if (scheme?.toLowerCase() === 'basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      // The key is the user name; the password part is empty.
      const key = decoded.endsWith(':') ? decoded.slice(0, -1) : decoded;
      return sameText(key, this.credentials.secretApiKey);
    }
    return false;
  }

  /** As the session expiring: every issued token answers 401 until the client logs in again. */
  expireTokens(): void {
    this.tokens.clear();
  }
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
