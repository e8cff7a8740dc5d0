import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type Redis from 'ioredis';
import { PinoLogger } from 'nestjs-pino';
import type { WorkerConfig } from '../config/worker-config';
import { QueueConsumer } from '../consumer/queue-consumer';
import { IdempotencyLedger } from '../idempotency/idempotency-ledger';
import { isRedisReady } from '../infrastructure/redis-connection';
import { PIMCORE, REDIS, SQS, WORKER_CONFIG } from '../infrastructure/tokens';
import { ProductIngestHandler } from '../ingest/product-ingest-handler';
import { ConsumerTelemetry } from '../observability/consumer-telemetry';
import { WorkerMetrics } from '../observability/worker-metrics';
import type { PimcoreClient } from '../pimcore';

/** Ledger TTLs: a claim outlives a crashed worker by one handler timeout; "applied" is kept a week. */
const APPLIED_TTL_SECONDS = 7 * 24 * 3600;

/** Starts the queue consumers when the app is up and stops them gracefully on SIGTERM/SIGINT. */
@Injectable()
export class ConsumersService implements OnApplicationBootstrap, OnModuleDestroy {
  readonly productIngest: QueueConsumer;

  constructor(
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
    @Inject(SQS) sqs: SQSClient,
    @Inject(REDIS) redis: Redis,
    @Inject(PIMCORE) pimcore: PimcoreClient,
    @Inject(WorkerMetrics) metrics: WorkerMetrics,
    @Inject(PinoLogger) private readonly logger: PinoLogger,
  ) {
    logger.setContext('ConsumersService');
    const telemetry = new ConsumerTelemetry(metrics, logger);
    const queue = 'product-ingest';
    const ledger = new IdempotencyLedger(redis, {
      scope: 'pimcore',
      claimTtlMs: config.handlerTimeoutMs + 5000,
      appliedTtlSeconds: APPLIED_TTL_SECONDS,
    });
    const handler = new ProductIngestHandler(ledger, pimcore, {
      retry: config.retry,
      busyRetryDelaySeconds: 5,
      onRetry: (message, subject, error, attempt) =>
        telemetry.attemptRetried(queue, message, subject, error, attempt),
    });
    this.productIngest = new QueueConsumer(sqs, handler, telemetry, {
      name: queue,
      queueUrl: config.productIngest.queueUrl,
      deadLetterQueueUrl: config.productIngest.deadLetterQueueUrl,
      maxInFlight: config.maxInFlight,
      prefetch: config.prefetch,
      visibilityTimeoutSeconds: config.visibilityTimeoutSeconds,
      heartbeatIntervalMs: config.heartbeatIntervalMs,
      handlerTimeoutMs: config.handlerTimeoutMs,
      waitTimeSeconds: config.waitTimeSeconds,
      retryDelayBaseSeconds: 2,
      retryDelayCapSeconds: config.visibilityTimeoutSeconds,
      canConsume: () => isRedisReady(redis),
      pausedPollIntervalMs: 1000,
    });
  }

  get all(): QueueConsumer[] {
    return [this.productIngest];
  }

  onApplicationBootstrap(): void {
    for (const consumer of this.all) consumer.start();
    this.logger.info({ maxInFlight: this.config.maxInFlight }, 'consumers started');
  }

  async onModuleDestroy(): Promise<void> {
    this.logger.info({ deadlineMs: this.config.shutdownDeadlineMs }, 'stopping consumers');
    await Promise.all(this.all.map((consumer) => consumer.stop(this.config.shutdownDeadlineMs)));
    this.logger.info('consumers stopped');
  }
}
