import { judgeHttpFailure } from '../http/failure-verdict';
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

/** Pimcore's answers → errors, by the status rules shared with Medusa (a 409 is the request's fault). */
function pimcoreErrorFor(failure: HttpFailure): PimcoreError {
  const verdict = judgeHttpFailure(failure);
  const details = {
    status: verdict.status,
    ...(failure.kind === 'status' ? { pimcoreMessage: failure.serviceMessage } : {}),
    ...(failure.kind === 'no-answer' ? { cause: failure.cause } : {}),
  };
  switch (verdict.kind) {
    case 'authentication':
      return new PimcoreAuthenticationError(
        `${failure.message} (check PIMCORE_API_KEY and the endpoint's security settings)`,
        details,
      );
    case 'transient':
      return new PimcoreTransientError(verdict.reason, failure.message, {
        ...details,
        retryAfterMs: verdict.retryAfterMs,
      });
    case 'permanent':
      return new PimcorePermanentError(verdict.reason, failure.message, details);
  }
}
