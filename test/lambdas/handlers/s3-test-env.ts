import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { LOCAL_CREDENTIALS, startS3Emulator, type S3Emulator } from '../../../local/s3/s3-emulator';

export const TEST_BUCKET = 'ingest-test';

/**
 * A real S3 endpoint (s3rver) for handler tests, wired the way a deployment is: through the SDK's
 * standard endpoint variables, so the handlers' own clients reach it unchanged.
 */
export async function startHandlerS3(): Promise<{ s3: S3Client; emulator: S3Emulator }> {
  const emulator = await startS3Emulator({ buckets: [TEST_BUCKET], accountId: '000000000000' });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_S3: emulator.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    S3_FORCE_PATH_STYLE: 'true',
    BUCKET_NAME: TEST_BUCKET,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_METRICS_NAMESPACE: 'ProductPipelineTest',
  });
  const s3 = new S3Client({ endpoint: emulator.endpoint, forcePathStyle: true });
  return { s3, emulator };
}

export async function putText(s3: S3Client, key: string, body: string | Buffer): Promise<number> {
  await s3.send(new PutObjectCommand({ Bucket: TEST_BUCKET, Key: key, Body: body }));
  return Buffer.byteLength(body);
}

export async function getText(s3: S3Client, key: string): Promise<string> {
  const response = await s3.send(new GetObjectCommand({ Bucket: TEST_BUCKET, Key: key }));
  return response.Body!.transformToString('utf8');
}

export async function getJson<T = unknown>(s3: S3Client, key: string): Promise<T> {
  return JSON.parse(await getText(s3, key)) as T;
}

/** The Validate input the state machine builds from an S3 "Object Created" event. */
export function validateInput(ingestionId: string, key: string, size: number) {
  return { ingestionId, detail: { bucket: { name: TEST_BUCKET }, object: { key, size } } };
}
