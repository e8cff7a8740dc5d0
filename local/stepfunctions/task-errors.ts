import type { QuotaBreach } from './quotas';

/**
 * A failed Task as Step Functions reports it: `name` is the Error that Retry and Catch match on,
 * `message` the Cause (aws-local-stepfunctions reads both from the thrown error).
 */
export class TaskFailure extends Error {
  constructor(error: string, cause: string) {
    super(cause);
    this.name = error;
  }
}

/**
 * A Task whose resource the local runtime does not emulate. AWS would have refused the definition, so
 * the execution fails at once: aws-local-stepfunctions lets neither Retry nor Catch handle an error whose
 * `isRetryable` / `isCatchable` are false.
 */
export class UnsupportedTask extends Error {
  override readonly name = 'States.Runtime';
  readonly isRetryable = false;
  readonly isCatchable = false;
}

/**
 * A quota the execution broke (quotas.ts). Uncatchable and not retried, as AWS documents
 * States.DataLimitExceeded; the execution has already been failed and its run aborted when this is thrown.
 */
export class QuotaExceeded extends Error {
  readonly isRetryable = false;
  readonly isCatchable = false;

  constructor(breach: QuotaBreach) {
    super(breach.cause);
    this.name = breach.error;
  }
}
