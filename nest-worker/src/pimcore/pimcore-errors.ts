/**
 * What went wrong talking to Pimcore, sorted the way the consumer acts on it: a transient error is worth
 * another attempt (with backoff, honouring retryAfterMs), a permanent one is not and sends the message to
 * the DLQ with this error's message as the reason.
 */

interface PimcoreErrorDetails {
  /** HTTP status of Pimcore's answer; absent when no answer came (network error, timeout, abort). */
  readonly status?: number;
  /** Pimcore's own words (`message` of a `success:false`, a GraphQL error, an error body). */
  readonly pimcoreMessage?: string;
  readonly cause?: unknown;
}

export abstract class PimcoreError extends Error {
  readonly status: number | undefined;
  readonly pimcoreMessage: string | undefined;

  protected constructor(message: string, details: PimcoreErrorDetails) {
    super(message, { cause: details.cause });
    this.status = details.status;
    this.pimcoreMessage = details.pimcoreMessage;
  }
}

export type TransientReason =
  /** No answer: connection refused or reset, DNS failure. */
  | 'network'
  /** No answer within the configured timeout (or Pimcore said 408). */
  | 'timeout'
  /** The caller's signal ended the call (shutdown); the outcome in Pimcore is unknown. */
  | 'aborted'
  /** 5xx, or a failure Pimcore reports without saying it is the caller's fault. */
  | 'server-error'
  /** 429: slow down, see retryAfterMs. */
  | 'rate-limited'
  /** Concurrent writers kept getting in the way of a keyed upsert. */
  | 'conflict';

export class PimcoreTransientError extends PimcoreError {
  override readonly name: string = 'PimcoreTransientError';
  /** From Retry-After (429, 503), when Pimcore sent one. */
  readonly retryAfterMs: number | undefined;

  constructor(
    readonly reason: TransientReason,
    message: string,
    details: PimcoreErrorDetails & { readonly retryAfterMs?: number } = {},
  ) {
    super(message, details);
    this.retryAfterMs = details.retryAfterMs;
  }
}

export type PermanentReason =
  /** Pimcore refused the request or the data (4xx, `success:false` for validation, parent, permissions). */
  | 'rejected'
  /** The GraphQL document does not fit the endpoint's schema: the Datahub configuration differs from ours. */
  | 'graphql'
  /** Wrong or missing API key, or no such endpoint: a configuration problem, not a product problem. */
  | 'authentication'
  /** The answer is not what the API promises (not JSON, missing fields). */
  | 'unexpected-response'
  /** The object in Pimcore holds data that cannot be read back (e.g. an editor broke a JSON field). */
  | 'invalid-data';

export class PimcorePermanentError extends PimcoreError {
  override readonly name: string = 'PimcorePermanentError';

  constructor(
    readonly reason: PermanentReason,
    message: string,
    details: PimcoreErrorDetails = {},
  ) {
    super(message, details);
  }
}

/** 401/403: retrying cannot help until someone fixes PIMCORE_API_KEY or the endpoint's security settings. */
export class PimcoreAuthenticationError extends PimcorePermanentError {
  override readonly name: string = 'PimcoreAuthenticationError';

  constructor(message: string, details: PimcoreErrorDetails = {}) {
    super('authentication', message, details);
  }
}
