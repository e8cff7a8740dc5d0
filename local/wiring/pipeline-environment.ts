import { LOCAL_CREDENTIALS } from '../s3/s3-emulator';

/** Stack output → the variable the worker and the tools read it from, so nothing is configured twice. */
const OUTPUT_VARIABLES: Readonly<Record<string, string>> = {
  ProductIngestQueueUrl: 'PRODUCT_INGEST_QUEUE_URL',
  ProductIngestDlqUrl: 'PRODUCT_INGEST_DLQ_URL',
  MedusaSyncQueueUrl: 'MEDUSA_SYNC_QUEUE_URL',
  MedusaSyncDlqUrl: 'MEDUSA_SYNC_DLQ_URL',
  EventBusName: 'PRODUCTS_EVENT_BUS_NAME',
  IngestBucketName: 'INGEST_BUCKET',
  StateMachineArn: 'STATE_MACHINE_ARN',
};

/**
 * The SDK's standard configuration pointed at the local endpoints: every AWS SDK (and the AWS CLI)
 * reads it, so code reaches the local runtime without a line of its own. S3_FORCE_PATH_STYLE is the
 * project's own switch (lambdas/shared/aws-clients.ts): s3rver serves path-style URLs only.
 */
export function sdkEnvironment(endpoints: {
  readonly endpoint: string;
  readonly s3Endpoint: string;
  readonly region: string;
}): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoints.endpoint,
    AWS_ENDPOINT_URL_S3: endpoints.s3Endpoint,
    AWS_REGION: endpoints.region,
    // The AWS CLI v1 reads only this one.
    AWS_DEFAULT_REGION: endpoints.region,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    S3_FORCE_PATH_STYLE: 'true',
  };
}

/** The SDK settings plus the stack outputs (with their local values) under the names the worker reads. */
export function pipelineEnvironment(
  sdk: Readonly<Record<string, string>>,
  outputs: Readonly<Record<string, string>>,
): Record<string, string> {
  const fromOutputs = Object.entries(OUTPUT_VARIABLES).flatMap(([output, variable]) =>
    outputs[output] === undefined ? [] : [[variable, outputs[output]]],
  );
  return { ...sdk, ...Object.fromEntries(fromOutputs) };
}
