import { z } from 'zod';

/**
 * The envelope EventBridge wraps around every event it delivers to an SQS target (the message body).
 * Only the fields consumers rely on are required; `detail` is checked by the caller's schema.
 */
export const eventBridgeEnvelopeSchema = z.object({
  version: z.string(),
  id: z.string().min(1),
  'detail-type': z.string().min(1),
  source: z.string().min(1),
  account: z.string(),
  time: z.string(),
  region: z.string(),
  resources: z.array(z.string()),
  detail: z.unknown(),
});
export type EventBridgeEnvelope = z.infer<typeof eventBridgeEnvelopeSchema>;
