import { AwsServiceError } from '../aws-json/aws-service-error';
import type { OperationHandler } from '../aws-json/aws-json-protocol';
import type { JsonObject } from '../aws-json/json';
import { messageAttributesSize } from './message-attributes';
import { changeVisibility, fieldsOf, sendOptionsOf, sendResultJson } from './message-operations';
import type { SqsBroker } from './sqs-broker';
import { sqsErrors } from './sqs-errors';

const MAX_BATCH_ENTRIES = 10;
const BATCH_ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;
const MAX_BATCH_PAYLOAD_BYTES = 1_048_576;

/** The batch operations: request-level checks first, then per-entry Successful / Failed results. */
export function batchOperations(broker: SqsBroker): Record<string, OperationHandler> {
  const queueOf = (input: JsonObject) => broker.queueByUrl(fieldsOf(input).requiredString('QueueUrl'));

  return {
    SendMessageBatch: (input) => {
      const queue = queueOf(input);
      const entries = checkedEntries(input, 'SendMessageBatchRequestEntry');
      const sends = entries.map((entry) => attempt(() => sendOptionsOf(entry)));
      const payload = sends.reduce(
        (total, send) =>
          send instanceof AwsServiceError
            ? total
            : total + Buffer.byteLength(send.body) + messageAttributesSize(send.attributes ?? new Map()),
        0,
      );
      if (payload > MAX_BATCH_PAYLOAD_BYTES)
        throw sqsErrors.batchRequestTooLong(payload, MAX_BATCH_PAYLOAD_BYTES);
      return runEntries(entries, (_entry, index) => {
        const send = sends[index];
        if (send instanceof AwsServiceError) throw send;
        return sendResultJson(broker.send(queue, send));
      });
    },
    DeleteMessageBatch: (input) => {
      const queue = queueOf(input);
      return runEntries(checkedEntries(input, 'DeleteMessageBatchRequestEntry'), (entry) => {
        broker.deleteMessage(queue, fieldsOf(entry).requiredString('ReceiptHandle'));
        return {};
      });
    },
    ChangeMessageVisibilityBatch: (input) => {
      const queue = queueOf(input);
      return runEntries(checkedEntries(input, 'ChangeMessageVisibilityBatchRequestEntry'), (entry) => {
        changeVisibility(broker, queue, entry);
        return {};
      });
    },
  };
}

/** The request-level batch errors SQS returns before looking at any entry. */
function checkedEntries(input: JsonObject, entryName: string): JsonObject[] {
  const entries = fieldsOf(input).optionalObjectList('Entries') ?? [];
  if (entries.length === 0) throw sqsErrors.emptyBatchRequest(entryName);
  if (entries.length > MAX_BATCH_ENTRIES) throw sqsErrors.tooManyEntriesInBatchRequest(entries.length);
  const seen = new Set<string>();
  for (const entry of entries) {
    const id = entry.Id;
    if (typeof id !== 'string' || !BATCH_ENTRY_ID.test(id)) throw sqsErrors.invalidBatchEntryId();
    if (seen.has(id)) throw sqsErrors.batchEntryIdsNotDistinct(id);
    seen.add(id);
  }
  return entries;
}

function runEntries(
  entries: JsonObject[],
  run: (entry: JsonObject, index: number) => JsonObject,
): JsonObject {
  const successful: JsonObject[] = [];
  const failed: JsonObject[] = [];
  for (const [index, entry] of entries.entries()) {
    const id = entry.Id as string;
    try {
      successful.push({ Id: id, ...run(entry, index) });
    } catch (error) {
      if (!(error instanceof AwsServiceError)) throw error;
      failed.push({
        Id: id,
        SenderFault: error.fault === 'Sender',
        Code: error.queryCode ?? error.code,
        Message: error.message,
      });
    }
  }
  return { Successful: successful, Failed: failed };
}

/** The value, or the service error that computing it threw (an entry's failure, reported per entry). */
function attempt<T>(compute: () => T): T | AwsServiceError {
  try {
    return compute();
  } catch (error) {
    if (error instanceof AwsServiceError) return error;
    throw error;
  }
}
