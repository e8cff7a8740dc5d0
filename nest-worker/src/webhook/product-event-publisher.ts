import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { EVENT_SOURCES } from '../../../contracts/events';
import type { ProductPublicationDetail } from '../../../contracts/product-publication';
import type { PublicationDetailType } from './pimcore-webhook-payload';

export class PublishFailedError extends Error {
  override readonly name = 'PublishFailedError';
}

/** Puts ProductPublished/ProductUnpublished on the products bus, one event per call. */
export class ProductEventPublisher {
  constructor(
    private readonly eventBridge: EventBridgeClient,
    private readonly eventBusName: string,
  ) {}

  /** The event's id once EventBridge took it; throws when it did not (transport error or refused entry). */
  async publish(detailType: PublicationDetailType, detail: ProductPublicationDetail): Promise<string> {
    const result = await this.eventBridge.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: this.eventBusName,
            Source: EVENT_SOURCES.pimcore,
            DetailType: detailType,
            Detail: JSON.stringify(detail),
          },
        ],
      }),
    );
    // PutEvents answers 200 for a refused entry: only FailedEntryCount and the entry say so.
    const entry = result.Entries?.[0];
    if ((result.FailedEntryCount ?? 0) > 0 || entry?.EventId === undefined) {
      throw new PublishFailedError(
        `PutEvents refused the event: ${entry?.ErrorCode ?? 'no event id'} ${entry?.ErrorMessage ?? ''}`.trim(),
      );
    }
    return entry.EventId;
  }
}
