import {
  downstreamErrorFor,
  PermanentDownstreamError,
  TransientDownstreamError,
  type CommonPermanentReason,
  type DownstreamError,
  type DownstreamErrorDetails,
  type ServiceErrorClasses,
  type TransientErrorDetails,
} from '../downstream/downstream-errors';
import type { TransientReason } from '../downstream/failure-verdict';
import type { HttpFailure } from '../downstream/json-http';

/**
 * What went wrong talking to Pimcore, sorted the way the consumer acts on it: a transient error is worth
 * another attempt (with backoff, honouring retryAfterMs), a permanent one is not and sends the message to
 * the DLQ with this error's message as the reason.
 */

interface PimcoreWords {
  /** Pimcore's own words (`message` of a `success:false`, a GraphQL error, an error body). */
  readonly pimcoreMessage?: string;
}

export type { TransientReason };

/**
 * 'rejected' is also a `success:false` for validation, parent or permissions; 'authentication' a wrong or
 * missing API key, or no such endpoint.
 */
export type PermanentReason =
  | CommonPermanentReason
  /** The GraphQL document does not fit the endpoint's schema: the Datahub configuration differs from ours. */
  | 'graphql'
  /** The object in Pimcore holds data that cannot be read back (e.g. an editor broke a JSON field). */
  | 'invalid-data';

/** Any of Pimcore's errors. */
export type PimcoreError = PimcoreTransientError | PimcorePermanentError;

export class PimcoreTransientError extends TransientDownstreamError {
  override readonly name: string = 'PimcoreTransientError';
  readonly pimcoreMessage: string | undefined;

  constructor(reason: TransientReason, message: string, details: TransientErrorDetails & PimcoreWords = {}) {
    super(reason, message, details);
    this.pimcoreMessage = details.pimcoreMessage;
  }

  override get service(): string {
    return 'Pimcore';
  }
}

export class PimcorePermanentError extends PermanentDownstreamError<PermanentReason> {
  override readonly name: string = 'PimcorePermanentError';
  readonly pimcoreMessage: string | undefined;

  constructor(reason: PermanentReason, message: string, details: DownstreamErrorDetails & PimcoreWords = {}) {
    super(reason, message, details);
    this.pimcoreMessage = details.pimcoreMessage;
  }

  override get service(): string {
    return 'Pimcore';
  }
}

/** 401/403: retrying cannot help until someone fixes PIMCORE_API_KEY or the endpoint's security settings. */
export class PimcoreAuthenticationError extends PimcorePermanentError {
  override readonly name: string = 'PimcoreAuthenticationError';

  constructor(message: string, details: DownstreamErrorDetails & PimcoreWords = {}) {
    super('authentication', message, details);
  }
}

const PIMCORE_ERRORS: ServiceErrorClasses<PimcoreWords> = {
  TransientError: PimcoreTransientError,
  PermanentError: PimcorePermanentError,
  AuthenticationError: PimcoreAuthenticationError,
  wordsOf: ({ serviceMessage }) => ({ pimcoreMessage: serviceMessage }),
  // A 409 from Pimcore is the request's fault.
  conflictIsTransient: false,
  authenticationHint: "check PIMCORE_API_KEY and the endpoint's security settings",
};

/** Pimcore's answers → errors, by the status rules shared with Medusa. */
export const pimcoreErrorFor = (failure: HttpFailure): DownstreamError =>
  downstreamErrorFor(failure, PIMCORE_ERRORS);
