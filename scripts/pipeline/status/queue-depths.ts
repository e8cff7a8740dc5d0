import { GetQueueAttributesCommand, type QueueAttributeName, type SQSClient } from '@aws-sdk/client-sqs';

export interface QueueDepth {
  readonly name: string;
  readonly url: string;
  /** ApproximateNumberOfMessages: waiting to be received. */
  readonly visible: number;
  /** ApproximateNumberOfMessagesNotVisible: received, not yet deleted (in flight). */
  readonly inFlight: number;
  readonly delayed: number;
}

/**
 * The oldest message's age is not a queue attribute: AWS publishes it only as CloudWatch's
 * ApproximateAgeOfOldestMessage metric (the `*QueueOldestMessageAge` alarms and the dashboard read it),
 * and the local runtime has no CloudWatch. Reading it by receiving would hide the message from the
 * worker and count a receive against maxReceiveCount, so status does not: it says where to look.
 */
export const OLDEST_AGE_NOT_READ = 'n/a (CloudWatch ApproximateAgeOfOldestMessage)';

export async function queueDepth(sqs: SQSClient, name: string, url: string): Promise<QueueDepth> {
  const { Attributes: attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  const count = (attribute: QueueAttributeName) => Number(attributes[attribute] ?? 0);
  return {
    name,
    url,
    visible: count('ApproximateNumberOfMessages'),
    inFlight: count('ApproximateNumberOfMessagesNotVisible'),
    delayed: count('ApproximateNumberOfMessagesDelayed'),
  };
}
