import type { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { Readable } from 'node:stream';

/**
 * An S3 object written from a stream as it is produced, through a multipart upload (lib-storage's
 * Upload), so a report or manifest of any length takes bounded memory. `done` settles when the object
 * is complete; await it after ending the stream, whatever happened.
 */
export function streamedUpload(
  s3: S3Client,
  location: { bucket: string; key: string; contentType: string },
  body: Readable,
): Promise<unknown> {
  const upload = new Upload({
    client: s3,
    params: { Bucket: location.bucket, Key: location.key, Body: body, ContentType: location.contentType },
  });
  const done = upload.done();
  // Surfaced when awaited; without a handler an early failure would be an unhandled rejection.
  done.catch(() => undefined);
  return done;
}
