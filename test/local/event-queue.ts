import { DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { eventBridgeEnvelopeSchema, type EventBridgeEnvelope } from '../../contracts/eventbridge-envelope';

/** Every EventBridge event now in a queue, checked as an envelope and deleted as read. */
export async function drainEnvelopes(sqs: SQSClient, queueUrl: string): Promise<EventBridgeEnvelope[]> {
  const envelopes: EventBridgeEnvelope[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    if (Messages.length === 0) return envelopes;
    for (const message of Messages) {
      envelopes.push(eventBridgeEnvelopeSchema.parse(JSON.parse(message.Body ?? '')));
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
    }
  }
}

/**
 * Waits (up to `timeoutMs`) until `count` events have arrived in the queue, as an event another component
 * sends after an execution ends does (IngestionFailed from the status change), and returns them all.
 */
export async function awaitEnvelopes(
  sqs: SQSClient,
  queueUrl: string,
  count: number,
  timeoutMs = 20_000,
): Promise<EventBridgeEnvelope[]> {
  const envelopes: EventBridgeEnvelope[] = [];
  const deadline = Date.now() + timeoutMs;
  while (envelopes.length < count && Date.now() < deadline) {
    envelopes.push(...(await drainEnvelopes(sqs, queueUrl)));
    if (envelopes.length < count) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return envelopes;
}

/**
 * The one event a queue gets for something that has ended (an ingestion's outcome): waits for it, lets
 * whatever could still send another finish (`settled`), and fails the test if a second one came.
 */
export async function onlyEnvelope(
  sqs: SQSClient,
  queueUrl: string,
  settled: () => Promise<void>,
): Promise<EventBridgeEnvelope | undefined> {
  const [first] = await awaitEnvelopes(sqs, queueUrl, 1);
  await settled();
  expect(await drainEnvelopes(sqs, queueUrl)).toEqual([]);
  return first;
}
