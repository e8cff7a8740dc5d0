import { JsonHttp, type HttpFailure } from '../http/json-http';
import {
  PimcoreAuthenticationError,
  PimcoreError,
  PimcorePermanentError,
  PimcoreTransientError,
} from './pimcore-errors';

export interface PimcoreHttpOptions {
  readonly timeoutMs: number;
  /** Sent with every call (authentication). */
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * JSON over HTTP to Pimcore: a JsonHttp whose failures become PimcoreErrors the consumer can act on.
 */
export class PimcoreHttp extends JsonHttp {
  constructor(options: PimcoreHttpOptions) {
    super({
      service: 'Pimcore',
      timeoutMs: options.timeoutMs,
      headers: options.headers,
      toError: pimcoreErrorFor,
    });
  }
}

/** 401/403 is configuration; 408, 429 and 5xx are worth retrying; any other 4xx is the request's fault. */
function pimcoreErrorFor(failure: HttpFailure): PimcoreError {
  if (failure.kind === 'no-answer') {
    return new PimcoreTransientError(failure.reason, failure.message, { cause: failure.cause });
  }
  if (failure.kind === 'not-json') {
    return new PimcorePermanentError('unexpected-response', failure.message, { status: failure.status });
  }
  const { status, message } = failure;
  const details = { status, pimcoreMessage: failure.serviceMessage };
  if (status === 401 || status === 403) {
    return new PimcoreAuthenticationError(
      `${message} (check PIMCORE_API_KEY and the endpoint's security settings)`,
      details,
    );
  }
  if (status === 408) return new PimcoreTransientError('timeout', message, details);
  const retry = { ...details, retryAfterMs: failure.retryAfterMs };
  if (status === 429) return new PimcoreTransientError('rate-limited', message, retry);
  if (status >= 500) return new PimcoreTransientError('server-error', message, retry);
  return new PimcorePermanentError('rejected', message, details);
}
