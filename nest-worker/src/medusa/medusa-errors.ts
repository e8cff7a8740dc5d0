import { judgeHttpFailure } from '../http/failure-verdict';
import type { HttpFailure } from '../http/json-http';

/**
 * What went wrong talking to Medusa, sorted the way the relay acts on it: a transient error is worth
 * another attempt (backoff, honouring retryAfterMs), a permanent one goes to the DLQ with Medusa's
 * message, and an authentication error keeps the message for when an operator fixed the credentials.
 */
interface MedusaErrorDetails {
  /** HTTP status of Medusa's answer; absent when no answer came. */
  readonly status?: number;
  /** Medusa's own words (`message` of its error body). */
  readonly medusaMessage?: string;
  /** Medusa's error `type`: invalid_data, not_found, duplicate_error, conflict, … */
  readonly medusaType?: string;
  readonly cause?: unknown;
}

export abstract class MedusaError extends Error {
  readonly status: number | undefined;
  readonly medusaMessage: string | undefined;
  readonly medusaType: string | undefined;

  protected constructor(message: string, details: MedusaErrorDetails) {
    super(message, { cause: details.cause });
    this.status = details.status;
    this.medusaMessage = details.medusaMessage;
    this.medusaType = details.medusaType;
  }
}

export type MedusaTransientReason =
  'network' | 'timeout' | 'aborted' | 'server-error' | 'rate-limited' | 'conflict';

export class MedusaTransientError extends MedusaError {
  override readonly name: string = 'MedusaTransientError';
  readonly retryAfterMs: number | undefined;

  constructor(
    readonly reason: MedusaTransientReason,
    message: string,
    details: MedusaErrorDetails & { readonly retryAfterMs?: number } = {},
  ) {
    super(message, details);
    this.retryAfterMs = details.retryAfterMs;
  }
}

export type MedusaPermanentReason =
  /** Medusa refused the request or the data (4xx): its message says why. */
  | 'rejected'
  /** The handle belongs to a product that is not this one (another external_id). */
  | 'handle-taken'
  /** The product cannot be expressed in Medusa as configured (e.g. no price in a required currency). */
  | 'unmappable'
  /** The answer is not what the API promises. */
  | 'unexpected-response'
  | 'authentication';

export class MedusaPermanentError extends MedusaError {
  override readonly name: string = 'MedusaPermanentError';

  constructor(
    readonly reason: MedusaPermanentReason,
    message: string,
    details: MedusaErrorDetails = {},
  ) {
    super(message, details);
  }
}

/** 401/403 (after a fresh login, for e-mail/password): the credentials are the operator's to fix. */
export class MedusaAuthenticationError extends MedusaPermanentError {
  override readonly name: string = 'MedusaAuthenticationError';

  constructor(message: string, details: MedusaErrorDetails = {}) {
    super('authentication', message, details);
  }
}

/**
 * Medusa's answers → errors. 409 is Medusa's "conflict" (a concurrent request holds the resource, e.g.
 * an idempotency lock): retrying is what its message asks for. Every other 4xx is the request's fault.
 */
export function medusaErrorFor(failure: HttpFailure): MedusaError {
  const verdict = judgeHttpFailure(failure, { conflictIsTransient: true });
  const details = {
    status: verdict.status,
    ...(failure.kind === 'status'
      ? { medusaMessage: failure.serviceMessage, medusaType: failure.serviceType }
      : {}),
    ...(failure.kind === 'no-answer' ? { cause: failure.cause } : {}),
  };
  switch (verdict.kind) {
    case 'authentication':
      return new MedusaAuthenticationError(`${failure.message} (check the MEDUSA_* credentials)`, details);
    case 'transient':
      return new MedusaTransientError(verdict.reason, failure.message, {
        ...details,
        retryAfterMs: verdict.retryAfterMs,
      });
    case 'permanent':
      return new MedusaPermanentError(verdict.reason, failure.message, details);
  }
}
