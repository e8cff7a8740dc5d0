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

/** The local runtime has no CloudWatch, where SQS publishes the oldest message's age (oldest-message-ages.ts). */
export const OLDEST_AGE_NOT_READ = 'n/a (no CloudWatch locally)';

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
