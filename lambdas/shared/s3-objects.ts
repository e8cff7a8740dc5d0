import {
  GetObjectCommand,
  HeadObjectCommand,
  NotFound,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import type { z } from 'zod';

export interface ObjectLocation {
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
}

/** The object's body as a Node stream, read as it arrives (never buffered whole). */
export async function openObjectStream(client: S3Client, location: ObjectLocation): Promise<Readable> {
  const response = await client.send(
    new GetObjectCommand({ Bucket: location.bucket, Key: location.key, VersionId: location.versionId }),
  );
  if (!response.Body) throw new Error(`s3://${location.bucket}/${location.key} has no body`);
  return response.Body as Readable;
}

/** Reads a JSON object the pipeline wrote itself and checks it against its schema. */
export async function readJsonObject<T>(
  client: S3Client,
  location: ObjectLocation,
  schema: z.ZodType<T>,
): Promise<T> {
  const response = await client.send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key }));
  const text = await response.Body?.transformToString('utf8');
  if (text === undefined) throw new Error(`s3://${location.bucket}/${location.key} has no body`);
  const parsed = schema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw new Error(
      `s3://${location.bucket}/${location.key} is not what the pipeline wrote: ${parsed.error.message}`,
    );
  }
  return parsed.data;
}

export async function writeJsonObject(
  client: S3Client,
  location: ObjectLocation,
  value: unknown,
): Promise<void> {
  await client.send(
    new PutObjectCommand({
      Bucket: location.bucket,
      Key: location.key,
      Body: JSON.stringify(value),
      ContentType: 'application/json',
    }),
  );
}

/** Whether the object exists (HeadObject: needs s3:GetObject on it, or S3 answers 403 instead of 404). */
export async function objectExists(client: S3Client, location: ObjectLocation): Promise<boolean> {
  try {
    await client.send(new HeadObjectCommand({ Bucket: location.bucket, Key: location.key }));
    return true;
  } catch (error) {
    if (error instanceof NotFound) return false;
    throw error;
  }
}
