import type { OperationHandler } from '../aws-json/aws-json-protocol';
import { InputFields } from '../aws-json/input-fields';
import { isJsonObject, type JsonObject } from '../aws-json/json';
import {
  messageAttributesToJson,
  parseMessageAttributes,
  selectMessageAttributes,
} from './message-attributes';
import { md5OfMessageAttributes } from './message-md5';
import type { Queue, StoredMessage } from './queue';
import type { ReceivedMessage, SendOptions, SqsBroker } from './sqs-broker';
import { sqsInputErrors } from './sqs-errors';
import { selectSystemAttributes } from './system-attributes';

const VISIBILITY_TIMEOUT_RANGE = { min: 0, max: 43_200 };

export const fieldsOf = (input: JsonObject) => new InputFields(input, sqsInputErrors);

/** The message-level operations on one queue: send, receive, delete, change visibility. */
export function messageOperations(broker: SqsBroker): Record<string, OperationHandler> {
  const queueOf = (input: JsonObject) => broker.queueByUrl(fieldsOf(input).requiredString('QueueUrl'));

  return {
    SendMessage: (input) => sendResultJson(broker.send(queueOf(input), sendOptionsOf(input))),
    ReceiveMessage: async (input, context): Promise<JsonObject> => {
      const queue = queueOf(input);
      const request = fieldsOf(input);
      const received = await broker.receive(queue, {
        maxNumberOfMessages: request.optionalInteger('MaxNumberOfMessages', { min: 1, max: 10 }),
        visibilityTimeout: request.optionalInteger('VisibilityTimeout', VISIBILITY_TIMEOUT_RANGE),
        waitTimeSeconds: request.optionalInteger('WaitTimeSeconds', { min: 0, max: 20 }),
        signal: context.signal,
      });
      const systemAttributeNames = [
        ...(request.optionalStringList('AttributeNames') ?? []),
        ...(request.optionalStringList('MessageSystemAttributeNames') ?? []),
      ];
      const messageAttributeNames = request.optionalStringList('MessageAttributeNames') ?? [];
      return received.length === 0
        ? {}
        : {
            Messages: received.map((item) => receivedJson(item, systemAttributeNames, messageAttributeNames)),
          };
    },
    DeleteMessage: (input) => {
      broker.deleteMessage(queueOf(input), fieldsOf(input).requiredString('ReceiptHandle'));
      return {};
    },
    ChangeMessageVisibility: (input) => {
      changeVisibility(broker, queueOf(input), input);
      return {};
    },
  };
}

/** A SendMessage request or SendMessageBatch entry, validated. */
export function sendOptionsOf(input: JsonObject): SendOptions {
  const request = fieldsOf(input);
  const systemAttributes = input.MessageSystemAttributes;
  const traceHeader = isJsonObject(systemAttributes) ? systemAttributes.AWSTraceHeader : undefined;
  return {
    body: request.requiredString('MessageBody'),
    attributes: parseMessageAttributes(input.MessageAttributes),
    delaySeconds: request.optionalInteger('DelaySeconds', { min: 0, max: 900 }),
    awsTraceHeader: isJsonObject(traceHeader)
      ? fieldsOf(traceHeader).optionalString('StringValue')
      : undefined,
  };
}

export function sendResultJson(message: StoredMessage): JsonObject {
  const result: JsonObject = { MessageId: message.messageId, MD5OfMessageBody: message.md5OfBody };
  const attributesMd5 = md5OfMessageAttributes(message.messageAttributes);
  if (attributesMd5 !== undefined) result.MD5OfMessageAttributes = attributesMd5;
  return result;
}

/** A ChangeMessageVisibility request or batch entry. */
export function changeVisibility(broker: SqsBroker, queue: Queue, input: JsonObject): void {
  const request = fieldsOf(input);
  const receiptHandle = request.requiredString('ReceiptHandle');
  const timeout = request.optionalInteger('VisibilityTimeout', VISIBILITY_TIMEOUT_RANGE);
  if (timeout === undefined) throw sqsInputErrors.missing('VisibilityTimeout');
  broker.changeMessageVisibility(queue, receiptHandle, timeout);
}

/** A received message as SQS returns it; the attributes MD5 covers only the attributes returned. */
function receivedJson(
  { message, receiptHandle }: ReceivedMessage,
  systemAttributeNames: readonly string[],
  messageAttributeNames: readonly string[],
): JsonObject {
  const json: JsonObject = {
    MessageId: message.messageId,
    ReceiptHandle: receiptHandle,
    MD5OfBody: message.md5OfBody,
    Body: message.body,
  };
  const systemAttributes = selectSystemAttributes(message, systemAttributeNames);
  if (Object.keys(systemAttributes).length > 0) json.Attributes = systemAttributes;
  const attributes = selectMessageAttributes(message.messageAttributes, messageAttributeNames);
  const attributesMd5 = md5OfMessageAttributes(attributes);
  if (attributesMd5 !== undefined) {
    json.MD5OfMessageAttributes = attributesMd5;
    json.MessageAttributes = messageAttributesToJson(attributes);
  }
  return json;
}
