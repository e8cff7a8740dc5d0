import type { OperationHandler } from '../aws-json/aws-json-protocol';
import { InputFields } from '../aws-json/input-fields';
import type { JsonObject } from '../aws-json/json';
import type { MessageMoveTask, MessageMoveTasks } from './message-move-tasks';
import { OPTIONAL_ATTRIBUTE_NAMES } from './queue-settings';
import type { SqsBroker } from './sqs-broker';
import { sqsErrors, sqsInputErrors } from './sqs-errors';

/** Queue management: create, find, list, configure, purge, delete, DLQ redrive tasks. */
export function queueOperations(
  broker: SqsBroker,
  moveTasks: MessageMoveTasks,
): Record<string, OperationHandler> {
  const fields = (input: JsonObject) => new InputFields(input, sqsInputErrors);
  const queueOf = (input: JsonObject) => broker.queueByUrl(fields(input).requiredString('QueueUrl'));

  return {
    CreateQueue: (input) => {
      const request = fields(input);
      const queue = broker.createQueue(
        request.requiredString('QueueName'),
        request.optionalStringMap('Attributes'),
      );
      return { QueueUrl: queue.url };
    },
    GetQueueUrl: (input) => {
      const request = fields(input);
      const owner = request.optionalString('QueueOwnerAWSAccountId');
      if (owner !== undefined && owner !== broker.accountId) throw sqsErrors.queueDoesNotExist();
      return { QueueUrl: broker.queueByName(request.requiredString('QueueName')).url };
    },
    GetQueueAttributes: (input) => {
      const queue = queueOf(input);
      const requested = fields(input).optionalStringList('AttributeNames') ?? [];
      const all = broker.queueAttributes(queue);
      if (requested.includes('All')) return { Attributes: all };
      const attributes: Record<string, string> = {};
      for (const name of requested) {
        if (Object.hasOwn(all, name)) attributes[name] = all[name];
        else if (!OPTIONAL_ATTRIBUTE_NAMES.includes(name)) throw sqsErrors.invalidAttributeName(name);
      }
      return { Attributes: attributes };
    },
    SetQueueAttributes: (input) => {
      const queue = queueOf(input);
      broker.setQueueAttributes(queue, fields(input).optionalStringMap('Attributes') ?? {});
      return {};
    },
    ListQueues: (input) => {
      const request = fields(input);
      const maxResults = request.optionalInteger('MaxResults', { min: 1, max: 1000 });
      const offset = Number(request.optionalString('NextToken') ?? 0) || 0;
      const urls = broker.listQueues(request.optionalString('QueueNamePrefix')).map((queue) => queue.url);
      const end = maxResults === undefined ? urls.length : offset + maxResults;
      const page: JsonObject = { QueueUrls: urls.slice(offset, end) };
      if (end < urls.length) page.NextToken = String(end);
      return page;
    },
    PurgeQueue: (input) => {
      broker.purgeQueue(queueOf(input));
      return {};
    },
    DeleteQueue: (input) => {
      broker.deleteQueue(queueOf(input));
      return {};
    },
    StartMessageMoveTask: (input) => {
      const request = fields(input);
      request.optionalInteger('MaxNumberOfMessagesPerSecond', { min: 1, max: 500 });
      const task = moveTasks.start(
        request.requiredString('SourceArn'),
        request.optionalString('DestinationArn'),
      );
      return { TaskHandle: task.taskHandle };
    },
    ListMessageMoveTasks: (input) => {
      const request = fields(input);
      const maxResults = request.optionalInteger('MaxResults', { min: 1, max: 10 });
      return { Results: moveTasks.list(request.requiredString('SourceArn'), maxResults).map(moveTaskToJson) };
    },
  };
}

function moveTaskToJson(task: MessageMoveTask): JsonObject {
  const json: JsonObject = {
    TaskHandle: task.taskHandle,
    Status: task.status,
    SourceArn: task.sourceArn,
    ApproximateNumberOfMessagesMoved: task.approximateNumberOfMessagesMoved,
    ApproximateNumberOfMessagesToMove: task.approximateNumberOfMessagesToMove,
    StartedTimestamp: task.startedTimestamp,
  };
  if (task.destinationArn !== undefined) json.DestinationArn = task.destinationArn;
  if (task.failureReason !== undefined) json.FailureReason = task.failureReason;
  return json;
}
