import { QueueConsumer } from '../../nest-worker/src/queue/queue-consumer';
import type {
  ConsumedMessage,
  HandlerOutcome,
  MessageHandler,
} from '../../nest-worker/src/queue/consumed-message';
import type { ConsumerObserver } from '../../nest-worker/src/queue/consumer-observer';
import { IdempotencyLedger } from '../../nest-worker/src/idempotency/idempotency-ledger';
import { isRedisReady } from '../../nest-worker/src/idempotency/redis-connection';
import { ProductIngestHandler } from '../../nest-worker/src/pimcore/product-ingest-handler';
import type { BenchEnvironment } from './bench-environment';
import { DEFAULT_PREFETCH } from '../../nest-worker/src/config/worker-config';

/** Measured time for `messages` messages, from the start of consuming to the last one settled. */
export interface Drained {
  readonly messages: number;
  readonly seconds: number;
}

/** The worker's handler, as ConsumersService builds it, with the production retry settings. */
export function productIngestHandler(environment: BenchEnvironment): MessageHandler {
  const ledger = new IdempotencyLedger(environment.redis, {
    scope: environment.scope,
    claimTtlMs: 65_000,
    appliedTtlSeconds: 3600,
  });
  return new ProductIngestHandler(ledger, environment.pimcoreClient, {
    retry: { maxAttempts: 4, baseMs: 500, capMs: 10_000 },
    busyRetryDelaySeconds: 5,
  });
}

/**
 * Drains the queue through the worker's QueueConsumer (long polling, `inFlight` messages worked on at
 * once, batched deletes) with the real handler. Every message must end applied: anything else (a
 * retry, a dead letter, an error) fails the benchmark, since its figure would not mean what it says.
 */
export async function drainWithQueueConsumer(
  environment: BenchEnvironment,
  messages: number,
  inFlight: number,
): Promise<Drained> {
  const tally = new SettledTally(messages);
  const consumer = new QueueConsumer(environment.sqs, productIngestHandler(environment), tally, {
    name: 'product-ingest',
    queueUrl: environment.queueUrl,
    deadLetterQueueUrl: environment.deadLetterQueueUrl,
    maxInFlight: inFlight,
    prefetch: DEFAULT_PREFETCH,
    visibilityTimeoutSeconds: 120,
    heartbeatIntervalMs: 40_000,
    handlerTimeoutMs: 60_000,
    waitTimeSeconds: 20,
    retryDelayBaseSeconds: 2,
    retryDelayCapSeconds: 120,
    canConsume: () => isRedisReady(environment.redis),
    pausedPollIntervalMs: 1000,
  });
  const started = performance.now();
  consumer.start();
  try {
    await tally.allSettled;
    return { messages, seconds: (performance.now() - started) / 1000 };
  } finally {
    await consumer.stop(5000);
  }
}

/** Counts settled messages; fails on the first that did not end applied. */
class SettledTally implements ConsumerObserver {
  readonly allSettled: Promise<void>;
  private settledCount = 0;
  private resolve!: () => void;
  private reject!: (error: Error) => void;

  constructor(private readonly expected: number) {
    this.allSettled = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  received(): void {}

  inFlight(): void {}

  settled(_queue: string, message: ConsumedMessage, outcome: HandlerOutcome): void {
    if (outcome.kind !== 'done' || outcome.result !== 'applied') {
      this.reject(new Error(`message ${message.messageId} ended ${JSON.stringify(outcome)}`));
      return;
    }
    this.settledCount += 1;
    if (this.settledCount === this.expected) this.resolve();
  }

  error(_queue: string, what: string, error: unknown): void {
    this.reject(new Error(`${what} failed: ${error instanceof Error ? error.message : String(error)}`));
  }
}
