import type { QueueConsumerOptions } from '../../../nest-worker/src/queue/queue-consumer';
import type { WorkQueues } from '../worker-harness';

/**
 * A product-ingest consumer that works on one message at a time, received when asked, kept hidden for
 * 10 minutes (so only the consumer's own decision brings it back) and consuming whatever Redis's state:
 * for tests that follow one message to its settlement.
 */
export function singleMessageConsumerOptions(queues: WorkQueues): QueueConsumerOptions {
  return {
    name: 'product-ingest',
    queueUrl: queues.queueUrl,
    deadLetterQueueUrl: queues.deadLetterQueueUrl,
    maxInFlight: 1,
    prefetch: 0,
    visibilityTimeoutSeconds: 600,
    heartbeatIntervalMs: 60_000,
    handlerTimeoutMs: 30_000,
    waitTimeSeconds: 1,
    retryDelayBaseSeconds: 1,
    retryDelayCapSeconds: 5,
    canConsume: () => true,
    pausedPollIntervalMs: 100,
  };
}
