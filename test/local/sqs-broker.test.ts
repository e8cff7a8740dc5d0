import type { Clock } from '../../local/clock';
import { MessageMoveTasks } from '../../local/sqs/message-move-tasks';
import { SqsBroker } from '../../local/sqs/sqs-broker';

/** Time that moves only when the test says so. */
class ManualClock implements Clock {
  private time = Date.UTC(2025, 0, 1);
  now(): number {
    return this.time;
  }
  advanceSeconds(seconds: number): void {
    this.time += seconds * 1000;
  }
}

let clock: ManualClock;
let broker: SqsBroker;

beforeEach(() => {
  clock = new ManualClock();
  broker = new SqsBroker({ endpoint: 'http://127.0.0.1:1', clock });
});
afterEach(() => broker.close());

const receiveBodies = async (queueName: string) =>
  (await broker.receive(broker.queueByName(queueName), { maxNumberOfMessages: 10 })).map(
    ({ message }) => message.body,
  );

describe('SqsBroker (time-dependent semantics, with a manual clock)', () => {
  it('deletes messages after the retention period', async () => {
    const queue = broker.createQueue('retention', { MessageRetentionPeriod: '60' });
    broker.send(queue, { body: 'old' });
    clock.advanceSeconds(30);
    broker.send(queue, { body: 'young' });
    clock.advanceSeconds(30);
    expect(await receiveBodies('retention')).toEqual(['young']);
    expect(broker.queueAttributes(queue).ApproximateNumberOfMessagesNotVisible).toBe('1');
  });

  it('keeps the first enqueue time when a message moves to the dead-letter queue', async () => {
    const dlq = broker.createQueue('retention-dlq', { MessageRetentionPeriod: '120' });
    const source = broker.createQueue('retention-source', {
      VisibilityTimeout: '0',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 }),
    });
    broker.send(source, { body: 'poison' });
    clock.advanceSeconds(100);
    expect(await receiveBodies('retention-source')).toEqual(['poison']);
    expect(await receiveBodies('retention-source')).toEqual([]);
    expect(broker.queueAttributes(dlq).ApproximateNumberOfMessages).toBe('1');
    clock.advanceSeconds(20);
    expect(await receiveBodies('retention-dlq')).toEqual([]);
  });

  it('delays messages by the queue default or the per-message DelaySeconds', async () => {
    const queue = broker.createQueue('delays', { DelaySeconds: '10' });
    broker.send(queue, { body: 'queue default' });
    broker.send(queue, { body: 'immediate', delaySeconds: 0 });
    broker.send(queue, { body: 'longer', delaySeconds: 20 });
    expect(await receiveBodies('delays')).toEqual(['immediate']);
    expect(broker.queueAttributes(queue).ApproximateNumberOfMessagesDelayed).toBe('2');
    clock.advanceSeconds(10);
    expect(await receiveBodies('delays')).toEqual(['queue default']);
    clock.advanceSeconds(10);
    expect(await receiveBodies('delays')).toEqual(['longer']);
  });

  it('lets only the latest receipt handle delete a message; older handles succeed without deleting', async () => {
    const queue = broker.createQueue('stale-handles', { VisibilityTimeout: '30' });
    broker.send(queue, { body: 'twice received' });
    const [first] = await broker.receive(queue);
    clock.advanceSeconds(30);
    const [second] = await broker.receive(queue);
    expect(second.message.receiveCount).toBe(2);

    broker.deleteMessage(queue, first.receiptHandle);
    expect(broker.queueAttributes(queue).ApproximateNumberOfMessagesNotVisible).toBe('1');
    expect(() => broker.changeMessageVisibility(queue, first.receiptHandle, 0)).toThrow(
      expect.objectContaining({ code: 'InvalidParameterValue' }),
    );

    broker.deleteMessage(queue, second.receiptHandle);
    expect(broker.queueAttributes(queue).ApproximateNumberOfMessagesNotVisible).toBe('0');
  });

  it('refuses a receipt handle of another queue', async () => {
    const one = broker.createQueue('one');
    const other = broker.createQueue('other');
    broker.send(one, { body: 'x' });
    const [received] = await broker.receive(one);
    expect(() => broker.deleteMessage(other, received.receiptHandle)).toThrow(
      expect.objectContaining({ code: 'ReceiptHandleIsInvalid' }),
    );
  });

  it('extends visibility from the time of the change', async () => {
    const queue = broker.createQueue('extend', { VisibilityTimeout: '10' });
    broker.send(queue, { body: 'slow work' });
    const [received] = await broker.receive(queue);
    clock.advanceSeconds(8);
    broker.changeMessageVisibility(queue, received.receiptHandle, 10);
    clock.advanceSeconds(8);
    expect(await receiveBodies('extend')).toEqual([]);
    clock.advanceSeconds(2);
    expect(await receiveBodies('extend')).toEqual(['slow work']);
  });

  it('moves a message to the DLQ on the receive after maxReceiveCount, with its count and source', async () => {
    const dlq = broker.createQueue('dlq');
    const source = broker.createQueue('source', {
      VisibilityTimeout: '5',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 3 }),
    });
    broker.send(source, { body: 'poison' });
    for (let receive = 1; receive <= 3; receive += 1) {
      expect(await receiveBodies('source')).toEqual(['poison']);
      clock.advanceSeconds(5);
    }
    expect(await receiveBodies('source')).toEqual([]);
    const [deadLetter] = await broker.receive(dlq);
    expect(deadLetter.message).toMatchObject({
      body: 'poison',
      receiveCount: 4,
      deadLetterQueueSourceArn: source.arn,
    });
  });

  it('refuses a redrive policy naming a queue that does not exist', () => {
    expect(() =>
      broker.createQueue('orphan', {
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:nope',
          maxReceiveCount: 1,
        }),
      }),
    ).toThrow(expect.objectContaining({ code: 'InvalidParameterValue' }));
  });

  it('allows one purge per 60 seconds', () => {
    const queue = broker.createQueue('purge');
    broker.purgeQueue(queue);
    clock.advanceSeconds(59);
    expect(() => broker.purgeQueue(queue)).toThrow(expect.objectContaining({ code: 'PurgeQueueInProgress' }));
    clock.advanceSeconds(1);
    expect(() => broker.purgeQueue(queue)).not.toThrow();
  });

  it('refuses FIFO queues, bad attribute values and oversized messages', () => {
    expect(() => broker.createQueue('orders.fifo')).toThrow(
      expect.objectContaining({ code: 'UnsupportedOperation' }),
    );
    expect(() => broker.createQueue('bad', { VisibilityTimeout: '43201' })).toThrow(
      expect.objectContaining({ code: 'InvalidAttributeValue' }),
    );
    expect(() => broker.createQueue('bad', { Colour: 'blue' })).toThrow(
      expect.objectContaining({ code: 'InvalidAttributeName' }),
    );
    const small = broker.createQueue('small', { MaximumMessageSize: '1024' });
    expect(() => broker.send(small, { body: 'x'.repeat(1025) })).toThrow(
      expect.objectContaining({ code: 'InvalidParameterValue' }),
    );
  });
});

describe('SqsBroker in-process API', () => {
  it('sends to a queue by ARN with wire-shaped attributes', async () => {
    const queue = broker.createQueue('in-process');
    const { messageId } = broker.sendMessage(queue.arn, '{"event":1}', {
      ERROR_CODE: { DataType: 'String', StringValue: 'NO_RESOURCE' },
    });
    const [received] = await broker.receive(queue);
    expect(received.message.messageId).toBe(messageId);
    expect(received.message.messageAttributes.get('ERROR_CODE')?.stringValue).toBe('NO_RESOURCE');
    expect(() => broker.sendMessage('arn:aws:sqs:us-east-1:000000000000:missing', 'x')).toThrow(
      expect.objectContaining({ code: 'QueueDoesNotExist' }),
    );
  });
});

describe('SqsBroker long polling', () => {
  it('ends pending long polls when closed', async () => {
    const live = new SqsBroker({ endpoint: 'http://127.0.0.1:1' });
    const queue = live.createQueue('closing');
    let answered = false;
    const polling = live.receive(queue, { waitTimeSeconds: 20 });
    void polling.then(() => (answered = true));
    live.close();
    // Answered by close() itself, before the event loop turns (no timer, no I/O), not by its wait time:
    // however slowly this machine runs, nothing else could have ended the poll.
    await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toBe(true);
    expect(await polling).toEqual([]);
  });

  it('ends a long poll when its caller hangs up, and when its queue is deleted', async () => {
    const live = new SqsBroker({ endpoint: 'http://127.0.0.1:1' });
    const queue = live.createQueue('hang-up');
    const hangUp = new AbortController();
    const aborted = live.receive(queue, { waitTimeSeconds: 20, signal: hangUp.signal });
    const deleted = live.receive(queue, { waitTimeSeconds: 20 });
    hangUp.abort();
    live.deleteQueue(queue);
    expect(await aborted).toEqual([]);
    expect(await deleted).toEqual([]);
    live.close();
  });
});

describe('MessageMoveTasks', () => {
  it('needs a DestinationArn for messages with no known source when the DLQ serves several queues', () => {
    const dlq = broker.createQueue('shared-dlq');
    const policy = JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 });
    broker.createQueue('first', { RedrivePolicy: policy });
    const second = broker.createQueue('second', { RedrivePolicy: policy });
    broker.send(dlq, { body: 'sent straight to the DLQ' });
    const tasks = new MessageMoveTasks(broker);

    expect(tasks.start(dlq.arn)).toMatchObject({ status: 'FAILED', approximateNumberOfMessagesMoved: 0 });
    expect(tasks.start(dlq.arn, second.arn)).toMatchObject({
      status: 'COMPLETED',
      approximateNumberOfMessagesMoved: 1,
    });
    expect(tasks.list(dlq.arn, 10)).toHaveLength(2);
    expect(broker.queueAttributes(second).ApproximateNumberOfMessages).toBe('1');
  });

  it('refuses a source that is no dead-letter queue', () => {
    const plain = broker.createQueue('plain');
    expect(() => new MessageMoveTasks(broker).start(plain.arn)).toThrow(
      expect.objectContaining({ code: 'InvalidParameterValue' }),
    );
  });
});
