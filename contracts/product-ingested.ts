import { z } from 'zod';
import { canonicalProductSchema } from './canonical-product';

/**
 * The detail of a ProductIngested event (docs/architecture.md, "Events"): where the product came from,
 * and the canonical product itself. `product.externalId` + `product.contentHash`, ordered by
 * `ingestion.ingestedAt`, let consumers drop a duplicate or outdated delivery (a Step Functions retry
 * of Publish re-sends the same events).
 */
export const ingestionMetadataSchema = z.strictObject({
  ingestionId: z.string().min(1),
  sourceBucket: z.string().min(1),
  sourceKey: z.string().min(1),
  /** Position of the product in the uploaded file (0-based). */
  index: z.int().min(0),
  ingestedAt: z.iso.datetime(),
});
export type IngestionMetadata = z.infer<typeof ingestionMetadataSchema>;

export const productIngestedDetailSchema = z.strictObject({
  ingestion: ingestionMetadataSchema,
  product: canonicalProductSchema,
});
export type ProductIngestedDetail = z.infer<typeof productIngestedDetailSchema>;
