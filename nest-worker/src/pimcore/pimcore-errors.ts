import { downstreamErrors, type CommonPermanentReason } from '../downstream/downstream-errors';

/**
 * What went wrong talking to Pimcore, sorted the way the consumer acts on it: a transient error is worth
 * another attempt (with backoff, honouring retryAfterMs), a permanent one is not and sends the message to
 * the DLQ with this error's message as the reason. The classes are built by downstreamErrors, as
 * Medusa's are.
 */

interface PimcoreFields {
  /** Pimcore's own words (`message` of a `success:false`, a GraphQL error, an error body). */
  readonly pimcoreMessage: string | undefined;
}

export type { TransientReason } from '../downstream/failure-verdict';

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

const pimcore = downstreamErrors<PimcoreFields, PermanentReason>({
  service: 'Pimcore',
  fields: { pimcoreMessage: 'serviceMessage' },
  // A 409 from Pimcore is the request's fault.
  conflictIsTransient: false,
  authenticationHint: "check PIMCORE_API_KEY and the endpoint's security settings",
});

export const PimcoreError = pimcore.ServiceError;
export type PimcoreError = InstanceType<typeof PimcoreError>;

export const PimcoreTransientError = pimcore.TransientError;
export type PimcoreTransientError = InstanceType<typeof PimcoreTransientError>;

export const PimcorePermanentError = pimcore.PermanentError;
export type PimcorePermanentError = InstanceType<typeof PimcorePermanentError>;

/** 401/403: retrying cannot help until someone fixes PIMCORE_API_KEY or the endpoint's security settings. */
export const PimcoreAuthenticationError = pimcore.AuthenticationError;
export type PimcoreAuthenticationError = InstanceType<typeof PimcoreAuthenticationError>;

/** Pimcore's answers → errors, by the status rules shared with Medusa. */
export const pimcoreErrorFor = pimcore.errorFor;
