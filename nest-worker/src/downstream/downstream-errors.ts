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

/** What JsonHttp read from an error status's body, for a service to keep under its own field names. */
type ServiceWords = 'serviceMessage' | 'serviceType';

/** What an error is built from: `Fields` are the service's own (pimcoreMessage; medusaMessage, medusaType). */
export type DownstreamErrorDetails<Fields> = Partial<Fields> & {
  /** HTTP status of the service's answer; absent when no answer came (network error, timeout, abort). */
  readonly status?: number;
  readonly cause?: unknown;
};

/** Any error of a service: the status of its answer, if one came, and the service's own fields. */
export type DownstreamError<Fields> = Error & Readonly<Fields> & { readonly status: number | undefined };

export type TransientDownstreamError<Fields> = DownstreamError<Fields> & {
  readonly reason: TransientReason;
  /** From Retry-After (409 where transient, 429, 5xx), when the service sent one. */
  readonly retryAfterMs: number | undefined;
};

export type PermanentDownstreamError<Fields, Reason extends string> = DownstreamError<Fields> & {
  readonly reason: Reason;
};

/** One service's error classes, `${service}Error` and the three kinds of it, and its mapping of failures. */
export interface DownstreamErrors<Fields, Reason extends string> {
  /** Abstract: every error is one of the three below. */
  readonly ServiceError: abstract new (
    message: string,
    details: DownstreamErrorDetails<Fields>,
  ) => DownstreamError<Fields>;
  /** Worth another attempt (with backoff, honouring retryAfterMs). */
  readonly TransientError: new (
    reason: TransientReason,
    message: string,
    details?: DownstreamErrorDetails<Fields> & { readonly retryAfterMs?: number },
  ) => TransientDownstreamError<Fields>;
  /** Not worth another attempt: the message goes to the DLQ with this error's message as the reason. */
  readonly PermanentError: new (
    reason: Reason,
    message: string,
    details?: DownstreamErrorDetails<Fields>,
  ) => PermanentDownstreamError<Fields, Reason>;
  /** A PermanentError for 401/403: the credentials are the operator's to fix. */
  readonly AuthenticationError: new (
    message: string,
    details?: DownstreamErrorDetails<Fields>,
  ) => PermanentDownstreamError<Fields, 'authentication'>;
  /** A failed call → one of these errors, by judgeHttpFailure's status rules. */
  readonly errorFor: (failure: HttpFailure) => DownstreamError<Fields>;
}

export interface DownstreamErrorsOptions<Fields> {
  /** Names the classes: "Pimcore" → PimcoreError, PimcoreTransientError, … */
  readonly service: string;
  /** Each of the service's own fields, and which of an error status's words it holds. */
  readonly fields: { readonly [Field in keyof Fields]-?: ServiceWords };
  /** The service's 409 means "a concurrent request holds it, come back later" (see judgeHttpFailure). */
  readonly conflictIsTransient: boolean;
  /** Appended to an authentication error's message: "check PIMCORE_API_KEY …". */
  readonly authenticationHint: string;
}

/**
 * The error classes of a downstream service (Pimcore, Medusa), sorted the way its callers act on them.
 * The services' errors differ only in their names, their own fields, their permanent reasons and
 * what a 409 means; everything else is here once.
 */
export function downstreamErrors<
  Fields extends { readonly [Field in keyof Fields]: string | undefined },
  Reason extends string,
>(options: DownstreamErrorsOptions<Fields>): DownstreamErrors<Fields, Reason | CommonPermanentReason> {
  type Details = DownstreamErrorDetails<Fields>;
  const fieldNames = Object.keys(options.fields) as (keyof Fields)[];

  abstract class ServiceError extends Error {
    readonly status: number | undefined;

    protected constructor(message: string, details: Details) {
      super(message, { cause: details.cause });
      this.status = details.status;
      for (const field of fieldNames) Object.assign(this, { [field]: details[field] });
    }
  }

  class TransientError extends ServiceError {
    override readonly name: string = `${options.service}TransientError`;
    readonly retryAfterMs: number | undefined;

    constructor(
      readonly reason: TransientReason,
      message: string,
      details: Details & { readonly retryAfterMs?: number } = {},
    ) {
      super(message, details);
      this.retryAfterMs = details.retryAfterMs;
    }
  }

  class PermanentError extends ServiceError {
    override readonly name: string = `${options.service}PermanentError`;

    constructor(
      readonly reason: Reason | CommonPermanentReason,
      message: string,
      details: Details = {},
    ) {
      super(message, details);
    }
  }

  class AuthenticationError extends PermanentError {
    override readonly name: string = `${options.service}AuthenticationError`;

    constructor(message: string, details: Details = {}) {
      super('authentication', message, details);
    }
  }

  function errorFor(failure: HttpFailure): ServiceError {
    const verdict = judgeHttpFailure(failure, { conflictIsTransient: options.conflictIsTransient });
    const details: Details = {
      status: verdict.status,
      ...wordsOf(failure),
      ...(failure.kind === 'no-answer' ? { cause: failure.cause } : {}),
    };
    switch (verdict.kind) {
      case 'authentication':
        return new AuthenticationError(`${failure.message} (${options.authenticationHint})`, details);
      case 'transient':
        return new TransientError(verdict.reason, failure.message, {
          ...details,
          retryAfterMs: verdict.retryAfterMs,
        });
      case 'permanent':
        return new PermanentError(verdict.reason, failure.message, details);
    }
  }

  /** An error status's words under the service's field names; nothing when no status came. */
  function wordsOf(failure: HttpFailure): Partial<Fields> {
    if (failure.kind !== 'status') return {};
    const words = fieldNames.map((field) => [field, failure[options.fields[field]]]);
    return Object.fromEntries(words) as Partial<Fields>;
  }

  // TypeScript cannot see the service's fields on classes declared over a type parameter; the
  // ServiceError constructor sets each of them.
  const classes = {
    ServiceError: named(ServiceError, `${options.service}Error`),
    TransientError: named(TransientError, `${options.service}TransientError`),
    PermanentError: named(PermanentError, `${options.service}PermanentError`),
    AuthenticationError: named(AuthenticationError, `${options.service}AuthenticationError`),
  };
  return { ...classes, errorFor } as unknown as DownstreamErrors<Fields, Reason | CommonPermanentReason>;
}

/** The class name stack traces and util.inspect show, as if the class had been declared by that name. */
function named<Class extends object>(constructor: Class, name: string): Class {
  return Object.defineProperty(constructor, 'name', { value: name });
}
