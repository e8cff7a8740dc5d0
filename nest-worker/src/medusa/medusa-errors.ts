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
 * What went wrong talking to Medusa, sorted the way the relay acts on it: a transient error is worth
 * another attempt (backoff, honouring retryAfterMs), a permanent one goes to the DLQ with Medusa's
 * message, and an authentication error keeps the message for when an operator fixed the credentials.
 */
interface MedusaWords {
  /** Medusa's own words (`message` of its error body). */
  readonly medusaMessage?: string;
  /** Medusa's error `type`: invalid_data, not_found, duplicate_error, conflict, … */
  readonly medusaType?: string;
}

export type MedusaPermanentReason =
  | CommonPermanentReason
  /** The handle belongs to a product that is not this one (another external_id). */
  | 'handle-taken'
  /** The product cannot be expressed in Medusa as configured (e.g. no price in a required currency). */
  | 'unmappable';

export class MedusaTransientError extends TransientDownstreamError {
  override readonly name: string = 'MedusaTransientError';
  readonly medusaMessage: string | undefined;
  readonly medusaType: string | undefined;

  constructor(reason: TransientReason, message: string, details: TransientErrorDetails & MedusaWords = {}) {
    super(reason, message, details);
    this.medusaMessage = details.medusaMessage;
    this.medusaType = details.medusaType;
  }

  override get service(): string {
    return 'Medusa';
  }
}

export class MedusaPermanentError extends PermanentDownstreamError<MedusaPermanentReason> {
  override readonly name: string = 'MedusaPermanentError';
  readonly medusaMessage: string | undefined;
  readonly medusaType: string | undefined;

  constructor(
    reason: MedusaPermanentReason,
    message: string,
    details: DownstreamErrorDetails & MedusaWords = {},
  ) {
    super(reason, message, details);
    this.medusaMessage = details.medusaMessage;
    this.medusaType = details.medusaType;
  }

  override get service(): string {
    return 'Medusa';
  }
}

/** 401/403 (after a fresh login, for e-mail/password): the credentials are the operator's to fix. */
export class MedusaAuthenticationError extends MedusaPermanentError {
  override readonly name: string = 'MedusaAuthenticationError';

  constructor(message: string, details: DownstreamErrorDetails & MedusaWords = {}) {
    super('authentication', message, details);
  }
}

const MEDUSA_ERRORS: ServiceErrorClasses<MedusaWords> = {
  TransientError: MedusaTransientError,
  PermanentError: MedusaPermanentError,
  AuthenticationError: MedusaAuthenticationError,
  wordsOf: ({ serviceMessage, serviceType }) => ({ medusaMessage: serviceMessage, medusaType: serviceType }),
  // Medusa's 409 is "a concurrent request holds the resource" (e.g. an idempotency lock): retrying is
  // what its message asks for. Every other 4xx is the request's fault.
  conflictIsTransient: true,
  authenticationHint: 'check the MEDUSA_* credentials',
};

/** Medusa's answers → errors, by the status rules shared with Pimcore. */
export const medusaErrorFor = (failure: HttpFailure): DownstreamError =>
  downstreamErrorFor(failure, MEDUSA_ERRORS);
