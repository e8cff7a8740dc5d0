import { randomUUID } from 'node:crypto';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { CanonicalProduct } from '../../contracts/canonical-product';
import { DETAIL_TYPES, EVENT_SOURCES } from '../../contracts/events';
import type { ProductIngestedDetail } from '../../contracts/product-ingested';
import { startSqsServer, type RunningSqsServer } from '../../local/sqs/sqs-server';
import { waitFor } from '../../local/whole-pipeline/wait';

export const LOCAL_AWS_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
};

/** A work queue and its DLQ on the project's local SQS endpoint, as the stack defines them. */
export interface WorkQueues {
  readonly server: RunningSqsServer;
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly deadLetterQueueUrl: string;
}

export async function startWorkQueues(options: {
  visibilityTimeout: number;
  maxReceiveCount: number;
}): Promise<WorkQueues> {
  const server = await startSqsServer();
  const sqs = new SQSClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const name = `product-ingest-${randomUUID().slice(0, 8)}`;
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }));
  const dlqArn = (
    await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }))
  ).Attributes!.QueueArn!;
  const queue = await sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: {
        VisibilityTimeout: String(options.visibilityTimeout),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: dlqArn,
          maxReceiveCount: options.maxReceiveCount,
        }),
      },
    }),
  );
  return { server, sqs, queueUrl: queue.QueueUrl!, deadLetterQueueUrl: dlq.QueueUrl! };
}

/** The SQS body EventBridge delivers for a ProductIngested event. */
export function productIngestedBody(
  product: CanonicalProduct,
  ingestedAt = '2026-11-21T10:00:00.000Z',
  ingestionId = 'exec-test',
): string {
  const detail: ProductIngestedDetail = {
    ingestion: {
      ingestionId,
      sourceBucket: 'ingest',
      sourceKey: 'incoming/test.json',
      index: 0,
      ingestedAt,
    },
    product,
  };
  return JSON.stringify({
    version: '0',
    id: randomUUID(),
    'detail-type': DETAIL_TYPES.productIngested,
    source: EVENT_SOURCES.ingestion,
    account: '000000000000',
    time: '2026-11-21T10:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail,
  });
}

export async function sendBodies(queues: WorkQueues, bodies: readonly string[]): Promise<void> {
  for (let start = 0; start < bodies.length; start += 10) {
    const entries = bodies
      .slice(start, start + 10)
      .map((body, index) => ({ Id: String(index), MessageBody: body }));
    const result = await queues.sqs.send(
      new SendMessageBatchCommand({ QueueUrl: queues.queueUrl, Entries: entries }),
    );
    if (result.Failed?.length) throw new Error(`send failed: ${JSON.stringify(result.Failed)}`);
  }
}

export async function queueCounts(
  queues: WorkQueues,
  url: string,
): Promise<{ visible: number; inFlight: number }> {
  const { Attributes } = await queues.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return {
    visible: Number(Attributes?.ApproximateNumberOfMessages),
    inFlight: Number(Attributes?.ApproximateNumberOfMessagesNotVisible),
  };
}

/** Waits until the work queue holds nothing: every message deleted or moved to the DLQ. */
export async function waitUntilQueueIsEmpty(queues: WorkQueues, timeoutMs?: number): Promise<void> {
  await waitUntil(
    'the work queue is empty',
    async () => {
      const counts = await queueCounts(queues, queues.queueUrl);
      return counts.visible === 0 && counts.inFlight === 0;
    },
    timeoutMs,
  );
}

/** Everything in the DLQ, with the reason attributes the worker adds. */
export async function drainDeadLetters(queues: WorkQueues) {
  const letters: { body: string; reason?: string; detail?: string }[] = [];
  for (;;) {
    const { Messages } = await queues.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queues.deadLetterQueueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        VisibilityTimeout: 60,
        MessageAttributeNames: ['All'],
      }),
    );
    if (!Messages?.length) return letters;
    for (const message of Messages) {
      letters.push({
        body: message.Body ?? '',
        reason: message.MessageAttributes?.['pipeline.dead-letter-reason']?.StringValue,
        detail: message.MessageAttributes?.['pipeline.dead-letter-detail']?.StringValue,
      });
    }
  }
}

/** waitFor with a 20 s default and a 50 ms poll, for tests. */
export const waitUntil = (
  what: string,
  condition: () => Promise<boolean> | boolean,
  timeoutMs = 20_000,
): Promise<void> => waitFor(what, condition, timeoutMs, 50);
