/**
 * An error the emulated service returns to the caller, in the shape the AWS SDK parses into its
 * modeled exception classes (`code` is the shape name, e.g. `QueueDoesNotExist`).
 */
export class AwsServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    /** The code of the older query protocol (SQS sends it in `x-amzn-query-error`). */
    readonly queryCode?: string,
  ) {
    super(message);
    this.name = code;
  }

  /** Whether the caller (Sender) or the service (Receiver) is at fault, as the query protocol says. */
  get fault(): 'Sender' | 'Receiver' {
    return this.status < 500 ? 'Sender' : 'Receiver';
  }
}
