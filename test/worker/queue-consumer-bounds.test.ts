import { QueueConsumer } from '../../nest-worker/src/consumer/queue-consumer';
import type { ConsumerObserver } from '../../nest-worker/src/consumer/consumer-observer';
import type { HandlerOutcome, MessageHandler } from '../../nest-worker/src/consumer/consumed-message';
import { queueCounts, sendBodies, startWorkQueues, waitUntil, type WorkQueues } from './worker-harness';

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
  const consumer = new QueueConsumer(queues.sqs, handler, quietObserver, {
    name: 'bounds',
    queueUrl: queues.queueUrl,
    deadLetterQueueUrl: queues.deadLetterQueueUrl,
    maxInFlight: 2,
    prefetch: 3,
    visibilityTimeoutSeconds: 30,
    heartbeatIntervalMs: 10_000,
    handlerTimeoutMs: 20_000,
    waitTimeSeconds: 1,
    retryDelayBaseSeconds: 1,
    retryDelayCapSeconds: 5,
    canConsume: () => true,
    pausedPollIntervalMs: 100,
  });
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
