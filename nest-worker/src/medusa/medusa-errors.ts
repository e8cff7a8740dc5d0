import { downstreamErrors, type CommonPermanentReason } from '../downstream/downstream-errors';

/**
 * What went wrong talking to Medusa, sorted the way the relay acts on it: a transient error is worth
 * another attempt (backoff, honouring retryAfterMs), a permanent one goes to the DLQ with Medusa's
 * message, and an authentication error keeps the message for when an operator fixed the credentials.
 * The classes are built by downstreamErrors, as Pimcore's are.
 */
interface MedusaFields {
  /** Medusa's own words (`message` of its error body). */
  readonly medusaMessage: string | undefined;
  /** Medusa's error `type`: invalid_data, not_found, duplicate_error, conflict, … */
  readonly medusaType: string | undefined;
}

export type MedusaPermanentReason =
  | CommonPermanentReason
  /** The handle belongs to a product that is not this one (another external_id). */
  | 'handle-taken'
  /** The product cannot be expressed in Medusa as configured (e.g. no price in a required currency). */
  | 'unmappable';

const medusa = downstreamErrors<MedusaFields, MedusaPermanentReason>({
  service: 'Medusa',
  fields: { medusaMessage: 'serviceMessage', medusaType: 'serviceType' },
  // Medusa's 409 is "a concurrent request holds the resource" (e.g. an idempotency lock): retrying is
  // what its message asks for. Every other 4xx is the request's fault.
  conflictIsTransient: true,
  authenticationHint: 'check the MEDUSA_* credentials',
});

export const MedusaTransientError = medusa.TransientError;
export type MedusaTransientError = InstanceType<typeof MedusaTransientError>;

export const MedusaPermanentError = medusa.PermanentError;
export type MedusaPermanentError = InstanceType<typeof MedusaPermanentError>;

/** 401/403 (after a fresh login, for e-mail/password): the credentials are the operator's to fix. */
export const MedusaAuthenticationError = medusa.AuthenticationError;
export type MedusaAuthenticationError = InstanceType<typeof MedusaAuthenticationError>;

/** Medusa's answers → errors, by the status rules shared with Pimcore. */
export const medusaErrorFor = medusa.errorFor;
