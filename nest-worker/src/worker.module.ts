import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamicModule, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule, PinoLogger } from 'nestjs-pino';
import type { WorkerConfig } from './config/worker-config';
import { ConsumersService } from './queue/consumers.service';
import { HealthController } from './observability/health.controller';
import { openRedisConnection, type RedisConnection } from './idempotency/redis-connection';
import { EVENT_BRIDGE, MEDUSA, PIMCORE, REDIS, SQS, WORKER_CONFIG } from './config/injection-tokens';
import { MedusaAdminClient } from './medusa/medusa-admin-client';
import { MetricsController } from './observability/metrics.controller';
import { QueueDepthMonitor } from './observability/queue-depth-monitor';
import { WorkerMetrics } from './observability/worker-metrics';
import { createPimcoreClient, type PimcoreClient } from './pimcore';
import { HttpServerTimeouts } from './webhook/http-server-timeouts';
import { PimcoreWebhookController } from './webhook/pimcore-webhook.controller';
import { PimcoreWebhookService } from './webhook/pimcore-webhook.service';

/** Headers and fields that may carry secrets never reach the logs. */
const REDACTED = [
  'req.headers.authorization',
  'req.headers.apikey',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'req.headers["x-pimcore-signature"]',
];

/**
 * Options every creation of the worker's app must pass: no global body parser, because the webhook
 * reads its raw body itself (the signature covers the bytes as sent) with its own size limit.
 */
export const WORKER_APP_OPTIONS = { bodyParser: false } as const;

/**
 * Every constructor parameter of the worker's providers names its token with @Inject: tsx
 * (`npm run worker`) and esbuild (the image's bundle) emit no decorator metadata to infer it from.
 */
@Module({})
export class WorkerModule implements OnApplicationShutdown {
  constructor(
    @Inject(REDIS) private readonly redis: RedisConnection,
    @Inject(PIMCORE) private readonly pimcore: PimcoreClient,
    @Inject(EVENT_BRIDGE) private readonly eventBridge: EventBridgeClient,
    @Inject(MEDUSA) private readonly medusa: MedusaAdminClient | undefined,
  ) {}

  static register(config: WorkerConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            redact: { paths: REDACTED, censor: '[redacted]' },
            // Probes and scrapes every few seconds would drown the product lines.
            autoLogging: {
              ignore: (request) => ['/health', '/ready', '/metrics'].includes(request.url ?? ''),
            },
          },
        }),
        TerminusModule.forRoot({ logger: false }),
        ScheduleModule.forRoot(),
      ],
      controllers: [HealthController, MetricsController, PimcoreWebhookController],
      providers: [
        { provide: WORKER_CONFIG, useValue: config },
        {
          provide: REDIS,
          inject: [PinoLogger],
          useFactory: (logger: PinoLogger) => {
            logger.setContext('Redis');
            return openRedisConnection(config.redis, logger);
          },
        },
        { provide: SQS, useFactory: () => new SQSClient({}) },
        { provide: PIMCORE, useFactory: () => createPimcoreClient(config.pimcore) },
        { provide: EVENT_BRIDGE, useFactory: () => new EventBridgeClient({}) },
        {
          provide: MEDUSA,
          useFactory: () => config.medusaSync && new MedusaAdminClient(config.medusaSync.medusa),
        },
        WorkerMetrics,
        ConsumersService,
        QueueDepthMonitor,
        PimcoreWebhookService,
        HttpServerTimeouts,
      ],
    };
  }

  /** After the consumers stopped (onModuleDestroy), close the connections they used. */
  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.pimcore.close(), this.medusa?.close()]);
    this.eventBridge.destroy();
    // QUIT lets the commands already sent (claim releases are not awaited) complete; if Redis is down, drop it.
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
