import type { HandlerOutcome } from '../queue/consumed-message';
import {
  MedusaAuthenticationError,
  MedusaPermanentError,
  MedusaTransientError,
} from '../medusa/medusa-errors';
import { PimcoreAuthenticationError, PimcorePermanentError, PimcoreTransientError } from '../pimcore';

/**
 * What becomes of a message whose downstream call (Pimcore or Medusa) failed for good in this attempt:
 * - wrong credentials are the operator's to fix, not the product's fault: keep the message for later;
 * - a refusal retrying cannot fix: the DLQ, with the service's words as the reason;
 * - a transient failure that outlived the in-process retries: back to SQS, after Retry-After if given.
 * Anything else is a bug, and is thrown for the consumer to report.
 */
export function downstreamFailureOutcome(error: unknown): HandlerOutcome {
  const service = serviceOf(error);
  if (error instanceof PimcoreAuthenticationError || error instanceof MedusaAuthenticationError) {
    return { kind: 'retry-later', reason: `${service}Authentication` };
  }
  if (error instanceof PimcorePermanentError || error instanceof MedusaPermanentError) {
    return { kind: 'dead-letter', reason: `${service}Rejected:${error.reason}`, detail: error.message };
  }
  if (error instanceof PimcoreTransientError || error instanceof MedusaTransientError) {
    const delaySeconds = error.retryAfterMs === undefined ? undefined : Math.ceil(error.retryAfterMs / 1000);
    return { kind: 'retry-later', reason: `${service}Unavailable:${error.reason}`, delaySeconds };
  }
  throw error;
}

/** Worth another in-process attempt. */
export function isTransientDownstreamError(error: unknown): boolean {
  return error instanceof PimcoreTransientError || error instanceof MedusaTransientError;
}

/** The delay a transient failure asked for (Retry-After). */
export function requestedRetryDelayMs(error: unknown): number | undefined {
  return isTransientDownstreamError(error)
    ? (error as PimcoreTransientError | MedusaTransientError).retryAfterMs
    : undefined;
}

function serviceOf(error: unknown): 'Pimcore' | 'Medusa' {
  return error instanceof PimcorePermanentError || error instanceof PimcoreTransientError
    ? 'Pimcore'
    : 'Medusa';
}
