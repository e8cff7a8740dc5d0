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

/** A staged batch's manifest lines, as Validate wrote them. */
export async function manifestLines(s3: S3Client, key: string): Promise<{ key: string; count: number }[]> {
  return (await getText(s3, key))
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as { key: string; count: number });
}

/** A child execution of the Map Run, as the ResultWriter lists it (AWS's field names). */
export interface ChildResult {
  readonly status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  readonly input: unknown;
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
}

/**
 * Writes a Map Run's results in the ResultWriter's layout (manifest.json and one file per status, AWS
 * Step Functions Developer Guide, "ResultWriter (Map)") and returns the Map's output.
 */
export async function putMapRunResults(
  s3: S3Client,
  prefix: string,
  results: readonly ChildResult[],
): Promise<{ MapRunArn: string; ResultWriterDetails: { Bucket: string; Key: string } }> {
  const mapRunArn = 'arn:aws:states:us-east-1:000000000000:mapRun:ProductIngestion-test/Batches:run-1';
  const entry = (result: ChildResult, index: number) => ({
    ExecutionArn: `arn:aws:states:us-east-1:000000000000:express:ProductIngestion-test/Batches:run-1:child-${index}`,
    Input: JSON.stringify(result.input),
    InputDetails: { Included: true },
    Name: `child-${index}`,
    ...(result.output !== undefined && {
      Output: JSON.stringify(result.output),
      OutputDetails: { Included: true },
    }),
    ...(result.error !== undefined && { Error: result.error }),
    ...(result.cause !== undefined && { Cause: result.cause }),
    StartDate: '2026-12-07T10:00:00.000Z',
    StateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:ProductIngestion-test/Batches',
    Status: result.status,
    StopDate: '2026-12-07T10:00:01.000Z',
  });
  const files: Record<string, { Key: string; Size: number }[]> = { SUCCEEDED: [], FAILED: [], PENDING: [] };
  for (const status of ['SUCCEEDED', 'FAILED'] as const) {
    const entries = results
      .map((result, index) => ({ result, index }))
      .filter(({ result }) => (status === 'SUCCEEDED') === (result.status === 'SUCCEEDED'))
      .map(({ result, index }) => entry(result, index));
    if (entries.length === 0) continue;
    const key = `${prefix}/run-1/${status}_0.json`;
    files[status].push({ Key: key, Size: await putText(s3, key, JSON.stringify(entries)) });
  }
  const manifestKey = `${prefix}/run-1/manifest.json`;
  await putText(
    s3,
    manifestKey,
    JSON.stringify({ DestinationBucket: TEST_BUCKET, MapRunArn: mapRunArn, ResultFiles: files }),
  );
  return { MapRunArn: mapRunArn, ResultWriterDetails: { Bucket: TEST_BUCKET, Key: manifestKey } };
}
