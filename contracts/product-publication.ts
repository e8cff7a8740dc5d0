import { z } from 'zod';

/**
 * The detail of ProductPublished and ProductUnpublished (docs/architecture.md, "Events"), sent by the
 * worker's Pimcore webhook. The relay reads the product from Pimcore by `pimcoreId`; `deliveryId` is
 * Pimcore's id of the webhook delivery, `receivedAt` when the worker accepted it.
 *
 * `npx pipeline reconcile --fix` sends the same events with `repair: true`: Medusa was found to differ
 * from Pimcore, so the relay must not trust its ledger's "already applied" (a product deleted in Medusa
 * behind its back is still "applied" there) and writes the product again; `medusaId` names the Medusa
 * product to take down when the Pimcore object is gone and the ledger no longer knows it.
 */
export const productPublicationDetailSchema = z.strictObject({
  pimcoreId: z.int().positive(),
  externalId: z.string().min(1).optional(),
  deliveryId: z.string().min(1),
  receivedAt: z.iso.datetime(),
  repair: z.literal(true).optional(),
  medusaId: z.string().min(1).optional(),
});
export type ProductPublicationDetail = z.infer<typeof productPublicationDetailSchema>;
