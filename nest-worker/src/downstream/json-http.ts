import { Agent, request } from 'undici';
import { parseRetryAfterMs } from './retry-after';

export interface JsonCall {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly url: string;
  /** Sent as the JSON body. */
  readonly json?: unknown;
  /** What the call does, for error messages: "createProduct", "POST /admin/products". */
  readonly action: string;
  readonly signal?: AbortSignal;
  /** Sent with this call only, after the client's own headers (e.g. a fresh Bearer token). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Statuses the caller handles itself (404 → null) instead of getting an error. */
  readonly expectedStatuses?: readonly number[];
}

export interface JsonAnswer {
  readonly status: number;
  /** The parsed JSON body of a 2xx answer; undefined for an expected error status. */
  readonly body: unknown;
}

/** Why a call failed, for the service's client to turn into its own error classes. */
export type HttpFailure =
  | {
      readonly kind: 'no-answer';
      /** aborted: the caller's signal ended it; timeout: the client's own deadline passed. */
      readonly reason: 'aborted' | 'timeout' | 'network';
      readonly message: string;
      readonly cause: unknown;
    }
  | {
      readonly kind: 'status';
      readonly status: number;
      readonly message: string;
      /** The service's own words from the error body. */
      readonly serviceMessage: string | undefined;
      /** The service's error type, when its body names one (Medusa: `type`). */
      readonly serviceType: string | undefined;
      readonly retryAfterMs: number | undefined;
    }
  | { readonly kind: 'not-json'; readonly status: number; readonly message: string };

export interface JsonHttpOptions {
  /** Names the service in messages: "Pimcore answered 500 to …". */
  readonly service: string;
  readonly timeoutMs: number;
  /** Sent with every call (authentication, fixed headers). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Turns a failure into the error the service's callers act on. */
  readonly toError: (failure: HttpFailure) => Error;
}

/** Long enough for an HTML error page's gist, short enough for a log line or an SQS attribute. */
const MAX_MESSAGE_LENGTH = 300;

/**
 * JSON over HTTP (undici) with a per-call timeout and one keep-alive pool per client. Every failure is
 * described once here (no answer, an error status with the service's message, a body that is not
 * JSON) and handed to the service's `toError`, so each downstream client only decides what is
 * transient and what is permanent.
 */
export class JsonHttp {
  private readonly agent = new Agent({ keepAliveTimeout: 10_000 });

  constructor(private readonly options: JsonHttpOptions) {}

  async call(call: JsonCall): Promise<JsonAnswer> {
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
          ...call.headers,
        },
        body: call.json === undefined ? undefined : JSON.stringify(call.json),
      });
      status = response.statusCode;
      retryAfter = singleHeader(response.headers['retry-after']);
      text = await response.body.text();
    } catch (error) {
      throw this.options.toError(this.noAnswer(call, timeout, error));
    }
    const ok = status >= 200 && status <= 299;
    if (!ok && !call.expectedStatuses?.includes(status)) {
      throw this.options.toError(this.statusFailure(status, text, retryAfter, call.action));
    }
    return { status, body: ok ? this.parseBody(text, status, call.action) : undefined };
  }

  close(): Promise<void> {
    return this.agent.close();
  }

  private noAnswer(call: JsonCall, timeout: AbortSignal, cause: unknown): HttpFailure {
    if (call.signal?.aborted) {
      return {
        kind: 'no-answer',
        reason: 'aborted',
        message: `${call.action} was aborted by the caller`,
        cause,
      };
    }
    if (timeout.aborted) {
      const message = `${call.action}: no answer within ${this.options.timeoutMs} ms`;
      return { kind: 'no-answer', reason: 'timeout', message, cause };
    }
    const reason = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    return { kind: 'no-answer', reason: 'network', message: `${call.action}: ${reason}`, cause };
  }

  private statusFailure(
    status: number,
    text: string,
    retryAfter: string | undefined,
    action: string,
  ): HttpFailure {
    const { message: serviceMessage, type: serviceType } = describeErrorBody(text);
    return {
      kind: 'status',
      status,
      message: `${this.options.service} answered ${status} to ${action}${serviceMessage ? `: ${serviceMessage}` : ''}`,
      serviceMessage,
      serviceType,
      retryAfterMs: parseRetryAfterMs(retryAfter),
    };
  }

  private parseBody(text: string, status: number, action: string): unknown {
    try {
      return JSON.parse(text);
    } catch {
      return this.failNotJson(text, status, action);
    }
  }

  private failNotJson(text: string, status: number, action: string): never {
    const message = `${this.options.service} answered ${action} with ${status} and a body that is not JSON: ${truncate(text)}`;
    throw this.options.toError({ kind: 'not-json', status, message });
  }
}

function singleHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The gist of an error body: a JSON error's message and type, or the text of an HTML page. */
function describeErrorBody(text: string): { message?: string; type?: string } {
  const json = parseRecord(text);
  const fromJson = json === undefined ? undefined : messageFromJson(json);
  const message = fromJson ?? text.replace(/<[^>]*>/g, ' ');
  const collapsed = truncate(message.replace(/\s+/g, ' ').trim());
  const type = typeof json?.type === 'string' ? json.type : undefined;
  return { message: collapsed === '' ? undefined : collapsed, type };
}

function parseRecord(text: string): Record<string, unknown> | undefined {
  try {
    const body: unknown = JSON.parse(text);
    return isRecord(body) ? body : undefined;
  } catch {
    return undefined;
  }
}

/** Symfony, Datahub, Pimcore REST and Medusa name their error text differently. */
function messageFromJson(body: Record<string, unknown>): string | undefined {
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
