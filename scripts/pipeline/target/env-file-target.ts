import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { UsageError } from '../../cli/command-line';
import { stageOfStateMachine, type StackOutputs, type TargetOutputs } from './pipeline-target';

/**
 * The variables `npm run local` and `npm run local:aws -- --write-env` write for each stack output
 * (local/wiring/pipeline-environment.ts), so the CLI reads the same file the worker is started with.
 */
const OUTPUT_VARIABLES = {
  bucket: 'INGEST_BUCKET',
  busName: 'PRODUCTS_EVENT_BUS_NAME',
  stateMachineArn: 'STATE_MACHINE_ARN',
  productIngestQueueUrl: 'PRODUCT_INGEST_QUEUE_URL',
  productIngestDlqUrl: 'PRODUCT_INGEST_DLQ_URL',
  medusaSyncQueueUrl: 'MEDUSA_SYNC_QUEUE_URL',
  medusaSyncDlqUrl: 'MEDUSA_SYNC_DLQ_URL',
} as const satisfies Record<keyof StackOutputs, string>;

/** The variables of a KEY=value file; one that cannot be read is a usage error naming it. */
export function readEnvFile(file: string): Record<string, string | undefined> {
  try {
    return parseEnv(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`--env-file ${file}: ${(error as Error).message}`);
  }
}

/** A KEY=value file as the local stack writes it (the SDK's endpoint variables and the outputs). */
export function targetOfEnvFile(file: string): TargetOutputs {
  return targetOfEnvironment(readEnvFile(file), `env file ${file}`);
}

export function targetOfEnvironment(
  env: Readonly<Record<string, string | undefined>>,
  description: string,
): TargetOutputs {
  const missing = Object.values(OUTPUT_VARIABLES).filter((name) => !env[name]);
  if (missing.length > 0) throw new UsageError(`${description} lacks ${missing.join(', ')}`);
  const outputs = Object.fromEntries(
    Object.entries(OUTPUT_VARIABLES).map(([field, variable]) => [field, env[variable]!]),
  ) as unknown as StackOutputs;
  const stage = stageOfStateMachine(outputs.stateMachineArn);
  if (stage === undefined) {
    throw new UsageError(`${description}: STATE_MACHINE_ARN is not a ProductIngestion-<stage> state machine`);
  }
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = env;
  return {
    description,
    stage,
    outputs,
    connection: {
      region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION,
      endpoint: env.AWS_ENDPOINT_URL,
      s3Endpoint: env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL,
      s3ForcePathStyle: env.S3_FORCE_PATH_STYLE === 'true',
      credentials:
        accessKeyId && secretAccessKey
          ? { accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN }
          : undefined,
    },
  };
}
