import { z } from 'zod';
import { pimcoreEnvSchema, type PimcoreConfig } from '../pimcore';

const int = (min: number, max: number) => z.coerce.number<string>().int().min(min).max(max);

/** Received-ahead messages per consumer: one receive batch. */
export const DEFAULT_PREFETCH = 10;

const workerEnvSchema = z.object({
  PRODUCT_INGEST_QUEUE_URL: z.url(),
  PRODUCT_INGEST_DLQ_URL: z.url(),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6379'),
  /** Messages worked on at once across the process. */
  WORKER_MAX_IN_FLIGHT: int(1, 1000).default(16),
  /** Messages received ahead of a free handler (hides the receive round trip). */
  WORKER_PREFETCH: int(0, 100).default(DEFAULT_PREFETCH),
  /** Must match the stack's workerHandlerTimeoutSeconds (the queue's visibility is twice this). */
  WORKER_HANDLER_TIMEOUT_SECONDS: int(1, 3600).default(60),
  /** ECS and Kubernetes allow 30 s between SIGTERM and SIGKILL by default. */
  WORKER_SHUTDOWN_DEADLINE_SECONDS: int(1, 600).default(25),
  WORKER_RETRY_MAX_ATTEMPTS: int(1, 20).default(4),
  WORKER_RETRY_BASE_MS: int(1, 60_000).default(500),
  WORKER_RETRY_CAP_MS: int(1, 600_000).default(10_000),
  /** Long-poll wait; 20 s (the SQS maximum) keeps empty receives, and their cost, low. */
  WORKER_WAIT_TIME_SECONDS: int(0, 20).default(20),
  PORT: int(1, 65535).default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Two during a rotation: the new secret and the one being retired. */
  PIMCORE_WEBHOOK_SECRETS: webhookSecretsSchema(),
  /** The bus ProductPublished/ProductUnpublished go to (stack output `EventBusName`). */
  PRODUCTS_EVENT_BUS_NAME: z
    .string({ error: 'required: the products event bus (stack output EventBusName)' })
    .regex(/^[\w.\-/:]{1,1600}$/, 'not an event bus name or ARN'),
});

/** "secret[,secret]": one or two secrets of at least 32 characters; no message ever repeats a value. */
function webhookSecretsSchema() {
  const secrets = z
    .array(z.string().min(32, 'each secret must be at least 32 characters'))
    .min(1, 'required: 1 or 2 comma-separated secrets')
    .max(2, 'at most 2 secrets (the new one and the one being retired)');
  return z
    .string({ error: 'required: 1 or 2 comma-separated secrets of at least 32 characters' })
    .transform((value) =>
      value
        .split(',')
        .map((secret) => secret.trim())
        .filter((secret) => secret !== ''),
    )
    .pipe(secrets);
}

export interface WorkerConfig {
  readonly productIngest: { readonly queueUrl: string; readonly deadLetterQueueUrl: string };
  readonly redisUrl: string;
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
  readonly webhook: { readonly secrets: readonly string[]; readonly eventBusName: string };
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
  const problems = [...(worker.error?.issues ?? []), ...(pimcore.error?.issues ?? [])].map(
    (issue) => `  - ${issue.path.join('.') || '(environment)'}: ${issue.message}`,
  );
  if (!worker.success || !pimcore.success) {
    throw new WorkerConfigError(`Invalid worker configuration:\n${problems.join('\n')}`);
  }
  const values = worker.data;
  const handlerTimeoutSeconds = values.WORKER_HANDLER_TIMEOUT_SECONDS;
  const visibilityTimeoutSeconds = handlerTimeoutSeconds * 2;
  return {
    productIngest: {
      queueUrl: values.PRODUCT_INGEST_QUEUE_URL,
      deadLetterQueueUrl: values.PRODUCT_INGEST_DLQ_URL,
    },
    redisUrl: values.REDIS_URL,
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
    webhook: { secrets: values.PIMCORE_WEBHOOK_SECRETS, eventBusName: values.PRODUCTS_EVENT_BUS_NAME },
  };
}
