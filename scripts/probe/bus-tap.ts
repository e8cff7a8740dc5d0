import type { LocalEventBridge } from '../../local/eventbridge/local-event-bridge';

/** An event EventBridge accepted onto a bus, as the probe saw it go by. */
export interface TappedEvent {
  readonly bus: string;
  readonly source: string;
  readonly detailType: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

/**
 * Every event the local EventBridge accepts (the workflow's IngestionCompleted / Failed / Skipped, the
 * webhook's ProductPublished, …), recorded as it goes by: the probe judges what left the system by
 * what reached a bus, without a rule or queue of its own in the template. The local runtime runs in
 * this process, so its PutEvents is wrapped; what it routes and answers is unchanged. EventBridge
 * delivers before PutEvents answers, so an event is recorded before the caller (an execution's task, the
 * worker's request) goes on.
 */
export class BusTap {
  private readonly events: TappedEvent[] = [];

  constructor(eventBridge: LocalEventBridge) {
    const putEvents = eventBridge.putEvents.bind(eventBridge);
    eventBridge.putEvents = async (entries, trustedSource) => {
      const results = await putEvents(entries, trustedSource);
      entries.forEach((entry, index) => {
        if (!('EventId' in (results[index] ?? {}))) return;
        this.events.push({
          bus: entry.EventBusName ?? 'default',
          source: entry.Source ?? '',
          detailType: entry.DetailType ?? '',
          detail: JSON.parse(entry.Detail ?? '{}') as Record<string, unknown>,
        });
      });
      return results;
    };
  }

  /** The events of this detail-type whose detail passes `about`, in the order they were put. */
  of(detailType: string, about: (detail: Readonly<Record<string, unknown>>) => boolean): TappedEvent[] {
    return this.events.filter((event) => event.detailType === detailType && about(event.detail));
  }
}
