import { createHash } from 'node:crypto';
import {
  BatchEntryIdsNotDistinct,
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  EmptyBatchRequest,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  InvalidBatchEntryId,
  ListMessageMoveTasksCommand,
  ListQueuesCommand,
  PurgeQueueCommand,
  PurgeQueueInProgress,
  QueueDoesNotExist,
  QueueNameExists,
  ReceiptHandleIsInvalid,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  StartMessageMoveTaskCommand,
  TooManyEntriesInBatchRequest,
  type Message,
  type MessageAttributeValue,
  type QueueAttributeName,
  type ReceiveMessageCommandInput,
} from '@aws-sdk/client-sqs';
import { eventually, startConformanceTarget, type ConformanceTarget } from './sqs-conformance-target';

let target: ConformanceTarget;

beforeAll(async () => {
  target = await startConformanceTarget();
});
afterAll(() => target.close());

const send = (QueueUrl: string, MessageBody: string, extra: Partial<SendMessageCommand['input']> = {}) =>
  target.client.send(new SendMessageCommand({ QueueUrl, MessageBody, ...extra }));

const receive = async (
  QueueUrl: string,
  input: Partial<ReceiveMessageCommandInput> = {},
): Promise<Message[]> =>
  (await target.client.send(new ReceiveMessageCommand({ QueueUrl, ...input }))).Messages ?? [];

/** Long polls until a message arrives (real SQS spreads messages over servers; a long poll asks them all). */
const receiveOne = async (
  QueueUrl: string,
  input: Partial<ReceiveMessageCommandInput> = {},
): Promise<Message> =>
  eventually(async () => (await receive(QueueUrl, { WaitTimeSeconds: 1, ...input }))[0], target.settleMs);

const timed = async <T>(action: () => Promise<T>): Promise<{ value: T; ms: number }> => {
  const start = Date.now();
  const value = await action();
  return { value, ms: Date.now() - start };
};

/** The longest WaitTimeSeconds SQS accepts. */
const MAX_WAIT_SECONDS = 20;

const queueAttributes = async (QueueUrl: string) =>
  (await target.client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] })))
    .Attributes ?? {};

describe(`SQS conformance (${process.env.SQS_CONFORMANCE_ENDPOINT ?? 'local emulator'})`, () => {
  describe('send and receive', () => {
    it('round-trips the body with its MD5 and the system attributes', async () => {
      const { url } = await target.createQueue('roundtrip');
      const sent = await send(url, 'héllo wörld');
      expect(sent.MD5OfMessageBody).toBe(createHash('md5').update('héllo wörld', 'utf8').digest('hex'));

      const before = Date.now();
      const message = await receiveOne(url, { MessageSystemAttributeNames: ['All'] });
      expect(message).toMatchObject({
        MessageId: sent.MessageId,
        Body: 'héllo wörld',
        MD5OfBody: sent.MD5OfMessageBody,
      });
      expect(message.Attributes).toMatchObject({
        ApproximateReceiveCount: '1',
        SenderId: expect.any(String),
      });
      expect(Number(message.Attributes!.SentTimestamp)).toBeLessThanOrEqual(before + 1_000);
      expect(Number(message.Attributes!.ApproximateFirstReceiveTimestamp)).toBeGreaterThanOrEqual(
        Number(message.Attributes!.SentTimestamp),
      );
    });

    it('returns only the system attributes asked for with the legacy AttributeNames', async () => {
      const { url } = await target.createQueue('legacy-attributes');
      await send(url, 'x');
      // The legacy member is typed with queue attribute names, yet SQS reads system attribute names from it.
      const legacyName = 'ApproximateReceiveCount' as QueueAttributeName;
      const message = await receiveOne(url, { AttributeNames: [legacyName] });
      expect(message.Attributes).toEqual({ ApproximateReceiveCount: '1' });
    });

    it('returns at most MaxNumberOfMessages and refuses more than 10', async () => {
      const { url } = await target.createQueue('max-messages');
      for (const body of ['1', '2', '3']) await send(url, body);
      const messages = await eventually(async () => {
        const batch = await receive(url, {
          MaxNumberOfMessages: 2,
          WaitTimeSeconds: 1,
          VisibilityTimeout: 0,
        });
        return batch.length === 2 ? batch : undefined;
      }, target.settleMs);
      expect(messages).toHaveLength(2);
      await expect(receive(url, { MaxNumberOfMessages: 11 })).rejects.toMatchObject({
        name: 'InvalidParameterValue',
      });
    });
  });

  // How soon a poll answers is a figure for a benchmark, not for these tests: each says only whether a
  // poll waited out its wait time (a lower bound) or was answered before it (the whole wait time, 20 s,
  // far beyond what a loaded machine adds to a request).
  describe('long polling', () => {
    it('returns as soon as a message arrives', async () => {
      const { url } = await target.createQueue('long-poll-early');
      setTimeout(() => void send(url, 'late'), 300);
      const { value, ms } = await timed(() => receive(url, { WaitTimeSeconds: MAX_WAIT_SECONDS }));
      expect(value.map((message) => message.Body)).toEqual(['late']);
      // Answered by the message's arrival: a poll that waited out its wait time answers at 20 s.
      expect(ms).toBeLessThan(MAX_WAIT_SECONDS * 1000);
    });

    it('answers empty when the wait time runs out', async () => {
      const { url } = await target.createQueue('long-poll-timeout');
      const { value, ms } = await timed(() => receive(url, { WaitTimeSeconds: 1 }));
      expect(value).toEqual([]);
      expect(ms).toBeGreaterThanOrEqual(950);
    });

    it("uses the queue's ReceiveMessageWaitTimeSeconds unless the request sets WaitTimeSeconds", async () => {
      const { url } = await target.createQueue('long-poll-default', { ReceiveMessageWaitTimeSeconds: '1' });
      const queueDefault = await timed(() => receive(url));
      expect(queueDefault.ms).toBeGreaterThanOrEqual(950);
      const { url: longDefault } = await target.createQueue('long-poll-default-20', {
        ReceiveMessageWaitTimeSeconds: String(MAX_WAIT_SECONDS),
      });
      const shortPoll = await timed(() => receive(longDefault, { WaitTimeSeconds: 0 }));
      // Did not wait the queue's 20 s.
      expect(shortPoll.ms).toBeLessThan(MAX_WAIT_SECONDS * 1000);
    });
  });

  describe('visibility timeout', () => {
    it('hides a received message until its visibility timeout ends, then counts the next receive', async () => {
      // The queue's own visibility timeout is 0: only the receive's keeps the message hidden.
      const { url } = await target.createQueue('visibility', { VisibilityTimeout: '0' });
      await send(url, 'hidden');
      const first = await receiveOne(url, {
        VisibilityTimeout: 30,
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      });
      expect(await receive(url)).toEqual([]);

      // Its timeout now ends in a second: the message comes back then, and not before.
      const changed = Date.now();
      await target.client.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: url,
          ReceiptHandle: first.ReceiptHandle,
          VisibilityTimeout: 1,
        }),
      );
      const again = await receiveOne(url, {
        WaitTimeSeconds: 5,
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      });
      expect(Date.now() - changed).toBeGreaterThanOrEqual(950);
      expect(again.MessageId).toBe(first.MessageId);
      expect(again.ReceiptHandle).not.toBe(first.ReceiptHandle);
      expect(again.Attributes?.ApproximateReceiveCount).toBe('2');
    });

    it('releases a message at once with ChangeMessageVisibility 0', async () => {
      // Hidden for 12 hours (the most SQS allows) when received: only the release can bring it back.
      const { url } = await target.createQueue('visibility-release', { VisibilityTimeout: '43200' });
      await send(url, 'released');
      const first = await receiveOne(url);
      expect(await receive(url)).toEqual([]);
      await target.client.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: url,
          ReceiptHandle: first.ReceiptHandle,
          VisibilityTimeout: 0,
        }),
      );
      expect((await receiveOne(url)).MessageId).toBe(first.MessageId);
    });

    it('refuses to change the visibility of a deleted message and to accept a malformed handle', async () => {
      const { url } = await target.createQueue('visibility-deleted');
      await send(url, 'gone');
      const { ReceiptHandle } = await receiveOne(url);
      await target.client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle }));
      // Deleting again with the same handle succeeds, as SQS documents.
      await target.client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle }));
      await expect(
        target.client.send(
          new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle, VisibilityTimeout: 5 }),
        ),
      ).rejects.toMatchObject({ name: 'InvalidParameterValue' });
      await expect(
        target.client.send(
          new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: 'not-a-receipt-handle' }),
        ),
      ).rejects.toBeInstanceOf(ReceiptHandleIsInvalid);
    });
  });

  describe('dead-letter queues', () => {
    it('moves a message to the DLQ when a receive would exceed maxReceiveCount, and redrives it back', async () => {
      const dlq = await target.createQueue('redrive-dlq');
      const source = await target.createQueue('redrive-source', {
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 2 }),
      });
      const sent = await send(source.url, 'poison');
      for (const count of ['1', '2']) {
        const message = await receiveOne(source.url, {
          MessageSystemAttributeNames: ['ApproximateReceiveCount'],
        });
        expect(message.Attributes?.ApproximateReceiveCount).toBe(count);
        await target.client.send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: source.url,
            ReceiptHandle: message.ReceiptHandle,
            VisibilityTimeout: 0,
          }),
        );
      }
      expect(await receive(source.url, { WaitTimeSeconds: target.isLocal ? 0 : 1 })).toEqual([]);

      const deadLetter = await receiveOne(dlq.url, {
        MessageSystemAttributeNames: ['All'],
        VisibilityTimeout: 0,
      });
      expect(deadLetter).toMatchObject({ MessageId: sent.MessageId, Body: 'poison' });
      expect(deadLetter.Attributes?.DeadLetterQueueSourceArn).toBe(source.arn);

      const { TaskHandle } = await target.client.send(
        new StartMessageMoveTaskCommand({ SourceArn: dlq.arn }),
      );
      expect(TaskHandle).toEqual(expect.any(String));
      const redriven = await receiveOne(source.url, { WaitTimeSeconds: 5 });
      expect(redriven.Body).toBe('poison');
      const { Results } = await target.client.send(new ListMessageMoveTasksCommand({ SourceArn: dlq.arn }));
      expect(Results?.[0]).toMatchObject({ SourceArn: dlq.arn });
    });

    it('reports the redrive policy and the queue ARN as attributes', async () => {
      const dlq = await target.createQueue('policy-dlq');
      const source = await target.createQueue('policy-source', {
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 5 }),
      });
      const attributes = await queueAttributes(source.url);
      expect(attributes.QueueArn).toBe(source.arn);
      expect(JSON.parse(attributes.RedrivePolicy!)).toEqual({
        deadLetterTargetArn: dlq.arn,
        maxReceiveCount: 5,
      });
    });
  });

  describe('message attributes', () => {
    // Vectors from the aws-md5-of-message-attributes package, computed independently of this emulator.
    const attributes: Record<string, MessageAttributeValue> = {
      attribName1: { DataType: 'String', StringValue: 'attribValue 1' },
      customNumberTypeAttrib: {
        DataType: 'Number.float',
        StringValue: '4563442423554324324264524243.32543234',
      },
      binaryAttribute: { DataType: 'Binary', BinaryValue: Buffer.from('Hello binary world!') },
    };

    it('answers MD5OfMessageAttributes exactly as SQS computes it, on send and on receive', async () => {
      const { url } = await target.createQueue('attributes-md5');
      const sent = await send(url, 'with attributes', { MessageAttributes: attributes });
      expect(sent.MD5OfMessageAttributes).toBe('c932db14a896c663f83c260297d594ff');

      const all = await receiveOne(url, { MessageAttributeNames: ['All'], VisibilityTimeout: 0 });
      expect(all.MD5OfMessageAttributes).toBe('c932db14a896c663f83c260297d594ff');
      expect(all.MessageAttributes?.attribName1).toEqual({
        DataType: 'String',
        StringValue: 'attribValue 1',
      });
      expect(Buffer.from(all.MessageAttributes!.binaryAttribute.BinaryValue!).toString()).toBe(
        'Hello binary world!',
      );

      const one = await receiveOne(url, { MessageAttributeNames: ['attribName1'], VisibilityTimeout: 0 });
      expect(Object.keys(one.MessageAttributes ?? {})).toEqual(['attribName1']);
      expect(one.MD5OfMessageAttributes).toBe('19e27d4e946b072f3f58da80d94fd778');

      const none = await receiveOne(url);
      expect(none.MessageAttributes).toBeUndefined();
      expect(none.MD5OfMessageAttributes).toBeUndefined();
    });

    it('selects attributes by prefix.*', async () => {
      const { url } = await target.createQueue('attributes-prefix');
      await send(url, 'x', {
        MessageAttributes: {
          'order.id': { DataType: 'String', StringValue: '1' },
          'order.kind': { DataType: 'String', StringValue: 'a' },
          trace: { DataType: 'String', StringValue: 't' },
        },
      });
      const message = await receiveOne(url, { MessageAttributeNames: ['order.*'] });
      expect(Object.keys(message.MessageAttributes ?? {}).sort()).toEqual(['order.id', 'order.kind']);
    });

    it('refuses more than 10 attributes and an unknown data type', async () => {
      const { url } = await target.createQueue('attributes-invalid');
      const eleven = Object.fromEntries(
        Array.from({ length: 11 }, (_, index) => [`a${index}`, { DataType: 'String', StringValue: 'v' }]),
      );
      await expect(send(url, 'x', { MessageAttributes: eleven })).rejects.toMatchObject({
        name: 'InvalidParameterValue',
      });
      await expect(
        send(url, 'x', { MessageAttributes: { a: { DataType: 'Text', StringValue: 'v' } } }),
      ).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    });
  });

  describe('batches', () => {
    it('reports per-entry results for SendMessageBatch', async () => {
      const { url } = await target.createQueue('batch-send');
      const result = await target.client.send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: [
            { Id: 'ok-1', MessageBody: 'one' },
            { Id: 'bad', MessageBody: 'nul \u0000 character' },
            {
              Id: 'ok-2',
              MessageBody: 'two',
              MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } },
            },
          ],
        }),
      );
      expect(result.Successful?.map((entry) => entry.Id).sort()).toEqual(['ok-1', 'ok-2']);
      expect(result.Successful?.find((entry) => entry.Id === 'ok-2')?.MD5OfMessageAttributes).toEqual(
        expect.any(String),
      );
      expect(result.Failed).toEqual([
        expect.objectContaining({ Id: 'bad', SenderFault: true, Code: 'InvalidMessageContents' }),
      ]);
    });

    it('reports per-entry results for DeleteMessageBatch and ChangeMessageVisibilityBatch', async () => {
      const { url } = await target.createQueue('batch-delete');
      await send(url, 'a');
      await send(url, 'b');
      const [first, second] = await eventually(async () => {
        const messages = [...(await receive(url, { WaitTimeSeconds: 1, MaxNumberOfMessages: 2 }))];
        return messages.length === 2 ? messages : undefined;
      }, target.settleMs);

      const visibility = await target.client.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: url,
          Entries: [
            { Id: 'valid', ReceiptHandle: first.ReceiptHandle, VisibilityTimeout: 60 },
            { Id: 'invalid', ReceiptHandle: 'not-a-receipt-handle', VisibilityTimeout: 60 },
          ],
        }),
      );
      expect(visibility.Successful).toEqual([{ Id: 'valid' }]);
      expect(visibility.Failed).toEqual([
        expect.objectContaining({ Id: 'invalid', Code: 'ReceiptHandleIsInvalid' }),
      ]);

      const deletion = await target.client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: url,
          Entries: [
            { Id: 'first', ReceiptHandle: first.ReceiptHandle },
            { Id: 'second', ReceiptHandle: second.ReceiptHandle },
            { Id: 'invalid', ReceiptHandle: 'not-a-receipt-handle' },
          ],
        }),
      );
      expect(deletion.Successful?.map((entry) => entry.Id).sort()).toEqual(['first', 'second']);
      expect(deletion.Failed).toEqual([
        expect.objectContaining({ Id: 'invalid', SenderFault: true, Code: 'ReceiptHandleIsInvalid' }),
      ]);
    });

    it.each([
      ['no entries', [], EmptyBatchRequest],
      [
        '11 entries',
        Array.from({ length: 11 }, (_, index) => ({ Id: `m${index}`, MessageBody: 'x' })),
        TooManyEntriesInBatchRequest,
      ],
      [
        'a repeated id',
        [
          { Id: 'same', MessageBody: 'x' },
          { Id: 'same', MessageBody: 'y' },
        ],
        BatchEntryIdsNotDistinct,
      ],
      ['an invalid id', [{ Id: 'not valid!', MessageBody: 'x' }], InvalidBatchEntryId],
    ])('refuses a batch with %s', async (_case, Entries, exception) => {
      const { url } = await target.createQueue('batch-invalid');
      await expect(
        target.client.send(new SendMessageBatchCommand({ QueueUrl: url, Entries })),
      ).rejects.toBeInstanceOf(exception);
    });
  });

  describe('queues', () => {
    it('counts visible, in-flight and delayed messages', async () => {
      const { url } = await target.createQueue('counts');
      await send(url, 'visible');
      await send(url, 'in flight');
      await send(url, 'delayed', { DelaySeconds: 60 });
      await receiveOne(url, { VisibilityTimeout: 60 });
      const attributes = await eventually(async () => {
        const current = await queueAttributes(url);
        const settled =
          current.ApproximateNumberOfMessages === '1' &&
          current.ApproximateNumberOfMessagesNotVisible === '1' &&
          current.ApproximateNumberOfMessagesDelayed === '1';
        return settled ? current : undefined;
      }, target.settleMs);
      expect(attributes.ApproximateNumberOfMessagesDelayed).toBe('1');
    });

    it('finds, lists, purges and tells unknown queues apart', async () => {
      const { url } = await target.createQueue('lifecycle', { VisibilityTimeout: '45' });
      const name = url.split('/').at(-1)!;
      expect((await target.client.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl).toBe(url);
      expect(
        (
          await target.client.send(
            new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: '45' } }),
          )
        ).QueueUrl,
      ).toBe(url);
      await expect(
        target.client.send(
          new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: '46' } }),
        ),
      ).rejects.toBeInstanceOf(QueueNameExists);
      await eventually(async () => {
        const { QueueUrls } = await target.client.send(new ListQueuesCommand({ QueueNamePrefix: name }));
        return QueueUrls?.includes(url) ? true : undefined;
      }, target.settleMs);

      await send(url, 'to purge');
      await target.client.send(new PurgeQueueCommand({ QueueUrl: url }));
      await expect(target.client.send(new PurgeQueueCommand({ QueueUrl: url }))).rejects.toBeInstanceOf(
        PurgeQueueInProgress,
      );

      await expect(
        target.client.send(new GetQueueUrlCommand({ QueueName: `${name}-missing` })),
      ).rejects.toBeInstanceOf(QueueDoesNotExist);
    });
  });
});
