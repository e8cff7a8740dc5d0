import { z } from 'zod';
import { medusaEnvSchema, type MedusaConfig } from '../medusa/medusa-config';
import { pimcoreEnvSchema, type PimcoreConfig } from '../pimcore';
import { REDIS_MODES, type RedisMode } from '../idempotency/redis-connection';
import { envWithDefault, oneOf, optionalEnv, requiredEnv, textOf, urlOf, wholeNumber } from './env-variables';

/** How long a webhook delivery is remembered as done (Pimcore's senders retry within hours). */
export const WEBHOOK_DELIVERY_MEMORY_SECONDS = 24 * 3600;

/** Received-ahead messages per consumer: one receive batch. */
export const DEFAULT_PREFETCH = 10;

/** The queues a worker can drain; one process drains both unless WORKER_CONSUMERS picks one. */
export const CONSUMER_NAMES = ['product-ingest', 'medusa-sync'] as const;
export type ConsumerName = (typeof CONSUMER_NAMES)[number];

const consumersSchema = envWithDefault(
  textOf(
    `${CONSUMER_NAMES.join(' and/or ')}, comma-separated`,
    z
      .string()
      .transform((list) =>
        list
          .split(',')
          .map((name) => name.trim())
          .filter((name) => name !== ''),
      )
      .pipe(
        z
          .array(z.enum(CONSUMER_NAMES, `expected ${CONSUMER_NAMES.join(' and/or ')}`))
          .min(1, `expected ${CONSUMER_NAMES.join(' and/or ')}`)
          .transform((names): ReadonlySet<ConsumerName> => new Set(names)),
      ),
  ),
  new Set(CONSUMER_NAMES),
  CONSUMER_NAMES.join(','),
);

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Each consumer's queue and DLQ (stack outputs), required only when that consumer runs. */
const queueUrl = (output: string) =>
  requiredEnv(urlOf(['http', 'https'], `a queue URL (stack output ${output})`));
const queueEnvSchemas = {
  'product-ingest': z.object({
    PRODUCT_INGEST_QUEUE_URL: queueUrl('ProductIngestQueueUrl'),
    PRODUCT_INGEST_DLQ_URL: queueUrl('ProductIngestDlqUrl'),
  }),
  'medusa-sync': z.object({
    MEDUSA_SYNC_QUEUE_URL: queueUrl('MedusaSyncQueueUrl'),
    MEDUSA_SYNC_DLQ_URL: queueUrl('MedusaSyncDlqUrl'),
  }),
} as const;

const workerEnvSchema = z.object({
  /** Which queues this process drains: both by default, or one to scale them apart. */
  WORKER_CONSUMERS: consumersSchema,
  REDIS_URL: envWithDefault(
    urlOf(['redis', 'rediss'], 'a redis:// or rediss:// URL'),
    'redis://127.0.0.1:6379',
  ),
  /** `cluster` for a Redis Cluster or ElastiCache Serverless (REDIS_URL is then the seed endpoint). */
  REDIS_MODE: envWithDefault(oneOf(REDIS_MODES), 'standalone'),
  /** Keeps the ledgers of deployments (or test runs) that share one Redis apart. */
  REDIS_KEY_NAMESPACE: optionalEnv(
    textOf(
      'letters, digits, _ or - (at most 64)',
      z.string().regex(/^[\w-]{1,64}$/, 'expected letters, digits, _ or - (at most 64), e.g. the stage name'),
    ),
    'keys without a namespace',
  ),
  /** Messages worked on at once across the process. */
  WORKER_MAX_IN_FLIGHT: envWithDefault(wholeNumber(1, 1000), 16),
  /** Messages received ahead of a free handler (hides the receive round trip). */
  WORKER_PREFETCH: envWithDefault(wholeNumber(0, 100), DEFAULT_PREFETCH),
  /** Must match the stack's workerHandlerTimeoutSeconds (the queue's visibility is twice this). */
  WORKER_HANDLER_TIMEOUT_SECONDS: envWithDefault(wholeNumber(1, 3600), 60),
  /** ECS and Kubernetes allow 30 s between SIGTERM and SIGKILL by default. */
  WORKER_SHUTDOWN_DEADLINE_SECONDS: envWithDefault(wholeNumber(1, 600), 25),
  WORKER_RETRY_MAX_ATTEMPTS: envWithDefault(wholeNumber(1, 20), 4),
  WORKER_RETRY_BASE_MS: envWithDefault(wholeNumber(1, 60_000), 500),
  WORKER_RETRY_CAP_MS: envWithDefault(wholeNumber(1, 600_000), 10_000),
  /** Long-poll wait; 20 s (the SQS maximum) keeps empty receives, and their cost, low. */
  WORKER_WAIT_TIME_SECONDS: envWithDefault(wholeNumber(0, 20), 20),
  PORT: envWithDefault(wholeNumber(1, 65_535), 3000),
  LOG_LEVEL: envWithDefault(oneOf(LOG_LEVELS), 'info'),
  /** HMAC secrets of the signed scheme; two during a rotation: the new one and the one being retired. */
  PIMCORE_WEBHOOK_SECRETS: requiredEnv(webhookCredentials('secret')),
  /** Static credentials of Datahub Webhooks subscribers (which cannot sign); unset: that mode is off. */
  PIMCORE_WEBHOOK_TOKENS: optionalEnv(webhookCredentials('token'), 'token mode off'),
  /**
   * How old a token-authenticated delivery (its general.timestamp) may be. At most the day a delivery
   * is remembered, so a request captured and replayed within the window is always a duplicate.
   */
  PIMCORE_WEBHOOK_TOKEN_MAX_AGE_SECONDS: envWithDefault(
    wholeNumber(60, WEBHOOK_DELIVERY_MEMORY_SECONDS),
    3600,
  ),
  /**
   * How long a webhook's event covers later webhooks of the same object until the relay reads it (0:
   * every delivery puts its event). The default is the relay queue's oldest-message alarm (900 s): an
   * event held up longer, or parked in the rule's DLQ, holds later webhooks back no longer than that.
   */
  WORKER_RELAY_COALESCE_SECONDS: envWithDefault(wholeNumber(0, WEBHOOK_DELIVERY_MEMORY_SECONDS), 900),
  /** The bus ProductPublished/ProductUnpublished go to (stack output `EventBusName`). */
  PRODUCTS_EVENT_BUS_NAME: requiredEnv(
    textOf(
      'the products event bus (stack output EventBusName)',
      z.string().regex(/^[\w.\-/:]{1,1600}$/, 'not an event bus name or ARN'),
    ),
  ),
});

/** "value[,value]": one or two values of at least 32 characters; no message ever repeats a value. */
function webhookCredentials(what: 'secret' | 'token') {
  const secrets = z
    .array(z.string().min(32, `each ${what} must be at least 32 characters`))
    .min(1, `expected 1 or 2 comma-separated ${what}s`)
    .max(2, `at most 2 ${what}s (the new one and the one being retired)`);
  return textOf(
    `1 or 2 comma-separated ${what}s of at least 32 characters`,
    z
      .string()
      .transform((value) =>
        value
          .split(',')
          .map((secret) => secret.trim())
          .filter((secret) => secret !== ''),
      )
      .pipe(secrets),
  );
}

export interface QueuePair {
  readonly queueUrl: string;
  readonly deadLetterQueueUrl: string;
}

export interface WorkerConfig {
  /** Absent when WORKER_CONSUMERS leaves the consumer out. */
  readonly productIngest?: QueuePair;
  readonly medusaSync?: QueuePair & { readonly medusa: MedusaConfig };
  readonly redis: { readonly url: string; readonly mode: RedisMode };
  readonly redisKeyNamespace: string | undefined;
  readonly maxInFlight: number;
  readonly prefetch: number;
  readonly handlerTimeoutMs: number;
  /** Given at receive and at every heartbeat: the queue's own visibility, twice the handler timeout. */
  readonly visibilityTimeoutSeconds: number;
  readonly heartbeatIntervalMs: number;
  readonly shutdownDeadlineMs: number;
  readonly retry: { readonly maxAttempts: number; readonly baseMs: number; readonly capMs: number };
  readonly waitTimeSeconds: number;
  readonly port: number;
  readonly logLevel: string;
  readonly pimcore: PimcoreConfig;
  readonly webhook: WebhookConfig;
}

export interface WebhookConfig {
  /** The signed scheme's HMAC secrets. */
  readonly secrets: readonly string[];
  /** Datahub Webhooks' static credentials; empty when that mode is off. */
  readonly tokens: readonly string[];
  readonly tokenMaxAgeSeconds: number;
  /** How long an object's pending relay event stands for its later webhooks; 0: no coalescing. */
  readonly relayCoalesceSeconds: number;
  readonly eventBusName: string;
}

export class WorkerConfigError extends Error {
  override readonly name = 'WorkerConfigError';
}

/**
 * Reads the worker's configuration from the environment and fails with one line per missing or wrong
 * variable, naming it. AWS endpoints and credentials are not here: the SDK reads its standard
 * variables (AWS_REGION, AWS_ENDPOINT_URL, …) itself.
 */
export function loadWorkerConfig(env: NodeJS.ProcessEnv): WorkerConfig {
  const worker = workerEnvSchema.safeParse(env);
  const pimcore = pimcoreEnvSchema.safeParse(env);
  // Read on its own, so a wrong variable elsewhere does not hide what the chosen consumers miss. When
  // WORKER_CONSUMERS itself is wrong, which queues are meant is unknown: its own line is the only one.
  const consumers: ReadonlySet<ConsumerName> =
    consumersSchema.safeParse(env.WORKER_CONSUMERS).data ?? new Set();
  const ingestQueues = consumers.has('product-ingest')
    ? queueEnvSchemas['product-ingest'].safeParse(env)
    : undefined;
  const syncQueues = consumers.has('medusa-sync') ? queueEnvSchemas['medusa-sync'].safeParse(env) : undefined;
  const medusa = consumers.has('medusa-sync') ? medusaEnvSchema.safeParse(env) : undefined;
  const results = [worker, pimcore, ingestQueues, syncQueues, medusa];
  const problems = results
    .flatMap((result) => result?.error?.issues ?? [])
    .map((issue) => `  - ${issue.path.join('.') || '(environment)'}: ${issue.message}`);
  if (!worker.success || !pimcore.success || problems.length > 0) {
    throw new WorkerConfigError(`Invalid worker configuration:\n${problems.join('\n')}`);
  }
  const values = worker.data;
  const handlerTimeoutSeconds = values.WORKER_HANDLER_TIMEOUT_SECONDS;
  const visibilityTimeoutSeconds = handlerTimeoutSeconds * 2;
  return {
    productIngest: ingestQueues?.data && {
      queueUrl: ingestQueues.data.PRODUCT_INGEST_QUEUE_URL,
      deadLetterQueueUrl: ingestQueues.data.PRODUCT_INGEST_DLQ_URL,
    },
    medusaSync: syncQueues?.data &&
      medusa?.data && {
        queueUrl: syncQueues.data.MEDUSA_SYNC_QUEUE_URL,
        deadLetterQueueUrl: syncQueues.data.MEDUSA_SYNC_DLQ_URL,
        medusa: medusa.data,
      },
    redis: { url: values.REDIS_URL, mode: values.REDIS_MODE },
    redisKeyNamespace: values.REDIS_KEY_NAMESPACE,
    maxInFlight: values.WORKER_MAX_IN_FLIGHT,
    prefetch: values.WORKER_PREFETCH,
    handlerTimeoutMs: handlerTimeoutSeconds * 1000,
    visibilityTimeoutSeconds,
    // Three heartbeats per visibility period: one can be missed without the message reappearing.
    heartbeatIntervalMs: Math.max(1000, Math.floor((visibilityTimeoutSeconds * 1000) / 3)),
    shutdownDeadlineMs: values.WORKER_SHUTDOWN_DEADLINE_SECONDS * 1000,
    retry: {
      maxAttempts: values.WORKER_RETRY_MAX_ATTEMPTS,
      baseMs: values.WORKER_RETRY_BASE_MS,
      capMs: values.WORKER_RETRY_CAP_MS,
    },
    waitTimeSeconds: values.WORKER_WAIT_TIME_SECONDS,
    port: values.PORT,
    logLevel: values.LOG_LEVEL,
    pimcore: pimcore.data,
    webhook: {
      secrets: values.PIMCORE_WEBHOOK_SECRETS,
      tokens: values.PIMCORE_WEBHOOK_TOKENS ?? [],
      tokenMaxAgeSeconds: values.PIMCORE_WEBHOOK_TOKEN_MAX_AGE_SECONDS,
      relayCoalesceSeconds: values.WORKER_RELAY_COALESCE_SECONDS,
      eventBusName: values.PRODUCTS_EVENT_BUS_NAME,
    },
  };
}
