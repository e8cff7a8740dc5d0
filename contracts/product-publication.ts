import { z } from 'zod';

/**
 * The detail of ProductPublished and ProductUnpublished (docs/architecture.md, "Events"), sent by the
 * worker's Pimcore webhook. The relay reads the product from Pimcore by `pimcoreId`; `deliveryId` is
 * Pimcore's id of the webhook delivery, `receivedAt` when the worker accepted it.
 */
export const productPublicationDetailSchema = z.strictObject({
  pimcoreId: z.int().positive(),
  externalId: z.string().min(1).optional(),
  deliveryId: z.string().min(1),
  receivedAt: z.iso.datetime(),
});
export type ProductPublicationDetail = z.infer<typeof productPublicationDetailSchema>;
