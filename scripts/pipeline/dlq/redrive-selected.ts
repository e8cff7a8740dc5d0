import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import {
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type Message,
  type MessageAttributeValue,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { DEAD_LETTER_ATTRIBUTES } from '../../../nest-worker/src/queue/dead-letter-message';
import type { Progress } from '../progress';
import type { DeadLetterQueue } from '../target/pipeline-target';
import { letterOf } from './letter';
import { matches, type LetterFilter } from './message-filter';
import { RECEIVE_EVERYTHING, releaseMessages, visibleCount } from './peek';

export interface SelectedRedrive {
  /** Back on their queue (work DLQ) or bus (target DLQ), and deleted from the DLQ. */
  readonly moved: number;
  /** Matched, but could not be sent back: left in the DLQ, with why. */
  readonly failed: readonly { readonly messageId: string; readonly error: string }[];
  /** Did not match the filter: left in the DLQ. */
  readonly skipped: number;
  /** Arrived in the DLQ after the redrive started (a message sent back that failed again): left there. */
  readonly arrived: number;
}

/** Long enough to send one batch back and delete it before SQS would show the messages again. */
const HIDE_SECONDS = 60;

/** Sends one dead letter back where it failed to go; throws when it could not. */
type SendBack = (message: Message) => Promise<void>;

const WORKER_ATTRIBUTES = new Set<string>(Object.values(DEAD_LETTER_ATTRIBUTES));

/**
 * Back to the work queue as it was first sent: the worker's dead-letter attributes stay behind (they
 * describe the last failure, not the message), the message's own attributes go with it.
 */
function toWorkQueue(sqs: SQSClient, queueUrl: string): SendBack {
  return async (message) => {
    const attributes = Object.entries(message.MessageAttributes ?? {})
      .filter(([name]) => !WORKER_ATTRIBUTES.has(name))
      .map(([name, value]): [string, MessageAttributeValue] => [
        name,
        value.BinaryValue === undefined
          ? { DataType: value.DataType, StringValue: value.StringValue }
          : { DataType: value.DataType, BinaryValue: value.BinaryValue },
      ]);
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: message.Body ?? '',
        ...(attributes.length > 0 && { MessageAttributes: Object.fromEntries(attributes) }),
      }),
    );
  };
}

interface DeadLetteredEvent {
  readonly source?: string;
  readonly 'detail-type'?: string;
  readonly detail?: unknown;
  readonly resources?: string[];
}

/**
 * A target DLQ's message is the event the rule could not deliver: put it on the bus again (as a new
 * event: EventBridge gives it a new id and time), so every rule of the bus sees it once more.
 */
function toBus(eventBridge: EventBridgeClient, busName: string): SendBack {
  return async (message) => {
    const event = JSON.parse(message.Body ?? '') as DeadLetteredEvent;
    if (typeof event.source !== 'string' || typeof event['detail-type'] !== 'string') {
      throw new Error('the message is not an EventBridge event (no source or detail-type)');
    }
    const answer = await eventBridge.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: busName,
            Source: event.source,
            DetailType: event['detail-type'],
            Detail: JSON.stringify(event.detail ?? {}),
            ...(event.resources && event.resources.length > 0 && { Resources: event.resources }),
          },
        ],
      }),
    );
    const [entry] = answer.Entries ?? [];
    if ((answer.FailedEntryCount ?? 0) > 0 || !entry?.EventId) {
      throw new Error(
        `PutEvents refused it: ${entry?.ErrorCode ?? 'no event id'} ${entry?.ErrorMessage ?? ''}`,
      );
    }
  };
}

/**
 * The trigger rule's DLQ holds S3 upload events the rule could not turn into an execution: start it as
 * the rule would have (the event is the execution's input). An `aws.s3` event cannot be put on a bus
 * again (PutEvents refuses `aws.` sources). The execution is named after the message, so a redrive
 * interrupted after the start and run again finds the execution already there instead of a second one
 * (StartExecution with a name and input already used answers that execution).
 */
function toStateMachine(sfn: SFNClient, stateMachineArn: string): SendBack {
  return async (message) => {
    await sfn.send(
      new StartExecutionCommand({
        stateMachineArn,
        name: `redrive-${message.MessageId!}`.slice(0, 80),
        input: message.Body ?? '',
      }),
    );
  };
}

/** The DLQ whose events start an ingestion (queue-catalog.ts). */
export const TRIGGER_DLQ = 'ingestion-trigger-dlq';

export function sendBackFor(
  queue: DeadLetterQueue,
  clients: { readonly sqs: SQSClient; readonly eventBridge: EventBridgeClient; readonly sfn: SFNClient },
  outputs: { readonly busName: string; readonly stateMachineArn: string },
): SendBack {
  if (queue.kind === 'work') return toWorkQueue(clients.sqs, queue.workQueue!.url);
  if (queue.kind === 'target') return toBus(clients.eventBridge, outputs.busName);
  if (queue.name === TRIGGER_DLQ) return toStateMachine(clients.sfn, outputs.stateMachineArn);
  throw new Error(`${queue.name}: redriven by hand (README, "Dead-letter queues and redrive")`);
}

/**
 * The DLQ's messages that match `filter` (every one without a filter) sent back one by one, each deleted
 * from the DLQ only after its send succeeded: a crash between the two leaves a copy in both places
 * (the worker's idempotency absorbs a duplicate), never in neither. The rest are made visible again.
 */
export async function redriveSelected(
  sqs: SQSClient,
  queue: DeadLetterQueue,
  sendBack: SendBack,
  filter: LetterFilter | undefined,
  progress: Progress,
): Promise<SelectedRedrive> {
  const total = await visibleCount(sqs, queue.url);
  const seen = new Set<string>();
  // By id, with the newest receipt handle: a message seen again is hidden again under a new one.
  const leftBehind = new Map<string, Message>();
  const failed: { messageId: string; error: string }[] = [];
  // A message sent back can fail again at once (the worker, or the rule, still refusing it) and land in
  // the DLQ anew, under a new id; taking it again would send it round for as long as this runs. Only
  // what was sent to the DLQ before the start is taken (SentTimestamp is SQS's clock, this is ours: a
  // skew of a few seconds can only let a message round a few more times, never forever).
  const startedAt = Date.now();
  let moved = 0;
  let skipped = 0;
  let arrived = 0;
  try {
    for (;;) {
      const { Messages: batch = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queue.url,
          ...RECEIVE_EVERYTHING,
          VisibilityTimeout: HIDE_SECONDS,
          WaitTimeSeconds: 1,
        }),
      );
      // A message seen before came back after HIDE_SECONDS: everything has been looked at once.
      const fresh = batch.filter((message) => !seen.has(message.MessageId!));
      for (const message of batch)
        if (leftBehind.has(message.MessageId!)) leftBehind.set(message.MessageId!, message);
      if (fresh.length === 0) break;
      for (const message of fresh) {
        seen.add(message.MessageId!);
        if (Number(message.Attributes?.SentTimestamp ?? 0) >= startedAt) {
          arrived += 1;
          leftBehind.set(message.MessageId!, message);
          continue;
        }
        if (filter && !matches(filter, letterOf(message, queue.kind))) {
          skipped += 1;
          leftBehind.set(message.MessageId!, message);
          continue;
        }
        try {
          await sendBack(message);
        } catch (error) {
          failed.push({ messageId: message.MessageId!, error: (error as Error).message });
          leftBehind.set(message.MessageId!, message);
          continue;
        }
        await sqs.send(
          new DeleteMessageCommand({ QueueUrl: queue.url, ReceiptHandle: message.ReceiptHandle! }),
        );
        moved += 1;
      }
      progress.update(seen.size, Math.max(total, seen.size));
    }
  } finally {
    progress.stop();
    await releaseMessages(sqs, queue.url, [...leftBehind.values()]);
  }
  return { moved, failed, skipped, arrived };
}
