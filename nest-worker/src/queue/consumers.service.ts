import type { Server } from 'node:net';
import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { PinoLogger } from 'nestjs-pino';
import type { ConsumerName, QueuePair, WorkerConfig } from '../config/worker-config';
import type { MessageHandler } from './consumed-message';
import { QueueConsumer } from './queue-consumer';
import { IdempotencyLedger } from '../idempotency/idempotency-ledger';
import { isRedisReady, type RedisConnection } from '../idempotency/redis-connection';
import { namespacedScope } from '../idempotency/redis-keys';
import { RELAY_SCOPE, RelayPendingMarks } from '../idempotency/relay-pending-marks';
import { MEDUSA, PIMCORE, REDIS, SQS, WORKER_CONFIG } from '../config/injection-tokens';
import { ProductIngestHandler } from '../pimcore/product-ingest-handler';
import type { MedusaAdminClient } from '../medusa/medusa-admin-client';
import { MedusaProductSync } from '../medusa/medusa-product-sync';
import { ConsumerTelemetry } from '../observability/consumer-telemetry';
import { WorkerMetrics } from '../observability/worker-metrics';
import type { PimcoreClient } from '../pimcore';
import { MedusaSyncHandler } from '../medusa/medusa-sync-handler';

/** Ledger TTLs: a claim outlives a crashed worker by one handler timeout; "applied" is kept a week. */
const APPLIED_TTL_SECONDS = 7 * 24 * 3600;

/** When another worker holds the product, look again after this long. */
const BUSY_RETRY_DELAY_SECONDS = 5;

/**
 * Builds the queue consumers WORKER_CONSUMERS asks for (product-ingest → Pimcore, medusa-sync →
 * Medusa), starts them once the app's HTTP server listens and stops them gracefully on SIGTERM/SIGINT.
 * Starting after the bind means a worker that cannot take its port (PORT in use) has received nothing.
 */
@Injectable()
export class ConsumersService implements OnApplicationBootstrap, OnModuleDestroy {
  readonly all: readonly QueueConsumer[];
  /** Set once the consumers started; an app closed before it listened never starts them. */
  private started = false;

  constructor(
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
    @Inject(SQS) private readonly sqs: SQSClient,
    @Inject(REDIS) private readonly redis: RedisConnection,
    @Inject(PIMCORE) pimcore: PimcoreClient,
    @Inject(MEDUSA) medusa: MedusaAdminClient | undefined,
    @Inject(WorkerMetrics) metrics: WorkerMetrics,
    @Inject(PinoLogger) private readonly logger: PinoLogger,
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
  ) {
    logger.setContext('ConsumersService');
    const telemetry = new ConsumerTelemetry(metrics, logger);
    const consumers: QueueConsumer[] = [];
    if (config.productIngest) {
      const queue = 'product-ingest';
      const handler = new ProductIngestHandler(this.ledger('pimcore'), pimcore, {
        retry: config.retry,
        busyRetryDelaySeconds: BUSY_RETRY_DELAY_SECONDS,
        onRetry: (message, subject, error, attempt) =>
          telemetry.attemptRetried(queue, message, subject, error, attempt),
      });
      consumers.push(this.consumer(queue, config.productIngest, handler, telemetry));
    }
    if (config.medusaSync && medusa) {
      const queue = 'medusa-sync';
      const { medusa: medusaConfig } = config.medusaSync;
      const handler = new MedusaSyncHandler(
        this.ledger(RELAY_SCOPE),
        new RelayPendingMarks(redis, config.redisKeyNamespace),
        pimcore,
        new MedusaProductSync(medusa, medusaConfig),
        {
          mapping: {
            salesChannelId: medusaConfig.salesChannelId,
            currencies: medusaConfig.currencies,
            manageInventory: medusaConfig.stockLocationId !== undefined,
          },
          retry: config.retry,
          busyRetryDelaySeconds: BUSY_RETRY_DELAY_SECONDS,
          onRetry: (message, subject, error, attempt) =>
            telemetry.attemptRetried(queue, message, subject, error, attempt),
        },
      );
      consumers.push(this.consumer(queue, config.medusaSync, handler, telemetry));
    }
    this.all = consumers;
  }

  /** The HTTP server the consumers wait for; undefined in an app without one (an application context). */
  private get httpServer(): Server | undefined {
    return this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
  }

  private readonly startConsumers = (): void => {
    if (this.started) return;
    this.started = true;
    for (const consumer of this.all) consumer.start();
    this.logger.info(
      { consumers: this.all.map((consumer) => consumer.name), maxInFlight: this.config.maxInFlight },
      'consumers started',
    );
  };

  /** Runs before app.listen binds the port: the consumers start on the server's 'listening'. */
  onApplicationBootstrap(): void {
    const server = this.httpServer;
    if (server === undefined || server.listening) this.startConsumers();
    else server.once('listening', this.startConsumers);
  }

  async onModuleDestroy(): Promise<void> {
    this.httpServer?.removeListener('listening', this.startConsumers);
    this.logger.info({ deadlineMs: this.config.shutdownDeadlineMs }, 'stopping consumers');
    await Promise.all(this.all.map((consumer) => consumer.stop(this.config.shutdownDeadlineMs)));
    this.logger.info('consumers stopped');
  }

  /** One ledger per destination: Pimcore and Medusa each record what they were given. */
  private ledger(scope: 'pimcore' | typeof RELAY_SCOPE): IdempotencyLedger {
    return new IdempotencyLedger(this.redis, {
      scope: namespacedScope(scope, this.config.redisKeyNamespace),
      claimTtlMs: this.config.handlerTimeoutMs + 5000,
      appliedTtlSeconds: APPLIED_TTL_SECONDS,
    });
  }

  private consumer(
    name: ConsumerName,
    queues: QueuePair,
    handler: MessageHandler,
    telemetry: ConsumerTelemetry,
  ): QueueConsumer {
    const { config } = this;
    return new QueueConsumer(this.sqs, handler, telemetry, {
      name,
      queueUrl: queues.queueUrl,
      deadLetterQueueUrl: queues.deadLetterQueueUrl,
      maxInFlight: config.maxInFlight,
      prefetch: config.prefetch,
      visibilityTimeoutSeconds: config.visibilityTimeoutSeconds,
      heartbeatIntervalMs: config.heartbeatIntervalMs,
      handlerTimeoutMs: config.handlerTimeoutMs,
      waitTimeSeconds: config.waitTimeSeconds,
      retryDelayBaseSeconds: 2,
      retryDelayCapSeconds: config.visibilityTimeoutSeconds,
      canConsume: () => isRedisReady(this.redis),
      pausedPollIntervalMs: 1000,
    });
  }
}
