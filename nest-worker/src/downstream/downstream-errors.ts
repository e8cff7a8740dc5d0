import { judgeHttpFailure, type TransientReason } from './failure-verdict';
import type { HttpFailure } from './json-http';

/** The refusals every service can give; each service adds its own. */
export type CommonPermanentReason =
  /** The service refused the request or the data (4xx): its message says why. */
  | 'rejected'
  /** The answer is not what the API promises (not JSON, missing fields). */
  | 'unexpected-response'
  /** 401/403: wrong or missing credentials, a configuration problem and not a product problem. */
  | 'authentication';

export interface DownstreamErrorDetails {
  /** HTTP status of the service's answer; absent when no answer came (network error, timeout, abort). */
  readonly status?: number;
  readonly cause?: unknown;
}

export interface TransientErrorDetails extends DownstreamErrorDetails {
  /** From Retry-After (409 where transient, 429, 5xx), when the service sent one. */
  readonly retryAfterMs?: number;
}

/**
 * What went wrong talking to a downstream service (Pimcore, Medusa), sorted the way its callers act on
 * it: every error is transient or permanent. Each service declares its own class of each kind, with its
 * own fields and its `name` (what logs show: PimcoreTransientError, …) (pimcore-errors.ts, medusa-errors.ts).
 */
export abstract class DownstreamError extends Error {
  /** "Pimcore", "Medusa", for outcome reasons; a getter in each class, so logs show no extra field. */
  abstract readonly service: string;
  readonly status: number | undefined;

  protected constructor(message: string, details: DownstreamErrorDetails) {
    super(message, { cause: details.cause });
    this.status = details.status;
  }
}

/** Worth another attempt (with backoff, honouring retryAfterMs). */
export abstract class TransientDownstreamError extends DownstreamError {
  readonly retryAfterMs: number | undefined;

  protected constructor(
    readonly reason: TransientReason,
    message: string,
    details: TransientErrorDetails,
  ) {
    super(message, details);
    this.retryAfterMs = details.retryAfterMs;
  }
}

/**
 * Not worth another attempt: the message goes to the DLQ with this error's message as the detail —
 * unless the reason is 'authentication' (each service's AuthenticationError, and only that), which the
 * operator fixes and the message waits for.
 */
export abstract class PermanentDownstreamError<Reason extends string = string> extends DownstreamError {
  protected constructor(
    readonly reason: Reason,
    message: string,
    details: DownstreamErrorDetails,
  ) {
    super(message, details);
  }
}

/** What JsonHttp read from an error status's body; undefined when no status came. */
interface ServiceWords {
  readonly serviceMessage: string | undefined;
  readonly serviceType: string | undefined;
}

const NO_WORDS: ServiceWords = { serviceMessage: undefined, serviceType: undefined };

/** A service's error classes and what its answers mean, for downstreamErrorFor. */
export interface ServiceErrorClasses<Words> {
  readonly TransientError: new (
    reason: TransientReason,
    message: string,
    details: TransientErrorDetails & Words,
  ) => TransientDownstreamError;
  readonly PermanentError: new (
    reason: 'rejected' | 'unexpected-response',
    message: string,
    details: DownstreamErrorDetails & Words,
  ) => PermanentDownstreamError;
  /** A PermanentError for 401/403: the credentials are the operator's to fix. */
  readonly AuthenticationError: new (
    message: string,
    details: DownstreamErrorDetails & Words,
  ) => PermanentDownstreamError;
  /** An error status's words under the service's own field names (pimcoreMessage; medusaMessage, …). */
  readonly wordsOf: (words: ServiceWords) => Words;
  /** The service's 409 means "a concurrent request holds it, come back later" (see judgeHttpFailure). */
  readonly conflictIsTransient: boolean;
  /** Appended to an authentication error's message: "check PIMCORE_API_KEY …". */
  readonly authenticationHint: string;
}

/** A failed call → one of the service's errors, by judgeHttpFailure's status rules. */
export function downstreamErrorFor<Words>(
  failure: HttpFailure,
  service: ServiceErrorClasses<Words>,
): DownstreamError {
  const verdict = judgeHttpFailure(failure, service);
  const details = {
    ...service.wordsOf(failure.kind === 'status' ? failure : NO_WORDS),
    status: verdict.status,
    cause: failure.kind === 'no-answer' ? failure.cause : undefined,
  };
  switch (verdict.kind) {
    case 'authentication':
      return new service.AuthenticationError(`${failure.message} (${service.authenticationHint})`, details);
    case 'transient':
      return new service.TransientError(verdict.reason, failure.message, {
        ...details,
        retryAfterMs: verdict.retryAfterMs,
      });
    case 'permanent':
      return new service.PermanentError(verdict.reason, failure.message, details);
  }
}
