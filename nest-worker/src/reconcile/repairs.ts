import type { ProductPublicationDetail } from '../../../contracts/product-publication';
import type { ProductEventPublisher } from '../webhook/product-event-publisher';
import type { Drift, Repair } from './drift';

/** PutEvents calls in flight: enough to repair 10,000 products in a minute or two, few enough to stay polite. */
const CONCURRENCY = 8;

export interface RepairResult {
  readonly sent: number;
  readonly failed: readonly { readonly externalId: string; readonly error: string }[];
}

/** The event's detail: a publication event as the webhook sends it, marked as a repair. */
export function repairDetail(repair: Repair, runId: string, now: Date): ProductPublicationDetail {
  return {
    pimcoreId: repair.pimcoreId,
    externalId: repair.externalId,
    // One id per run and object: a second run's repair is a new delivery, a retry within a run is not.
    deliveryId: `reconcile-${runId}-${repair.pimcoreId}`,
    receivedAt: now.toISOString(),
    repair: true,
    ...(repair.medusaId !== undefined && { medusaId: repair.medusaId }),
  };
}

/**
 * Puts each drift's repair event on the bus (conflicts have none). The relay then makes Medusa show
 * what Pimcore holds, exactly as for a webhook's event: nothing is written to Medusa from here.
 */
export async function sendRepairs(
  drift: readonly Drift[],
  publisher: ProductEventPublisher,
  runId: string,
  now = () => new Date(),
): Promise<RepairResult> {
  const repairs = drift.flatMap((entry) => (entry.repair === undefined ? [] : [entry.repair]));
  const failed: { externalId: string; error: string }[] = [];
  let next = 0;
  const sendNext = async (): Promise<void> => {
    while (next < repairs.length) {
      const repair = repairs[next];
      next += 1;
      try {
        await publisher.publish(repair.detailType, repairDetail(repair, runId, now()));
      } catch (error) {
        failed.push({ externalId: repair.externalId, error: (error as Error).message });
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, sendNext));
  return { sent: repairs.length - failed.length, failed };
}
