import type { HandlerOutcome } from '../queue/consumed-message';
import { PermanentDownstreamError, TransientDownstreamError } from './downstream-errors';

/**
 * What becomes of a message whose downstream call (Pimcore or Medusa) failed for good in this attempt:
 * - wrong credentials are the operator's to fix, not the product's fault: keep the message for later;
 * - a refusal retrying cannot fix: the DLQ, with the service's words as the reason;
 * - a transient failure that outlived the in-process retries: back to SQS, after Retry-After if given.
 * Anything else is a bug, and is thrown for the consumer to report.
 */
export function downstreamFailureOutcome(error: unknown): HandlerOutcome {
  if (error instanceof PermanentDownstreamError) {
    if (error.reason === 'authentication') {
      return { kind: 'retry-later', reason: `${error.service}Authentication` };
    }
    return { kind: 'dead-letter', reason: `${error.service}Rejected:${error.reason}`, detail: error.message };
  }
  if (error instanceof TransientDownstreamError) {
    const delaySeconds = error.retryAfterMs === undefined ? undefined : Math.ceil(error.retryAfterMs / 1000);
    return { kind: 'retry-later', reason: `${error.service}Unavailable:${error.reason}`, delaySeconds };
  }
  throw error;
}

/** Worth another in-process attempt. */
export function isTransientDownstreamError(error: unknown): boolean {
  return error instanceof TransientDownstreamError;
}

/** The delay a transient failure asked for (Retry-After). */
export function requestedRetryDelayMs(error: unknown): number | undefined {
  return error instanceof TransientDownstreamError ? error.retryAfterMs : undefined;
}
