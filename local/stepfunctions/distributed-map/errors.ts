import { S3ServiceException } from '@aws-sdk/client-s3';
import { TaskFailure } from '../task-errors';

/**
 * The errors a Map Run fails its Map state with, named as AWS names them (Step Functions Developer
 * Guide, "Error names": concepts-error-handling.html). All but States.Runtime can be caught and retried.
 */
export const itemReaderFailed = (cause: string) => new TaskFailure('States.ItemReaderFailed', cause);

export const resultWriterFailed = (cause: string) => new TaskFailure('States.ResultWriterFailed', cause);

/** The cause AWS gives (MapRunFailed and the Map's failure alike). */
export const toleratedFailureExceeded = () =>
  new TaskFailure(
    'States.ExceedToleratedFailureThreshold',
    'The specified tolerated failure threshold was exceeded',
  );

/** A definition or data problem AWS reports as States.Runtime, which no Retry or Catch handles. */
export class MapRunRuntimeError extends Error {
  override readonly name = 'States.Runtime';
  readonly isRetryable = false;
  readonly isCatchable = false;
}

/** An S3 call whose refusal fails the Map with `fail(cause)`, the cause in AWS's service exception form. */
export async function s3Call<T>(call: () => Promise<T>, fail: (cause: string) => Error): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof S3ServiceException)) throw fail(String(error));
    const { httpStatusCode = 0, requestId = '' } = error.$metadata;
    throw fail(`${error.message} (Service: S3, Status Code: ${httpStatusCode}, Request ID: ${requestId})`);
  }
}
