import type { HttpFailure } from './json-http';

/** Why another attempt may succeed; the same reasons for every service. */
export type TransientReason =
  /** No answer: connection refused or reset, DNS failure. */
  | 'network'
  /** No answer within the configured timeout (or the service said 408). */
  | 'timeout'
  /** The caller's signal ended the call (shutdown); the outcome in the service is unknown. */
  | 'aborted'
  /** 5xx, or a failure the service reports without saying it is the caller's fault. */
  | 'server-error'
  /** 429: slow down, see retryAfterMs. */
  | 'rate-limited'
  /** Concurrent writers got in the way (Medusa's 409; a keyed Pimcore upsert that kept losing the race). */
  | 'conflict';

/** What a caller should do about a failed call, before it is dressed in a service's error class. */
export type FailureVerdict =
  /** 401/403: the credentials are the operator's to fix. */
  | { readonly kind: 'authentication'; readonly status: number }
  | {
      readonly kind: 'transient';
      readonly reason: TransientReason;
      readonly status?: number;
      /** Retry-After, for the answers that ask to come back later (409 where transient, 429, 5xx). */
      readonly retryAfterMs?: number;
    }
  | {
      readonly kind: 'permanent';
      readonly reason: 'rejected' | 'unexpected-response';
      readonly status: number;
    };

/**
 * The status rules Pimcore and Medusa share: no answer, 408, 429 and 5xx are worth retrying; 401/403 is
 * configuration; a body that is not JSON or any other 4xx is not. `conflictIsTransient` is for a service
 * whose 409 means "a concurrent request holds it, come back later" (Medusa).
 */
export function judgeHttpFailure(
  failure: HttpFailure,
  options: { readonly conflictIsTransient?: boolean } = {},
): FailureVerdict {
  if (failure.kind === 'no-answer') return { kind: 'transient', reason: failure.reason };
  if (failure.kind === 'not-json') {
    return { kind: 'permanent', reason: 'unexpected-response', status: failure.status };
  }
  const { status, retryAfterMs } = failure;
  if (status === 401 || status === 403) return { kind: 'authentication', status };
  if (status === 408) return { kind: 'transient', reason: 'timeout', status };
  if (status === 409 && options.conflictIsTransient) {
    return { kind: 'transient', reason: 'conflict', status, retryAfterMs };
  }
  if (status === 429) return { kind: 'transient', reason: 'rate-limited', status, retryAfterMs };
  if (status >= 500) return { kind: 'transient', reason: 'server-error', status, retryAfterMs };
  return { kind: 'permanent', reason: 'rejected', status };
}
