import { readFileSync } from 'node:fs';
import { COORDINATES_ENV, type RealMedusaCoordinates } from '../../local/real-medusa';

/** The real Medusa scripts/test-medusa.ts started for this run. */
export function realMedusa(): RealMedusaCoordinates {
  const file = process.env[COORDINATES_ENV];
  if (!file) {
    throw new Error(
      `${COORDINATES_ENV} is not set: run these tests with npm run test:medusa, which starts Medusa`,
    );
  }
  return JSON.parse(readFileSync(file, 'utf8')) as RealMedusaCoordinates;
}

/** What both the simulator and the real server expose; requests go to either the same way. */
export interface MedusaTarget {
  readonly url: string;
  readonly secretApiKey: string;
  readonly publishableKey: string;
  readonly region: { readonly id: string; readonly currency_code: string };
  readonly salesChannel: { readonly id: string };
  readonly stockLocation: { readonly id: string };
}

export interface Reply {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** Admin calls with the secret key as Basic, store calls with the publishable key. */
export class TargetClient {
  constructor(readonly target: MedusaTarget) {}

  admin(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<Reply> {
    const basic = Buffer.from(`${this.target.secretApiKey}:`).toString('base64');
    return this.send(method, path, body, { authorization: `Basic ${basic}` });
  }

  store(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Reply> {
    return this.send(method, path, body, { 'x-publishable-api-key': this.target.publishableKey });
  }

  async send(
    method: string,
    path: string,
    body: unknown,
    headers: Readonly<Record<string, string>>,
  ): Promise<Reply> {
    const response = await fetch(`${this.target.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: (text === '' ? {} : JSON.parse(text)) as Record<string, unknown>,
    };
  }
}

/** Ids differ between servers: `prod_01M8…` and `prod_RYD…` both read `prod_*`. */
export function withoutIds(text: string): string {
  return text.replace(
    /\b(prod|variant|iitem|sloc|sc|reg|cart|opt|optval|price|ilev|apk|cali)_[0-9A-Za-z]+/g,
    '$1_*',
  );
}

/** The part of an answer both servers must agree on: the status, and the error's type, code and message. */
export function outcome(reply: Reply): Record<string, unknown> {
  if (reply.status === 200) return { status: 200 };
  const { type, code, message, errors } = reply.body;
  return {
    status: reply.status,
    type,
    code,
    message: typeof message === 'string' ? withoutIds(message) : message,
    errors: Array.isArray(errors) ? errors.map((error) => withoutIds(String(error))) : errors,
  };
}
