/**
 * A failed invocation as Lambda reports it: `errorType` is the name of what the handler threw, and the
 * message is the JSON error payload `{errorType, errorMessage, trace}`. Step Functions shows exactly
 * these as Error and Cause of a Lambda task, and its Retry / Catch match on the error name.
 */
export class LambdaFunctionError extends Error {
  constructor(
    readonly errorType: string,
    readonly errorMessage: string,
    trace: readonly string[] = [],
  ) {
    super(JSON.stringify({ errorType, errorMessage, trace }));
    this.name = errorType;
  }

  /** What the Node.js Lambda runtime reports for a value a handler threw. */
  static fromThrown(thrown: unknown): LambdaFunctionError {
    if (!(thrown instanceof Error)) return new LambdaFunctionError('Error', String(thrown));
    return new LambdaFunctionError(thrown.name, thrown.message, thrown.stack?.split('\n') ?? []);
  }
}
