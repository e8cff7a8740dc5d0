import type { PutEventsEntry } from '../eventbridge/event-entry';

/** One record of the S3 notification s3rver emits for a write. */
export interface S3NotificationRecord {
  readonly eventName: string;
  readonly eventTime: string;
  readonly requestParameters?: { readonly sourceIPAddress?: string };
  readonly responseElements?: Record<string, string>;
  readonly s3: {
    readonly bucket: { readonly name: string };
    readonly object: {
      readonly key: string;
      readonly size?: number;
      readonly eTag?: string;
      readonly sequencer?: string;
    };
  };
}

/** What S3 puts on the default EventBridge bus, as a PutEvents-style entry. */
export interface ObjectCreatedEntry {
  readonly source: 'aws.s3';
  readonly detailType: 'Object Created';
  readonly time: string;
  readonly resources: string[];
  readonly detail: Record<string, unknown>;
}

/** S3 names the API call in `reason`; s3rver names the notification kind. */
const REASONS: Record<string, string> = {
  'ObjectCreated:Put': 'PutObject',
  'ObjectCreated:Post': 'CompleteMultipartUpload',
  'ObjectCreated:Copy': 'CopyObject',
};

/**
 * Turns an s3rver notification into the "Object Created" event S3 sends to EventBridge
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html): same source, detail-type,
 * resources and detail fields, so the template's trigger rule and the Validate Lambda see what they
 * would see in AWS. Returns undefined for notifications that are not object creations.
 */
export function toObjectCreatedEntry(
  record: S3NotificationRecord,
  accountId: string,
): ObjectCreatedEntry | undefined {
  const reason = REASONS[record.eventName];
  if (!reason) return undefined;
  const { bucket, object } = record.s3;
  return {
    source: 'aws.s3',
    detailType: 'Object Created',
    time: record.eventTime,
    resources: [`arn:aws:s3:::${bucket.name}`],
    detail: {
      version: '0',
      bucket: { name: bucket.name },
      object: {
        key: object.key,
        size: object.size,
        ...(object.eTag ? { etag: object.eTag } : {}),
        ...(object.sequencer ? { sequencer: object.sequencer } : {}),
      },
      'request-id': record.responseElements?.['x-amz-request-id'] ?? '',
      requester: accountId,
      'source-ip-address': record.requestParameters?.sourceIPAddress ?? '127.0.0.1',
      reason,
    },
  };
}

/** The entry as PutEvents takes it (in-process `putEvent` on the default bus): Detail as JSON text, Time in epoch seconds. */
export function asPutEventsEntry(entry: ObjectCreatedEntry): Omit<PutEventsEntry, 'EventBusName'> {
  return {
    Source: entry.source,
    DetailType: entry.detailType,
    Detail: JSON.stringify(entry.detail),
    Resources: entry.resources,
    Time: Date.parse(entry.time) / 1000,
  };
}
