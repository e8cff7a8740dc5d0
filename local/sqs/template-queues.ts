import type { QueueModel } from '../template/stack-model';
import type { SqsBroker } from './sqs-broker';

/** Creates the template's queues in `broker`, with the settings the template gives them. */
export function createTemplateQueues(broker: SqsBroker, queues: readonly QueueModel[]): void {
  for (const queue of queues) broker.createQueue(queue.name, configuredAttributes(queue));
  // A redrive policy may only name an existing queue, so policies are set once every queue exists.
  for (const queue of queues) {
    if (queue.redrive) {
      broker.setQueueAttributes(broker.queueByName(queue.name), {
        RedrivePolicy: JSON.stringify(queue.redrive),
      });
    }
  }
}

function configuredAttributes(queue: QueueModel): Record<string, string> {
  const attributes: Record<string, number | undefined> = {
    VisibilityTimeout: queue.visibilityTimeoutSeconds,
    MessageRetentionPeriod: queue.messageRetentionSeconds,
    ReceiveMessageWaitTimeSeconds: queue.receiveMessageWaitTimeSeconds,
    DelaySeconds: queue.delaySeconds,
    MaximumMessageSize: queue.maximumMessageSize,
  };
  return Object.fromEntries(
    Object.entries(attributes).flatMap(([name, value]) =>
      value === undefined ? [] : [[name, String(value)]],
    ),
  );
}
