import type { JsonHttp } from '../downstream/json-http';
import type { MedusaCredentials } from './medusa-config';
import { MedusaPermanentError } from './medusa-errors';

type Headers = Readonly<Record<string, string>>;

/** The Authorization header of admin calls, and what to do when Medusa refuses it. */
export interface MedusaAuth {
  headers(signal?: AbortSignal): Promise<Headers>;
  /**
   * Medusa answered 401 to a call made with `used`: forget them if they are still the current ones.
   * True when fresh headers may succeed (a new login), false when they would be the same (a key).
   */
  invalidate(used: Headers): boolean;
}

export function createMedusaAuth(
  credentials: MedusaCredentials,
  http: JsonHttp,
  baseUrl: string,
): MedusaAuth {
  return credentials.kind === 'secret-api-key'
    ? new SecretKeyAuth(credentials.secretApiKey)
    : new EmailPasswordAuth(credentials.email, credentials.password, http, baseUrl);
}

/** `Authorization: Basic base64("sk_…:")`: the key is the user name, the password is empty. */
class SecretKeyAuth implements MedusaAuth {
  private readonly value: Headers;

  constructor(secretApiKey: string) {
    this.value = { authorization: `Basic ${Buffer.from(`${secretApiKey}:`).toString('base64')}` };
  }

  headers(): Promise<Headers> {
    return Promise.resolve(this.value);
  }

  invalidate(): boolean {
    return false;
  }
}

/**
 * An admin user's JWT from `POST /auth/user/emailpass`, shared by every call until Medusa refuses it
 * (expired, secret rotated); then one new login serves all the calls that were refused meanwhile.
 */
class EmailPasswordAuth implements MedusaAuth {
  private current: Promise<Headers> | undefined;
  /** The Authorization value `current` resolved to, once it did. */
  private currentValue: string | undefined;

  constructor(
    private readonly email: string,
    private readonly password: string,
    private readonly http: JsonHttp,
    private readonly baseUrl: string,
  ) {}

  headers(signal?: AbortSignal): Promise<Headers> {
    if (this.current === undefined) {
      const login = this.login(signal);
      this.current = login;
      this.currentValue = undefined;
      login.then(
        (headers) => {
          if (this.current === login) this.currentValue = headers.authorization;
        },
        // A failed login is not kept: the next call tries again.
        () => {
          if (this.current === login) this.current = undefined;
        },
      );
    }
    return this.current;
  }

  invalidate(used: Headers): boolean {
    // Another refused call may have logged in again already: keep that newer token.
    if (this.currentValue === used.authorization) {
      this.current = undefined;
      this.currentValue = undefined;
    }
    return true;
  }

  private async login(signal?: AbortSignal): Promise<Headers> {
    const { body } = await this.http.call({
      method: 'POST',
      url: `${this.baseUrl}/auth/user/emailpass`,
      json: { email: this.email, password: this.password },
      action: 'POST /auth/user/emailpass',
      signal,
    });
    const token = (body as { token?: unknown } | undefined)?.token;
    if (typeof token !== 'string' || token === '') {
      throw new MedusaPermanentError('unexpected-response', 'Medusa answered the login without a token');
    }
    return { authorization: `Bearer ${token}` };
  }
}
