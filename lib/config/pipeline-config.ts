import { z } from 'zod';
import { parseTransformConfig, TransformConfigError } from '../../lambdas/domain/transform-config';

/**
 * Everything an operator can tune with `-c key=value` (or the `context` block of cdk.json).
 * Values from the command line arrive as strings, so numbers are coerced, then range-checked.
 */
const positiveInt = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Room left for the config in a Lambda's 4 KB environment after the pipeline's own variables. */
const MAX_TRANSFORM_CONFIG_BYTES = 3072;

const stageSchema = z.enum(['dev', 'prod']);

/** Fargate's CPU units; each allows a range of memory (checked by CloudFormation at deploy). */
const FARGATE_CPU = [256, 512, 1024, 2048, 4096] as const;

/** Secrets reach the worker only through Secrets Manager, never through workerEnvironment. */
const SECRET_VARIABLES = [
  'PIMCORE_API_KEY',
  'PIMCORE_WEBHOOK_SECRETS',
  'PIMCORE_WEBHOOK_TOKENS',
  'MEDUSA_SECRET_API_KEY',
  'MEDUSA_ADMIN_EMAIL',
  'MEDUSA_ADMIN_PASSWORD',
  'REDIS_URL',
];
/** Set by the stack itself from its own resources. */
const STACK_VARIABLES = [
  'WORKER_CONSUMERS',
  'PRODUCT_INGEST_QUEUE_URL',
  'PRODUCT_INGEST_DLQ_URL',
  'MEDUSA_SYNC_QUEUE_URL',
  'MEDUSA_SYNC_DLQ_URL',
  'PRODUCTS_EVENT_BUS_NAME',
  'REDIS_MODE',
  'PORT',
  'AWS_REGION',
];

const secretArn = z.string().regex(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/, {
  message: 'must be a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>)',
});

/** A list from cdk.json (an array) or from `-c key=a,b` (a comma-separated string). */
const listOf = (item: z.ZodString) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((value) => (typeof value === 'string' ? value.split(',') : value).map((entry) => entry.trim()))
    .pipe(z.array(item).min(1));

/** A switch from cdk.json (a boolean) or from `-c key=true` (a string, which z.coerce would take as true). */
const flag = z
  .union([z.boolean(), z.enum(['true', 'false'])], { message: 'must be true or false' })
  .transform((value) => value === true || value === 'true');

/** The nightly reconciliation's default: every day at 03:00 UTC. */
const DEFAULT_RECONCILE_SCHEDULE = 'cron(0 3 * * ? *)';

/**
 * An EventBridge Scheduler recurring expression: `rate(N unit)` (minute, hour, day; plural above 1), or
 * `cron(…)` with its six fields — minutes hours day-of-month month day-of-week year — where exactly one
 * of the two day fields is `?`. One-time `at(…)` schedules are not a nightly job.
 */
function isScheduleExpression(expression: string): boolean {
  const rate = /^rate\((\d+) (minute|hour|day)(s?)\)$/.exec(expression);
  if (rate) {
    const [, value, , plural] = rate;
    return Number(value) === 1 ? plural === '' : Number(value) > 1 && plural === 's';
  }
  const cron = /^cron\(([^()]*)\)$/.exec(expression);
  if (!cron) return false;
  const fields = cron[1].trim().split(/\s+/);
  if (fields.length !== 6 || !fields.every((field) => /^[0-9A-Za-z*?,/#-]+$/.test(field))) return false;
  const [, , dayOfMonth, , dayOfWeek] = fields;
  return (dayOfMonth === '?') !== (dayOfWeek === '?');
}

const reconcileScheduleSchema = z
  .string()
  .trim()
  .refine((value) => value === 'off' || isScheduleExpression(value), {
    message:
      'must be an EventBridge Scheduler expression, evaluated in UTC: cron(minutes hours day-of-month month ' +
      `day-of-week year) with "?" in one day field, e.g. ${DEFAULT_RECONCILE_SCHEDULE}, or rate(N hours|days) ` +
      '(rate(1 day), rate(12 hours)); or off for no nightly reconciliation',
  });

const cidr = z.string().regex(/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$|^[0-9a-fA-F:]+\/\d{1,3}$/, {
  message: 'must be IPv4 or IPv6 CIDR blocks, e.g. 203.0.113.0/24',
});

/**
 * Plain (non-secret) worker settings from docs/worker.md, e.g. PIMCORE_PARENT_PATH or WORKER_MAX_IN_FLIGHT:
 * an object in cdk.json, JSON with `-c` (the CLI hands context values over as strings).
 */
const workerEnvironmentSchema = z
  .union([z.string(), z.record(z.string(), z.unknown())])
  .transform((value, ctx) => {
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: 'is not JSON: give an object such as {"WORKER_MAX_IN_FLIGHT":32}',
      });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])))
  .superRefine((environment, ctx) => {
    for (const name of Object.keys(environment)) {
      if (SECRET_VARIABLES.includes(name)) {
        ctx.addIssue({
          code: 'custom',
          message: `${name} is a secret: pass it through Secrets Manager (README: Deploy)`,
        });
      } else if (STACK_VARIABLES.includes(name)) {
        ctx.addIssue({ code: 'custom', message: `${name} is set by the stack from its own resources` });
      } else if (!/^(WORKER_|PIMCORE_|MEDUSA_|LOG_LEVEL$)/.test(name)) {
        ctx.addIssue({
          code: 'custom',
          message: `${name} is not a worker setting (WORKER_*, PIMCORE_*, MEDUSA_*, LOG_LEVEL)`,
        });
      }
    }
  });
export type Stage = z.infer<typeof stageSchema>;

/** Defaults that differ by stage: prod keeps data and logs longer. */
const STAGE_DEFAULTS: Record<Stage, { logRetentionDays: number; archiveRetentionDays: number }> = {
  dev: { logRetentionDays: 30, archiveRetentionDays: 30 },
  prod: { logRetentionDays: 365, archiveRetentionDays: 365 },
};

const contextSchema = z.object({
  stage: stageSchema,
  alarmEmail: z.string().email().optional(),
  workerHandlerTimeoutSeconds: positiveInt(5, 3600).default(60),
  maxReceiveCount: positiveInt(1, 1000).default(5),
  queueRetentionDays: positiveInt(1, 13).default(4),
  oldestMessageAgeAlarmSeconds: positiveInt(60, 1209600).default(900),
  /** Child workflows of the Distributed Map at once (one per batch; AWS allows up to 10,000). */
  mapMaxConcurrency: positiveInt(1, 10_000).default(40),
  /** Batches (as a share, %) whose child workflow may fail before the Map stops; theirs count as failed. */
  mapToleratedFailurePercent: z.coerce.number().min(0).max(100).default(10),
  stagingBatchSize: positiveInt(1, 5000).default(250),
  maxObjectMegabytes: positiveInt(1, 51200).default(2048),
  executionTimeoutMinutes: positiveInt(5, 1440).default(120),
  stagingExpirationDays: positiveInt(1, 3650).default(7),
  /** Uploads under incoming/ are kept until deleted, unless this many days is set. */
  incomingExpirationDays: positiveInt(1, 3650).optional(),
  reportExpirationDays: positiveInt(1, 3650).default(90),
  logRetentionDays: z.coerce
    .number()
    .refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), {
      message: `must be one of ${LOG_RETENTION_DAYS.join(', ')}`,
    })
    .optional(),
  archiveRetentionDays: positiveInt(1, 3650).optional(),
  /** `ecs`: the stack runs the worker on Fargate; `external`: only its policy, for a worker run elsewhere. */
  worker: z.enum(['ecs', 'external']).default('ecs'),
  /** A prebuilt worker image (e.g. an ECR URI); default: built from nest-worker/Dockerfile at deploy. */
  workerImage: z
    .string()
    .regex(/^[a-z0-9.-]+(:\d+)?\/[a-z0-9._/-]+(:[\w.-]+|@sha256:[0-9a-f]{64})$/, {
      message:
        'must be an image reference with a tag or digest, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/worker:1.4.0',
    })
    .optional(),
  workerMinTasks: positiveInt(1, 100).default(1),
  workerMaxTasks: positiveInt(1, 100).default(4),
  /** Messages waiting per running task that target tracking aims at (AWS: backlog per instance). */
  workerBacklogPerTask: positiveInt(1, 1_000_000).default(500),
  workerCpu: z.coerce
    .number()
    .refine((cpu) => (FARGATE_CPU as readonly number[]).includes(cpu), {
      message: `must be one of ${FARGATE_CPU.join(', ')}`,
    })
    .default(512),
  workerMemoryMiB: positiveInt(512, 30720).default(1024),
  pimcoreBaseUrl: z.url({ protocol: /^https?$/ }).optional(),
  medusaBaseUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** The Datahub configuration (endpoint) the worker calls; pimcore/datahub_graphql_products_export.json's is `products`. */
  pimcoreDatahubEndpoint: z
    .string()
    .regex(/^[\w-]+$/, { message: 'must be a Datahub configuration name such as products' })
    .default('products'),
  medusaSalesChannelId: z
    .string()
    .regex(/^[\w-]+$/, { message: 'must be a Medusa sales channel id such as sc_01H…' })
    .optional(),
  workerEnvironment: workerEnvironmentSchema.optional(),
  pimcoreApiKeySecretArn: secretArn.optional(),
  medusaApiKeySecretArn: secretArn.optional(),
  webhookSecretArn: secretArn.optional(),
  /**
   * How Pimcore may authenticate to the webhook: `signed` (the shipped listener's HMAC), or also with a
   * static token (`signed-and-token`), for Datahub Webhooks, which cannot sign (docs/pimcore.md).
   */
  webhookAuth: z.enum(['signed', 'signed-and-token']).default('signed'),
  webhookTokenSecretArn: secretArn.optional(),
  redisUrlSecretArn: secretArn.optional(),
  webhookCertificateArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[\w-]+$/, {
      message: 'must be an ACM certificate ARN',
    })
    .optional(),
  webhookAllowedCidrs: listOf(cidr).optional(),
  /** Requests one source address may send in 5 minutes before AWS WAF blocks it. */
  webhookRateLimit: positiveInt(10, 2_000_000_000).default(1000),
  vpcId: z
    .string()
    .regex(/^vpc-[0-9a-f]{8,17}$/, { message: 'must be a VPC id (vpc-…)' })
    .optional(),
  /** When the nightly reconciliation runs (worker=ecs only), or `off`. */
  reconcileSchedule: reconcileScheduleSchema.default(DEFAULT_RECONCILE_SCHEDULE),
  /** Whether the reconciliation puts repair events on the bus (RECONCILE_FIX) or only reports drift. */
  reconcileFix: flag.default(true),
  /** The ingestion transform's settings (docs/ingestion.md): an object in cdk.json, JSON on the command line. */
  transformConfig: z
    .union([z.string(), z.record(z.string(), z.unknown())])
    .transform((value, ctx) => {
      const json = typeof value === 'string' ? value : JSON.stringify(value);
      try {
        parseTransformConfig(json);
      } catch (error) {
        if (!(error instanceof TransformConfigError)) throw error;
        ctx.addIssue({ code: 'custom', message: error.message });
        return z.NEVER;
      }
      if (Buffer.byteLength(json) > MAX_TRANSFORM_CONFIG_BYTES) {
        ctx.addIssue({
          code: 'custom',
          message: `is ${Buffer.byteLength(json)} bytes; Lambda environments hold 4 KB, so keep it under ${MAX_TRANSFORM_CONFIG_BYTES}`,
        });
        return z.NEVER;
      }
      return json;
    })
    .optional(),
});

export interface PipelineConfig {
  readonly stage: Stage;
  /** Prod keeps buckets, queues and logs on stack deletion; dev cleans up after itself. */
  readonly retainData: boolean;
  readonly alarmEmail?: string;
  readonly workerHandlerTimeoutSeconds: number;
  readonly maxReceiveCount: number;
  readonly queueRetentionDays: number;
  readonly oldestMessageAgeAlarmSeconds: number;
  readonly mapMaxConcurrency: number;
  readonly mapToleratedFailurePercent: number;
  readonly stagingBatchSize: number;
  readonly maxObjectMegabytes: number;
  readonly executionTimeoutMinutes: number;
  readonly stagingExpirationDays: number;
  readonly incomingExpirationDays?: number;
  readonly reportExpirationDays: number;
  readonly logRetentionDays: number;
  readonly archiveRetentionDays: number;
  /** Validated transform configuration as JSON, for the Validate and Transform Lambdas. */
  readonly transformConfig?: string;
  /** The worker on ECS, or undefined for `worker=external`. */
  readonly worker?: WorkerDeployment;
}

/** How the stack runs the worker (`worker=ecs`). */
export interface WorkerDeployment {
  readonly image?: string;
  readonly minTasks: number;
  readonly maxTasks: number;
  readonly backlogPerTask: number;
  readonly cpu: number;
  readonly memoryMiB: number;
  /** Plain settings: PIMCORE_BASE_URL, MEDUSA_BASE_URL, MEDUSA_SALES_CHANNEL_ID and workerEnvironment. */
  readonly environment: Readonly<Record<string, string>>;
  /** Existing secrets to use instead of ones the stack creates. */
  readonly secretArns: {
    readonly pimcoreApiKey?: string;
    readonly medusaApiKey?: string;
    readonly webhookSecrets?: string;
    readonly webhookTokens?: string;
    readonly redisUrl?: string;
  };
  readonly webhook: {
    /** Token mode (Datahub Webhooks) on: the stack keeps a token secret and gives it to the worker. */
    readonly acceptTokens: boolean;
    readonly certificateArn?: string;
    readonly allowedCidrs?: readonly string[];
    readonly rateLimit: number;
  };
  readonly vpcId?: string;
  /** The nightly reconciliation task and its schedule; undefined with reconcileSchedule=off. */
  readonly reconcile?: {
    /** An EventBridge Scheduler cron or rate expression, in UTC. */
    readonly schedule: string;
    /** RECONCILE_FIX: put repair events on the bus, or only report. */
    readonly fix: boolean;
  };
}

export const CONTEXT_KEYS = Object.keys(contextSchema.shape) as readonly string[];

export class PipelineConfigError extends Error {
  override readonly name = 'PipelineConfigError';
}

/**
 * Reads the pipeline's context values and fails with one line per wrong or missing key,
 * naming the key and how to set it, so a bad `-c` never reaches CloudFormation.
 */
export function parsePipelineConfig(context: Record<string, unknown>): PipelineConfig {
  const picked = Object.fromEntries(
    CONTEXT_KEYS.filter((key) => context[key] !== undefined).map((key) => [key, context[key]]),
  );
  const result = contextSchema.safeParse(picked);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `  - context "${issue.path.join('.') || '(root)'}": ${issue.message}`,
    );
    throw new PipelineConfigError(
      `Invalid CDK context for the product pipeline:\n${problems.join('\n')}\n` +
        'Set values with -c key=value or in the "context" block of cdk.json (README: Configuration).',
    );
  }
  const values = result.data;
  const problems = workerProblems(values);
  if (problems.length > 0) {
    throw new PipelineConfigError(
      `Invalid CDK context for the product pipeline:\n${problems.map((problem) => `  - ${problem}`).join('\n')}\n` +
        'Set values with -c key=value or in the "context" block of cdk.json (README: Deploy to AWS).',
    );
  }
  const stageDefaults = STAGE_DEFAULTS[values.stage];
  return {
    stage: values.stage,
    alarmEmail: values.alarmEmail,
    workerHandlerTimeoutSeconds: values.workerHandlerTimeoutSeconds,
    maxReceiveCount: values.maxReceiveCount,
    queueRetentionDays: values.queueRetentionDays,
    oldestMessageAgeAlarmSeconds: values.oldestMessageAgeAlarmSeconds,
    mapMaxConcurrency: values.mapMaxConcurrency,
    mapToleratedFailurePercent: values.mapToleratedFailurePercent,
    stagingBatchSize: values.stagingBatchSize,
    maxObjectMegabytes: values.maxObjectMegabytes,
    executionTimeoutMinutes: values.executionTimeoutMinutes,
    stagingExpirationDays: values.stagingExpirationDays,
    incomingExpirationDays: values.incomingExpirationDays,
    reportExpirationDays: values.reportExpirationDays,
    transformConfig: values.transformConfig,
    retainData: values.stage === 'prod',
    logRetentionDays: values.logRetentionDays ?? stageDefaults.logRetentionDays,
    archiveRetentionDays: values.archiveRetentionDays ?? stageDefaults.archiveRetentionDays,
    worker: values.worker === 'ecs' ? workerDeployment(values) : undefined,
  };
}

type ContextValues = z.infer<typeof contextSchema>;

/** What a worker on ECS needs beyond each key's own check. */
function workerProblems(values: ContextValues): string[] {
  if (values.worker === 'external') return [];
  const required = (['pimcoreBaseUrl', 'medusaBaseUrl', 'medusaSalesChannelId'] as const)
    .filter((key) => values[key] === undefined)
    .map((key) => `context "${key}": required while worker=ecs (the default); or -c worker=external`);
  const problems = [...required];
  if (values.workerMinTasks > values.workerMaxTasks) {
    problems.push(
      `context "workerMinTasks": ${values.workerMinTasks} is above workerMaxTasks (${values.workerMaxTasks})`,
    );
  }
  if (values.stage === 'prod' && values.webhookCertificateArn === undefined) {
    problems.push(
      'context "webhookCertificateArn": required for stage=prod: Pimcore reaches the webhook over HTTPS only',
    );
  }
  if (values.webhookTokenSecretArn !== undefined && values.webhookAuth !== 'signed-and-token') {
    problems.push('context "webhookTokenSecretArn": only applies with webhookAuth=signed-and-token');
  }
  if (values.webhookAllowedCidrs !== undefined && values.webhookCertificateArn === undefined) {
    problems.push(
      'context "webhookAllowedCidrs": only applies with webhookCertificateArn (no public endpoint without it)',
    );
  }
  return problems;
}

function workerDeployment(values: ContextValues): WorkerDeployment {
  const plain = Object.entries(values.workerEnvironment ?? {}).map(([name, value]) => [name, String(value)]);
  return {
    image: values.workerImage,
    minTasks: values.workerMinTasks,
    maxTasks: values.workerMaxTasks,
    backlogPerTask: values.workerBacklogPerTask,
    cpu: values.workerCpu,
    memoryMiB: values.workerMemoryMiB,
    environment: {
      ...Object.fromEntries(plain),
      PIMCORE_BASE_URL: values.pimcoreBaseUrl!,
      PIMCORE_DATAHUB_ENDPOINT: values.pimcoreDatahubEndpoint,
      MEDUSA_BASE_URL: values.medusaBaseUrl!,
      MEDUSA_SALES_CHANNEL_ID: values.medusaSalesChannelId!,
    },
    secretArns: {
      pimcoreApiKey: values.pimcoreApiKeySecretArn,
      medusaApiKey: values.medusaApiKeySecretArn,
      webhookSecrets: values.webhookSecretArn,
      webhookTokens: values.webhookTokenSecretArn,
      redisUrl: values.redisUrlSecretArn,
    },
    webhook: {
      acceptTokens: values.webhookAuth === 'signed-and-token',
      certificateArn: values.webhookCertificateArn,
      allowedCidrs: values.webhookAllowedCidrs,
      rateLimit: values.webhookRateLimit,
    },
    vpcId: values.vpcId,
    reconcile:
      values.reconcileSchedule === 'off'
        ? undefined
        : { schedule: values.reconcileSchedule, fix: values.reconcileFix },
  };
}

/** Reads every known key from a construct tree's context (cdk.json and `-c`). */
export function readContext(getContext: (key: string) => unknown): Record<string, unknown> {
  return Object.fromEntries(CONTEXT_KEYS.map((key) => [key, getContext(key)]));
}
