import { AwsServiceError } from '../aws-json/aws-service-error';
import type { InputErrors } from '../aws-json/input-fields';

/**
 * The SQS errors the emulator returns. Shape names, query codes and HTTP statuses are those of the
 * SQS model in @aws-sdk/client-sqs (awsQueryError traits), so the SDK throws its own exception classes.
 */
export const sqsErrors = {
  queueDoesNotExist: () =>
    new AwsServiceError(
      'QueueDoesNotExist',
      'The specified queue does not exist.',
      400,
      'AWS.SimpleQueueService.NonExistentQueue',
    ),
  queueNameExists: (name: string, attribute: string) =>
    new AwsServiceError(
      'QueueNameExists',
      `A queue named ${name} already exists with a different value for attribute ${attribute}.`,
      400,
      'QueueAlreadyExists',
    ),
  receiptHandleIsInvalid: (handle: string) =>
    new AwsServiceError(
      'ReceiptHandleIsInvalid',
      `The input receipt handle "${handle}" is not a valid receipt handle.`,
      404,
      'ReceiptHandleIsInvalid',
    ),
  /** Not modeled by the SDK: it surfaces as an SQSServiceException named InvalidParameterValue, as on AWS. */
  invalidParameterValue: (message: string) =>
    new AwsServiceError('InvalidParameterValue', message, 400, 'InvalidParameterValue'),
  missingParameter: (name: string) =>
    new AwsServiceError(
      'MissingParameter',
      `The request must contain the parameter ${name}.`,
      400,
      'MissingParameter',
    ),
  invalidAttributeName: (name: string) =>
    new AwsServiceError('InvalidAttributeName', `Unknown Attribute ${name}.`, 400, 'InvalidAttributeName'),
  invalidAttributeValue: (name: string, reason: string) =>
    new AwsServiceError(
      'InvalidAttributeValue',
      `Invalid value for the parameter ${name}. Reason: ${reason}`,
      400,
      'InvalidAttributeValue',
    ),
  invalidMessageContents: () =>
    new AwsServiceError(
      'InvalidMessageContents',
      'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF',
      400,
      'InvalidMessageContents',
    ),
  emptyBatchRequest: (entryName: string) =>
    new AwsServiceError(
      'EmptyBatchRequest',
      `There should be at least one ${entryName} in the request.`,
      400,
      'AWS.SimpleQueueService.EmptyBatchRequest',
    ),
  tooManyEntriesInBatchRequest: (count: number) =>
    new AwsServiceError(
      'TooManyEntriesInBatchRequest',
      `Maximum number of entries per request are 10. You have sent ${count}.`,
      400,
      'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
    ),
  batchEntryIdsNotDistinct: (id: string) =>
    new AwsServiceError(
      'BatchEntryIdsNotDistinct',
      `Id ${id} repeated.`,
      400,
      'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
    ),
  invalidBatchEntryId: () =>
    new AwsServiceError(
      'InvalidBatchEntryId',
      'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
      400,
      'AWS.SimpleQueueService.InvalidBatchEntryId',
    ),
  batchRequestTooLong: (size: number, limit: number) =>
    new AwsServiceError(
      'BatchRequestTooLong',
      `Batch requests cannot be longer than ${limit} bytes. You have sent ${size} bytes.`,
      400,
      'AWS.SimpleQueueService.BatchRequestTooLong',
    ),
  purgeQueueInProgress: (name: string) =>
    new AwsServiceError(
      'PurgeQueueInProgress',
      `Only one PurgeQueue operation on ${name} is allowed every 60 seconds.`,
      403,
      'AWS.SimpleQueueService.PurgeQueueInProgress',
    ),
  unsupportedOperation: (message: string) =>
    new AwsServiceError('UnsupportedOperation', message, 400, 'AWS.SimpleQueueService.UnsupportedOperation'),
  resourceNotFound: (message: string) =>
    new AwsServiceError('ResourceNotFoundException', message, 404, 'ResourceNotFoundException'),
};

export const sqsInputErrors: InputErrors = {
  invalid: sqsErrors.invalidParameterValue,
  missing: sqsErrors.missingParameter,
};
