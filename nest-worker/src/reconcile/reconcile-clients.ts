import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { MedusaAdminClient } from '../medusa/medusa-admin-client';
import { createPimcoreClient } from '../pimcore';
import { ProductEventPublisher } from '../webhook/product-event-publisher';
import type { ReconcileDependencies } from './reconcile';
import type { ReconcileConfig } from './reconcile-config';

/**
 * The clients reconciliation uses, from its configuration; `close` releases them all but an
 * EventBridge client the caller passed in (the caller's to release).
 */
export function reconcileClients(
  config: ReconcileConfig,
  given?: EventBridgeClient,
): ReconcileDependencies & { close(): Promise<void> } {
  const eventBridge = given ?? new EventBridgeClient({});
  const pimcore = createPimcoreClient(config.pimcore);
  const medusa = new MedusaAdminClient(config.medusa);
  return {
    pimcore,
    medusa,
    mapping: config.mapping,
    publisher: new ProductEventPublisher(eventBridge, config.eventBusName),
    close: async () => {
      await Promise.all([pimcore.close(), medusa.close()]);
      if (given === undefined) eventBridge.destroy();
    },
  };
}
