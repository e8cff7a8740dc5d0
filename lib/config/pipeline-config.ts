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
  mapMaxConcurrency: positiveInt(1, 40).default(4),
  stagingBatchSize: positiveInt(1, 5000).default(250),
  maxObjectMegabytes: positiveInt(1, 51200).default(2048),
  executionTimeoutMinutes: positiveInt(5, 1440).default(120),
  stagingExpirationDays: positiveInt(1, 3650).default(7),
  reportExpirationDays: positiveInt(1, 3650).default(90),
  logRetentionDays: z.coerce
    .number()
    .refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), {
      message: `must be one of ${LOG_RETENTION_DAYS.join(', ')}`,
    })
    .optional(),
  archiveRetentionDays: positiveInt(1, 3650).optional(),
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
  readonly stagingBatchSize: number;
  readonly maxObjectMegabytes: number;
  readonly executionTimeoutMinutes: number;
  readonly stagingExpirationDays: number;
  readonly reportExpirationDays: number;
  readonly logRetentionDays: number;
  readonly archiveRetentionDays: number;
  /** Validated transform configuration as JSON, for the Validate and Transform Lambdas. */
  readonly transformConfig?: string;
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
  const stageDefaults = STAGE_DEFAULTS[values.stage];
  return {
    ...values,
    retainData: values.stage === 'prod',
    logRetentionDays: values.logRetentionDays ?? stageDefaults.logRetentionDays,
    archiveRetentionDays: values.archiveRetentionDays ?? stageDefaults.archiveRetentionDays,
  };
}

/** Reads every known key from a construct tree's context (cdk.json and `-c`). */
export function readContext(getContext: (key: string) => unknown): Record<string, unknown> {
  return Object.fromEntries(CONTEXT_KEYS.map((key) => [key, getContext(key)]));
}
