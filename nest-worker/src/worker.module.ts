import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamicModule, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule, PinoLogger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { Options as PinoHttpOptions } from 'pino-http';
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

/**
 * Headers and fields that may carry secrets never reach the logs. Lines logged during a request carry
 * no request (quietReqLogger), but the access line of a route still auto-logged does: keep them out.
 */
const REDACTED = [
  'req.headers.authorization',
  'req.headers.apikey',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'req.headers["x-pimcore-signature"]',
];

/** Probes and scrapes every few seconds would drown the product lines. */
const PROBES = ['/health', '/ready', '/metrics'];

/**
 * `POST /webhooks/pimcore`, as Express routes it to the controller (any case, a trailing slash, a query).
 * A request that matches here but not there would only lose an access line; one routed there but not
 * matched here gets one it does not need.
 */
function isWebhookRequest(request: IncomingMessage): boolean {
  const path = (request.url ?? '').split('?', 1)[0].replace(/\/+$/, '').toLowerCase();
  return request.method === 'POST' && path === '/webhooks/pimcore';
}

/**
 * pino-http's options: the worker's log lines (docs/worker.md, "Logs"), read by the stack's metric
 * filters and saved queries (lib/constructs/worker/worker-log-metrics.ts, worker-queries.ts).
 */
function pinoHttpOptions(level: string): PinoHttpOptions {
  return {
    level,
    redact: { paths: REDACTED, censor: '[redacted]' },
    // A line logged during a request carries only its id (`reqId`), not the whole request (≈ 750 bytes of
    // headers on every line), so the lines of one request still go together. A UUID rather than pino's
    // per-process counter: unique across tasks and restarts, so `reqId = "…"` finds one request.
    quietReqLogger: true,
    genReqId: () => randomUUID(),
    autoLogging: {
      // The webhook gets no access line: its controller and service log exactly one line per request
      // with its `outcome` (which fixes the status; the duration is pipeline_webhook_duration_seconds)
      // and `deliveryId`, and the metric filters count those. An access line, even with only method,
      // url, status and time, would double the lines of the busiest route and add nothing the outcome
      // line does not say.
      ignore: (request) => PROBES.includes(request.url ?? '') || isWebhookRequest(request),
    },
  };
}

export interface WorkerModuleOptions {
  /** Where the log lines go; stdout when absent (tests capture them). */
  readonly logStream?: DestinationStream;
}

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

  static register(config: WorkerConfig, options: WorkerModuleOptions = {}): DynamicModule {
    const pinoHttp = pinoHttpOptions(config.logLevel);
    return {
      module: WorkerModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: options.logStream === undefined ? pinoHttp : [pinoHttp, options.logStream],
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
