import type { PimcoreSimulator, PublicationListener } from '../pimcore';
import type { PublicationSource } from '../pimcore/webhook-sender';

/**
 * Every save of a published object, as Datahub Webhooks report them (postUpdate on each save): the
 * simulator tells only publication changes, so saves of objects that were already published (a
 * re-upload with changed content) are found by polling object versions, which grow with every save.
 */
export class PublishedSaves implements PublicationSource {
  private readonly listeners = new Set<PublicationListener>();
  /** The version of each object last told (or seen unpublished). */
  private readonly toldVersion = new Map<number, number>();
  private readonly timer: NodeJS.Timeout;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly simulator: PimcoreSimulator,
    intervalMs = 1000,
  ) {
    this.unsubscribe = simulator.onPublicationChange((change) => {
      this.toldVersion.set(change.id, change.object.version);
      this.tell(change);
    });
    this.timer = setInterval(() => this.poll(), intervalMs);
  }

  onPublicationChange(listener: PublicationListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tells the saves since the last poll now (e.g. before judging that nothing is pending). */
  poll(): void {
    for (const object of this.simulator.objects()) {
      const told = this.toldVersion.get(object.id);
      if (told !== undefined && told >= object.version) continue;
      this.toldVersion.set(object.id, object.version);
      // An unpublished object's saves are not for the storefront; its publication will be told.
      if (object.published) this.tell({ id: object.id, published: true, object });
    }
  }

  stop(): void {
    clearInterval(this.timer);
    this.unsubscribe();
    this.listeners.clear();
  }

  private tell(change: Parameters<PublicationListener>[0]): void {
    for (const listener of this.listeners) listener(change);
  }
}
