import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';

/**
 * One client of each kind per Lambda container, reused across invocations. Endpoints come from the
 * SDK's standard configuration (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_S3, …), so the same code runs
 * against AWS, WholePipeline or the project's local runtime. Local S3 servers need path-style URLs,
 * which the SDK has no standard variable for: S3_FORCE_PATH_STYLE=true asks for them.
 */
let s3: S3Client | undefined;
let eventBridge: EventBridgeClient | undefined;

export function s3Client(): S3Client {
  s3 ??= new S3Client({ forcePathStyle: process.env.S3_FORCE_PATH_STYLE === 'true' });
  return s3;
}

export function eventBridgeClient(): EventBridgeClient {
  eventBridge ??= new EventBridgeClient({});
  return eventBridge;
}
