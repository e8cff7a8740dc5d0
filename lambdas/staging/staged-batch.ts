import { z } from 'zod';
import { stagedProductSchema } from '../domain/staged-product';
import { sourceObjectSchema } from './canonical-batch';

/** What Validate writes to `staging/<ingestionId>/batch-NNNNN.json` and Transform reads. */
export const stagedBatchFileSchema = z.strictObject({
  ingestionId: z.string().min(1),
  source: sourceObjectSchema,
  products: z.array(stagedProductSchema),
});
export type StagedBatchFile = z.infer<typeof stagedBatchFileSchema>;
