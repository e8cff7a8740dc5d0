import { z } from 'zod';
import { canonicalProductSchema } from '../../contracts/canonical-product';

/** Where the uploaded file of an ingestion lives; carried in every staged file. */
export const sourceObjectSchema = z.strictObject({
  bucket: z.string().min(1),
  key: z.string().min(1),
  versionId: z.string().optional(),
});
export type SourceObject = z.infer<typeof sourceObjectSchema>;

/** What Transform writes and Publish reads: canonical products with their position in the upload. */
export const canonicalBatchFileSchema = z.strictObject({
  ingestionId: z.string().min(1),
  source: sourceObjectSchema,
  products: z.array(z.strictObject({ index: z.int().min(0), product: canonicalProductSchema })),
});
export type CanonicalBatchFile = z.infer<typeof canonicalBatchFileSchema>;
