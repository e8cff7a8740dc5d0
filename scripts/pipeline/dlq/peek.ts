import {
  ChangeMessageVisibilityBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
  type ReceiveMessageCommandInput,
  type SQSClient,
} from '@aws-sdk/client-sqs';

/**
 * SQS has no peek: every read is a ReceiveMessage, and every receive counts (ApproximateReceiveCount
 * goes up by one; a queue with a redrive policy would move the message on after maxReceiveCount). A
 * receive with VisibilityTimeout 0 does not help either: the same messages can come back on the next
 * call, so a queue cannot be paged through. What AWS's console ("Poll for messages") and the usual
 * advice do, and what this does: receive with a short visibility so each message is read once, then
 * ChangeMessageVisibility to 0 so it is at once available again.
 *
 * Side effects, by choice: each message read gets one more receive (harmless on a DLQ, which has no
 * redrive policy of its own), and for the few seconds of the read it is invisible, so a redrive
 * started at that moment would skip it.
 */
const HIDE_SECONDS = 30;
/** Long polling asks every SQS server; a short poll samples some and can answer empty on a non-empty queue. */
const WAIT_SECONDS = 1;

/** A receive of the most messages at once, with every attribute (the reason, SentTimestamp, receive count). */
export const RECEIVE_EVERYTHING = {
  MaxNumberOfMessages: 10,
  MessageAttributeNames: ['All'],
  MessageSystemAttributeNames: ['All'],
} satisfies Partial<ReceiveMessageCommandInput>;

/** Makes received messages available again at once (the "release" half of a peek). */
export async function releaseMessages(sqs: SQSClient, queueUrl: string, messages: readonly Message[]) {
  for (let start = 0; start < messages.length; start += 10) {
    const batch = messages.slice(start, start + 10);
    await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: batch.map((message, index) => ({
          Id: String(index),
          ReceiptHandle: message.ReceiptHandle!,
          VisibilityTimeout: 0,
        })),
      }),
    );
  }
}

export async function visibleCount(sqs: SQSClient, queueUrl: string): Promise<number> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
  );
  return Number(Attributes.ApproximateNumberOfMessages ?? 0);
}

/**
 * Up to `max` messages of the queue with all their attributes, left in the queue. Stops early once
 * `until` accepts a message (`dlq show` looking for one id), or once as many were read as the queue held.
 */
export async function peekMessages(
  sqs: SQSClient,
  queueUrl: string,
  options: { readonly max: number; readonly until?: (message: Message) => boolean },
): Promise<Message[]> {
  const expected = await visibleCount(sqs, queueUrl);
  const read = new Map<string, Message>();
  let longPoll = expected === 0;
  try {
    while (read.size < options.max) {
      const { Messages: batch = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          ...RECEIVE_EVERYTHING,
          VisibilityTimeout: HIDE_SECONDS,
          WaitTimeSeconds: longPoll ? WAIT_SECONDS : 0,
        }),
      );
      const fresh = batch.filter((message) => !read.has(message.MessageId!));
      for (const message of fresh) read.set(message.MessageId!, message);
      if (fresh.some((message) => options.until?.(message))) break;
      if (fresh.length === 0) {
        // Only a long poll's empty answer means the queue has nothing more to show.
        if (longPoll) break;
        longPoll = true;
      } else if (read.size >= expected) {
        longPoll = true;
      }
    }
  } finally {
    await releaseMessages(sqs, queueUrl, [...read.values()]);
  }
  return [...read.values()].slice(0, options.max);
}
