import { Agent, request } from 'undici';
import {
  PimcoreAuthenticationError,
  PimcoreError,
  PimcorePermanentError,
  PimcoreTransientError,
} from './pimcore-errors';
import { parseRetryAfterMs } from './retry-after';

export interface HttpCall {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  /** Sent as the JSON body. */
  readonly json?: unknown;
  /** What the call does, for error messages: "createProduct", "GET /api/products/42". */
  readonly action: string;
  readonly signal?: AbortSignal;
  /** Statuses the caller handles itself (REST 404 → null) instead of getting an error. */
  readonly expectedStatuses?: readonly number[];
}

export interface HttpAnswer {
  readonly status: number;
  /** The parsed JSON body of a 2xx answer; undefined for an expected error status. */
  readonly body: unknown;
}

export interface PimcoreHttpOptions {
  readonly timeoutMs: number;
  /** Sent with every call (authentication). */
  readonly headers: Readonly<Record<string, string>>;
}

/** Long enough for an HTML error page's gist, short enough for a log line or an SQS attribute. */
const MAX_MESSAGE_LENGTH = 300;

/**
 * JSON over HTTP to Pimcore with a per-call timeout, and every failure turned into a PimcoreError the
 * consumer can act on. One keep-alive connection pool per client; close() releases it.
 */
export class PimcoreHttp {
  private readonly agent = new Agent({ keepAliveTimeout: 10_000 });

  constructor(private readonly options: PimcoreHttpOptions) {}

  async call(call: HttpCall): Promise<HttpAnswer> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const signal = call.signal ? AbortSignal.any([timeout, call.signal]) : timeout;
    let status: number;
    let retryAfter: string | undefined;
    let text: string;
    try {
      const response = await request(call.url, {
        method: call.method,
        dispatcher: this.agent,
        signal,
        headers: {
          accept: 'application/json',
          ...(call.json === undefined ? {} : { 'content-type': 'application/json' }),
          ...this.options.headers,
        },
        body: call.json === undefined ? undefined : JSON.stringify(call.json),
      });
      status = response.statusCode;
      retryAfter = singleHeader(response.headers['retry-after']);
      text = await response.body.text();
    } catch (error) {
      throw this.noAnswerError(call, timeout, error);
    }
    const ok = status >= 200 && status <= 299;
    if (!ok && !call.expectedStatuses?.includes(status)) {
      throw errorForStatus(status, text, retryAfter, call.action);
    }
    return { status, body: ok ? parseJsonBody(text, status, call.action) : undefined };
  }

  close(): Promise<void> {
    return this.agent.close();
  }

  private noAnswerError(call: HttpCall, timeout: AbortSignal, cause: unknown): PimcoreError {
    if (call.signal?.aborted) {
      return new PimcoreTransientError('aborted', `${call.action} was aborted by the caller`, { cause });
    }
    if (timeout.aborted) {
      return new PimcoreTransientError(
        'timeout',
        `${call.action}: no answer within ${this.options.timeoutMs} ms`,
        {
          cause,
        },
      );
    }
    const reason = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    return new PimcoreTransientError('network', `${call.action}: ${reason}`, { cause });
  }
}

function singleHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function errorForStatus(
  status: number,
  text: string,
  retryAfter: string | undefined,
  action: string,
): PimcoreError {
  const pimcoreMessage = describeErrorBody(text);
  const message = `Pimcore answered ${status} to ${action}${pimcoreMessage ? `: ${pimcoreMessage}` : ''}`;
  const details = { status, pimcoreMessage };
  if (status === 401 || status === 403) {
    return new PimcoreAuthenticationError(
      `${message} (check PIMCORE_API_KEY and the endpoint's security settings)`,
      details,
    );
  }
  if (status === 408) return new PimcoreTransientError('timeout', message, details);
  const retryAfterMs = parseRetryAfterMs(retryAfter);
  if (status === 429) return new PimcoreTransientError('rate-limited', message, { ...details, retryAfterMs });
  if (status >= 500) return new PimcoreTransientError('server-error', message, { ...details, retryAfterMs });
  return new PimcorePermanentError('rejected', message, details);
}

function parseJsonBody(text: string, status: number, action: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new PimcorePermanentError(
      'unexpected-response',
      `Pimcore answered ${action} with ${status} and a body that is not JSON: ${truncate(text)}`,
      { status },
    );
  }
}

/** The gist of an error body: a JSON error's message (Symfony, Datahub, REST) or the text of an HTML page. */
function describeErrorBody(text: string): string | undefined {
  const fromJson = messageFromJson(text);
  const message = fromJson ?? text.replace(/<[^>]*>/g, ' ');
  const collapsed = truncate(message.replace(/\s+/g, ' ').trim());
  return collapsed === '' ? undefined : collapsed;
}

function messageFromJson(text: string): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(body)) return undefined;
  const firstError = Array.isArray(body.errors) && isRecord(body.errors[0]) ? body.errors[0] : {};
  const candidates = [body.message, body.error, body.detail, firstError.message, body.title];
  return candidates.find(
    (candidate): candidate is string => typeof candidate === 'string' && candidate !== '',
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function truncate(text: string): string {
  return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH)}…` : text;
}
