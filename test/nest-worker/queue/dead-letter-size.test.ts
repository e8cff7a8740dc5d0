import {
  ReceiveMessageCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  type Message,
} from '@aws-sdk/client-sqs';
import { ConsumerTelemetry } from '../../../nest-worker/src/observability/consumer-telemetry';
import { WorkerMetrics } from '../../../nest-worker/src/observability/worker-metrics';
import type { HandlerOutcome, MessageHandler } from '../../../nest-worker/src/queue/consumed-message';
import { messageBytes, SQS_MAX_MESSAGE_BYTES } from '../../../nest-worker/src/queue/dead-letter-message';
import { QueueConsumer, type QueueConsumerOptions } from '../../../nest-worker/src/queue/queue-consumer';
import { singleMessageConsumerOptions } from './single-consumer-options';
import { queueCounts, startWorkQueues, waitUntil, type WorkQueues } from '../worker-harness';

/**
 * A poison message close to SQS's 1 MiB limit (body and attributes together): the worker's own DLQ send
 * adds attributes to it. Against the project's local SQS endpoint, which refuses a message over the
 * limit as SQS does (InvalidParameterValue "Message must be shorter than 1048576 bytes.").
 */

const MAX_RECEIVE_COUNT = 3;
const REASON = 'InvalidDetail';
/** As long as a detail gets (the consumer cuts it at 1,000 characters). */
const LONG_DETAIL = `event 1: product.variants: ${'too many variants; '.repeat(80)}`;

/** Every message is poison: the DLQ with a long detail. */
const poisonHandler: MessageHandler = {
  handle: async (): Promise<HandlerOutcome> => ({
    kind: 'dead-letter',
    reason: REASON,
    detail: LONG_DETAIL,
    subject: { externalId: 'shein-poison' },
  }),
};

/** The worker's own telemetry (metrics and log lines), its log lines captured. */
function capturedTelemetry() {
  const lines: { level: string; msg: string; fields: Record<string, unknown> }[] = [];
  const record =
    (level: string) =>
    (fields: Record<string, unknown>, msg: string): void => {
      lines.push({ level, msg, fields });
    };
  const logger = { info: record('info'), warn: record('warn'), error: record('error') };
  const metrics = new WorkerMetrics();
  const telemetry = new ConsumerTelemetry(
    metrics,
    logger as unknown as ConstructorParameters<typeof ConsumerTelemetry>[1],
  );
  const metric = async (name: string, labels: Record<string, string> = {}) => {
    const found = (await metrics.registry.getMetricsAsJSON()).find((entry) => entry.name === name);
    return (found?.values ?? [])
      .filter((value) => Object.entries(labels).every(([key, want]) => value.labels[key] === want))
      .reduce((sum, value) => sum + value.value, 0);
  };
  return { telemetry, lines, metric };
}

/** A JSON body of exactly `bytes` bytes (not an event: poison for the handler). */
const bodyOf = (bytes: number) => {
  const frame = '{"poison":""}';
  return `{"poison":"${'x'.repeat(bytes - frame.length)}"}`;
};

async function receiveAll(queues: WorkQueues, url: string): Promise<Message[]> {
  const { Messages = [] } = await queues.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: url,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 0,
      VisibilityTimeout: 60,
      MessageAttributeNames: ['All'],
    }),
  );
  return Messages;
}

describe('dead-lettering a message near the 1 MiB limit (QueueConsumer, local SQS)', () => {
  let queues: WorkQueues;
  let consumer: QueueConsumer | undefined;
  beforeEach(async () => {
    // A visibility no test waits out: a message comes back only if the consumer hands it back at once.
    queues = await startWorkQueues({ visibilityTimeout: 600, maxReceiveCount: MAX_RECEIVE_COUNT });
  });
  afterEach(async () => {
    await consumer?.stop(1000);
    consumer = undefined;
    await queues.server.close();
  });

  const startConsumer = (telemetry: ConsumerTelemetry, overrides: Partial<QueueConsumerOptions> = {}) => {
    consumer = new QueueConsumer(queues.sqs, poisonHandler, telemetry, {
      ...singleMessageConsumerOptions(queues),
      ...overrides,
    });
    consumer.start();
  };

  it('the local SQS refuses one byte over the limit, body and attributes counted, as SQS does', async () => {
    const attributes = { a: { DataType: 'String', StringValue: 'v' } };
    const fits = bodyOf(SQS_MAX_MESSAGE_BYTES - messageBytes('', attributes));
    await queues.sqs.send(
      new SendMessageCommand({ QueueUrl: queues.queueUrl, MessageBody: fits, MessageAttributes: attributes }),
    );
    await expect(
      queues.sqs.send(
        new SendMessageCommand({
          QueueUrl: queues.queueUrl,
          MessageBody: `${fits} `,
          MessageAttributes: attributes,
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: 'One or more parameters are invalid. Reason: Message must be shorter than 1048576 bytes.',
    });
  });

  it('sends a poison message that leaves room for its reason to the DLQ once, the detail cut to fit', async () => {
    // Room for the reason and the source attributes, not for the whole detail.
    const body = bodyOf(SQS_MAX_MESSAGE_BYTES - 400);
    await queues.sqs.send(new SendMessageCommand({ QueueUrl: queues.queueUrl, MessageBody: body }));
    const { telemetry, lines, metric } = capturedTelemetry();
    startConsumer(telemetry);

    let letters: Message[] = [];
    await waitUntil('the DLQ holds the message', async () => {
      letters = await receiveAll(queues, queues.deadLetterQueueUrl);
      return letters.length > 0;
    });
    await waitUntil('the work queue is empty', async () => {
      const counts = await queueCounts(queues, queues.queueUrl);
      return counts.visible === 0 && counts.inFlight === 0;
    });

    expect(letters).toHaveLength(1);
    const [letter] = letters;
    expect(letter.Body).toBe(body);
    const attributes = letter.MessageAttributes ?? {};
    expect(attributes['pipeline.dead-letter-reason']?.StringValue).toBe(REASON);
    expect(attributes['pipeline.source-queue']?.StringValue).toBe('product-ingest');
    const detail = attributes['pipeline.dead-letter-detail']?.StringValue ?? '';
    expect(detail.length).toBeGreaterThan(0);
    expect(detail.endsWith('…')).toBe(true);
    expect(LONG_DETAIL.startsWith(detail.slice(0, -1))).toBe(true);
    expect(messageBytes(letter.Body ?? '', attributes)).toBeLessThanOrEqual(SQS_MAX_MESSAGE_BYTES);
    // Sent by the worker on its first receive, not moved by SQS after maxReceiveCount.
    expect(attributes['pipeline.receive-count']?.StringValue).toBe('1');

    await waitUntil(
      'the dead-lettering is reported',
      async () => (await metric('pipeline_messages_dead_lettered_total')) >= 1,
    );
    expect(await metric('pipeline_messages_dead_lettered_total', { reason: REASON })).toBe(1);
    expect(await metric('pipeline_consumer_errors_total', { operation: 'dead-letter' })).toBe(0);
    expect(lines.filter((line) => line.msg === 'message dead-lettered')).toHaveLength(1);
  });

  it('leaves a message with no room for its reason to SQS redrive, and never reports it dead-lettered', async () => {
    // The largest body SQS takes: not one byte left for an attribute.
    const body = bodyOf(SQS_MAX_MESSAGE_BYTES);
    await queues.sqs.send(new SendMessageCommand({ QueueUrl: queues.queueUrl, MessageBody: body }));
    const { telemetry, lines, metric } = capturedTelemetry();
    startConsumer(telemetry);

    // Handed back at once each time (the queue's visibility is 600 s), so its receives reach
    // maxReceiveCount and SQS moves it.
    let letters: Message[] = [];
    await waitUntil('SQS moved the message to the DLQ', async () => {
      letters = await receiveAll(queues, queues.deadLetterQueueUrl);
      return letters.length > 0;
    });

    expect(letters).toHaveLength(1);
    expect(letters[0].Body).toBe(body);
    // Moved by the redrive policy: without the worker's attributes.
    expect(letters[0].MessageAttributes?.['pipeline.dead-letter-reason']).toBeUndefined();
    expect(await queueCounts(queues, queues.queueUrl)).toEqual({ visible: 0, inFlight: 0 });

    // Its last hand-back is reported once the visibility change is answered: wait for the report.
    await waitUntil(
      'every receive is reported',
      async () => (await metric('pipeline_messages_retried_total')) >= MAX_RECEIVE_COUNT,
    );
    expect(await metric('pipeline_messages_dead_lettered_total')).toBe(0);
    expect(lines.filter((line) => /dead-lettered/.test(line.msg))).toEqual([]);
    expect(
      await metric('pipeline_messages_retried_total', { kind: 'redelivery', reason: 'DeadLetterTooLarge' }),
    ).toBe(MAX_RECEIVE_COUNT);
    expect(await metric('pipeline_consumer_errors_total', { operation: 'dead-letter' })).toBe(
      MAX_RECEIVE_COUNT,
    );
    const handedBack = lines.filter((line) => line.msg === 'message handed back for a later retry');
    expect(handedBack).toHaveLength(MAX_RECEIVE_COUNT);
    for (const line of handedBack) {
      expect(line.fields).toMatchObject({
        reason: 'DeadLetterTooLarge',
        deadLetterReason: REASON,
        externalId: 'shein-poison',
      });
    }
    const failures = lines.filter((line) => line.msg === 'dead-letter failed');
    expect(failures).toHaveLength(MAX_RECEIVE_COUNT);
    expect(String((failures[0].fields.err as Error).message)).toMatch(/1048576 bytes.*redrive/);
  });

  it('sizes the dead letter to a DLQ whose MaximumMessageSize is lower, as its refusal names it', async () => {
    await queues.sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: queues.deadLetterQueueUrl,
        Attributes: { MaximumMessageSize: '262144' },
      }),
    );
    const body = bodyOf(262_144 - 400);
    await queues.sqs.send(new SendMessageCommand({ QueueUrl: queues.queueUrl, MessageBody: body }));
    const { telemetry, lines, metric } = capturedTelemetry();
    startConsumer(telemetry);

    let letters: Message[] = [];
    await waitUntil('the DLQ holds the message', async () => {
      letters = await receiveAll(queues, queues.deadLetterQueueUrl);
      return letters.length > 0;
    });
    const attributes = letters[0].MessageAttributes ?? {};
    expect(attributes['pipeline.dead-letter-reason']?.StringValue).toBe(REASON);
    expect(attributes['pipeline.dead-letter-detail']?.StringValue?.endsWith('…')).toBe(true);
    expect(messageBytes(letters[0].Body ?? '', attributes)).toBeLessThanOrEqual(262_144);
    await waitUntil(
      'the dead-lettering is reported',
      async () => (await metric('pipeline_messages_dead_lettered_total')) >= 1,
    );
    expect(await metric('pipeline_messages_dead_lettered_total', { reason: REASON })).toBe(1);
    expect(lines.filter((line) => line.msg === 'message dead-lettered')).toHaveLength(1);
  });

  it('hands a message back when the DLQ send fails for another reason, and never reports it dead-lettered', async () => {
    const body = bodyOf(1000);
    await queues.sqs.send(new SendMessageCommand({ QueueUrl: queues.queueUrl, MessageBody: body }));
    const { telemetry, lines, metric } = capturedTelemetry();
    // A DLQ that does not exist: every send fails (QueueDoesNotExist). No backoff: back at once.
    startConsumer(telemetry, {
      deadLetterQueueUrl: `${queues.deadLetterQueueUrl}-missing`,
      retryDelayBaseSeconds: 0,
    });

    let letters: Message[] = [];
    await waitUntil('SQS moved the message to the DLQ', async () => {
      letters = await receiveAll(queues, queues.deadLetterQueueUrl);
      return letters.length > 0;
    });
    await waitUntil(
      'every receive is reported',
      async () => (await metric('pipeline_messages_retried_total')) >= MAX_RECEIVE_COUNT,
    );
    expect(letters.map((letter) => letter.Body)).toEqual([body]);
    expect(await metric('pipeline_messages_dead_lettered_total')).toBe(0);
    expect(lines.filter((line) => /dead-lettered/.test(line.msg))).toEqual([]);
    expect(
      await metric('pipeline_messages_retried_total', { kind: 'redelivery', reason: 'DeadLetterSendFailed' }),
    ).toBe(MAX_RECEIVE_COUNT);
    const failures = lines.filter((line) => line.msg === 'dead-letter failed');
    expect(failures).toHaveLength(MAX_RECEIVE_COUNT);
    expect((failures[0].fields.err as Error).name).toBe('QueueDoesNotExist');
  });
});
