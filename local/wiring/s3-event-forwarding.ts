import type { LocalEventBridge } from '../eventbridge/local-event-bridge';
import { asPutEventsEntry, type ObjectCreatedEntry } from '../s3/object-created-event';
import type { BucketModel } from '../template/stack-model';

/**
 * What S3 does for a bucket with EventBridge notifications on (NotificationConfiguration
 * .EventBridgeConfiguration): every "Object Created" goes to the default bus, where the template's
 * rules (the ingestion trigger) see it. Other buckets send nothing.
 */
export function forwardObjectCreated(
  buckets: readonly BucketModel[],
  eventBridge: LocalEventBridge,
  log: (line: string) => void,
): (entry: ObjectCreatedEntry) => void {
  const notifying = new Set(
    buckets.filter((bucket) => bucket.eventBridgeEnabled).map((bucket) => bucket.arn),
  );
  return (entry) => {
    if (!entry.resources.some((arn) => notifying.has(arn))) return;
    const refused = (reason: string) =>
      log(`local S3: Object Created event for ${entry.resources[0]} refused: ${reason}`);
    eventBridge.putEvent('default', asPutEventsEntry(entry)).then(
      (result) => {
        if ('ErrorCode' in result) refused(`${result.ErrorCode} ${result.ErrorMessage}`);
      },
      (error: unknown) => refused(String(error)),
    );
  };
}
