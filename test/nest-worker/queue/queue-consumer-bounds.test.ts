import { QueueConsumer, type QueueConsumerOptions } from '../../../nest-worker/src/queue/queue-consumer';
import type { ConsumerObserver } from '../../../nest-worker/src/queue/consumer-observer';
import type { HandlerOutcome, MessageHandler } from '../../../nest-worker/src/queue/consumed-message';
import { queueCounts, sendBodies, startWorkQueues, waitUntil, type WorkQueues } from '../worker-harness';

const quietObserver: ConsumerObserver = { received() {}, settled() {}, inFlight() {}, error() {} };

/** A handler that holds every message until the test lets it go, counting how many run at once. */
class GatedHandler implements MessageHandler {
  running = 0;
  maxRunning = 0;
  private release: () => void = () => undefined;
  private gate = new Promise<void>((resolve) => (this.release = resolve));

  async handle(): Promise<HandlerOutcome> {
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    await this.gate;
    this.running--;
    return { kind: 'done', result: 'applied' };
  }

  open(): void {
    this.release();
  }
}

function consumerOptions(
  name: string,
  queues: WorkQueues,
  bounds: { maxInFlight: number; prefetch: number },
): QueueConsumerOptions {
  return {
    name,
    queueUrl: queues.queueUrl,
    deadLetterQueueUrl: queues.deadLetterQueueUrl,
    ...bounds,
    visibilityTimeoutSeconds: 30,
    heartbeatIntervalMs: 10_000,
    handlerTimeoutMs: 20_000,
    waitTimeSeconds: 1,
    retryDelayBaseSeconds: 1,
    retryDelayCapSeconds: 5,
    canConsume: () => true,
    pausedPollIntervalMs: 100,
  };
}

let queues: WorkQueues;
beforeAll(async () => {
  queues = await startWorkQueues({ visibilityTimeout: 30, maxReceiveCount: 5 });
});
afterAll(async () => {
  await queues.server.close();
});

it('runs at most maxInFlight handlers and holds at most maxInFlight + prefetch messages', async () => {
  await sendBodies(
    queues,
    Array.from({ length: 12 }, (_, index) => `message ${index}`),
  );
  const handler = new GatedHandler();
  const consumer = new QueueConsumer(
    queues.sqs,
    handler,
    quietObserver,
    consumerOptions('bounds', queues, { maxInFlight: 2, prefetch: 3 }),
  );
  consumer.start();
  await waitUntil(
    'five messages are held',
    async () => (await queueCounts(queues, queues.queueUrl)).inFlight === 5,
  );
  // Held steady: no further receive while every slot is taken.
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(await queueCounts(queues, queues.queueUrl)).toEqual({ visible: 7, inFlight: 5 });
  expect(handler.running).toBe(2);

  handler.open();
  await waitUntil('all messages are deleted', async () => {
    const counts = await queueCounts(queues, queues.queueUrl);
    return counts.visible === 0 && counts.inFlight === 0;
  });
  expect(handler.maxRunning).toBe(2);
  await consumer.stop(1000);
});

/** A handler whose messages finish one at a time, when the test says. */
class OneByOneHandler implements MessageHandler {
  private readonly gates: (() => void)[] = [];
  private opened = false;

  async handle(): Promise<HandlerOutcome> {
    if (!this.opened) await new Promise<void>((resolve) => this.gates.push(resolve));
    return { kind: 'done', result: 'applied' };
  }

  finishOne(): void {
    this.gates.shift()?.();
  }

  finishAll(): void {
    this.opened = true;
    for (const finish of this.gates.splice(0)) finish();
  }
}

it('refills prefetched slots in receives of half the prefetch, not one slot at a time', async () => {
  // Queues of its own: a receive the previous test's consumer abandoned at its stop still takes
  // messages on the server.
  const queues = await startWorkQueues({ visibilityTimeout: 30, maxReceiveCount: 5 });
  await sendBodies(
    queues,
    Array.from({ length: 12 }, (_, index) => `refill ${index}`),
  );
  const handler = new OneByOneHandler();
  const consumer = new QueueConsumer(
    queues.sqs,
    handler,
    quietObserver,
    consumerOptions('refill', queues, { maxInFlight: 2, prefetch: 4 }),
  );
  const held = (inFlight: number, visible: number) =>
    waitUntil(`${inFlight} held, ${visible} visible`, async () => {
      const counts = await queueCounts(queues, queues.queueUrl);
      return counts.inFlight === inFlight && counts.visible === visible;
    });
  consumer.start();
  try {
    await held(6, 6);
    // One slot free while three messages wait for a handler: no receive for one message.
    handler.finishOne();
    await held(5, 6);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await queueCounts(queues, queues.queueUrl)).toEqual({ visible: 6, inFlight: 5 });
    // Two free: one receive of two.
    handler.finishOne();
    await held(6, 4);
  } finally {
    handler.finishAll();
    await waitUntil('all messages are deleted', async () => {
      const counts = await queueCounts(queues, queues.queueUrl);
      return counts.visible === 0 && counts.inFlight === 0;
    });
    await consumer.stop(1000);
    await queues.server.close();
  }
});
