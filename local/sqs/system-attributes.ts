import type { StoredMessage } from './queue';

/** The message system attributes a receiver may ask for (legacy AttributeNames or MessageSystemAttributeNames). */
const SYSTEM_ATTRIBUTES: Record<string, (message: StoredMessage) => string | undefined> = {
  SenderId: (message) => message.senderId,
  SentTimestamp: (message) => String(message.sentTimestamp),
  ApproximateReceiveCount: (message) => String(message.receiveCount),
  ApproximateFirstReceiveTimestamp: (message) =>
    message.firstReceiveTimestamp === undefined ? undefined : String(message.firstReceiveTimestamp),
  DeadLetterQueueSourceArn: (message) => message.deadLetterQueueSourceArn,
  AWSTraceHeader: (message) => message.awsTraceHeader,
};

/** The requested system attributes of `message` (`All` for every one it has); unknown names are ignored, as on SQS. */
export function selectSystemAttributes(
  message: StoredMessage,
  requested: readonly string[],
): Record<string, string> {
  const names = requested.includes('All') ? Object.keys(SYSTEM_ATTRIBUTES) : requested;
  const selected: Record<string, string> = {};
  for (const name of names) {
    const value = Object.hasOwn(SYSTEM_ATTRIBUTES, name) ? SYSTEM_ATTRIBUTES[name](message) : undefined;
    if (value !== undefined) selected[name] = value;
  }
  return selected;
}
