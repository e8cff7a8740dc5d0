import { z } from 'zod';
import { DETAIL_TYPES } from '../../../contracts/events';

export type PublicationDetailType =
  typeof DETAIL_TYPES.productPublished | typeof DETAIL_TYPES.productUnpublished;

/** What a webhook body asks for: an event to put on the bus, nothing (and why), or a body we refuse. */
export type PayloadVerdict =
  | {
      readonly kind: 'publication';
      readonly detailType: PublicationDetailType;
      readonly pimcoreId: number;
      readonly externalId?: string;
    }
  | { readonly kind: 'ignored'; readonly reason: string }
  | { readonly kind: 'invalid'; readonly problem: string };

/** Pimcore ids are positive integers; a custom sender may send them as digit strings. */
const pimcoreIdSchema = z.union([
  z.int().positive(),
  z
    .string()
    .regex(/^[1-9]\d{0,15}$/)
    .transform(Number),
]);
const externalIdSchema = z.string().min(1).optional();

/** The Datahub Webhooks body: `general` describes the event, `subject` is the serialized element. */
const datahubBodySchema = z.looseObject({
  general: z.looseObject({ eventName: z.string() }),
  subject: z.looseObject({ type: z.string().optional(), className: z.string().optional() }),
});
const datahubSubjectSchema = z.looseObject({
  id: pimcoreIdSchema,
  published: z.boolean().optional(),
  externalId: externalIdSchema,
});

/** The minimal body of a custom sender: `{event:"product.published", id}`. */
const minimalBodySchema = z.looseObject({
  event: z.string(),
  id: pimcoreIdSchema,
  externalId: externalIdSchema,
});

const DATAHUB_SAVE_EVENTS = new Set(['pimcore.dataobject.postAdd', 'pimcore.dataobject.postUpdate']);
const DATAHUB_DELETE_EVENT = 'pimcore.dataobject.postDelete';
const MINIMAL_EVENTS: Readonly<Record<string, PublicationDetailType>> = {
  'product.published': DETAIL_TYPES.productPublished,
  'product.unpublished': DETAIL_TYPES.productUnpublished,
};
/** The Pimcore class the pipeline writes (pimcore/class_Product_export.json). */
const PRODUCT_CLASS = 'Product';

/**
 * Reads a (signature-checked) webhook body. A published product → ProductPublished; an unpublished or
 * deleted one → ProductUnpublished; other events and subjects that are not product objects are ignored,
 * since a Datahub webhook may be configured for more than the pipeline needs.
 */
export function readPimcoreWebhookBody(rawBody: Buffer): PayloadVerdict {
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return { kind: 'invalid', problem: 'the body is not JSON' };
  }
  const datahub = datahubBodySchema.safeParse(body);
  if (datahub.success) return readDatahubBody(datahub.data);
  const minimal = minimalBodySchema.safeParse(body);
  if (minimal.success) {
    const { event, id, externalId } = minimal.data;
    const detailType = MINIMAL_EVENTS[event];
    if (detailType === undefined) return { kind: 'ignored', reason: `event ${event} is not handled` };
    return { kind: 'publication', detailType, pimcoreId: id, externalId };
  }
  return {
    kind: 'invalid',
    problem: 'the body is neither a Datahub webhook ({general.eventName, subject}) nor {event, id}',
  };
}

function readDatahubBody(body: z.infer<typeof datahubBodySchema>): PayloadVerdict {
  const { eventName } = body.general;
  const isDelete = eventName === DATAHUB_DELETE_EVENT;
  if (!isDelete && !DATAHUB_SAVE_EVENTS.has(eventName)) {
    return { kind: 'ignored', reason: `event ${eventName} is not handled` };
  }
  const { type, className } = body.subject;
  // Folders and variants are data objects too; only a product object is a publication.
  if (type !== 'object') return { kind: 'ignored', reason: `subject type ${type ?? '(none)'} is not object` };
  if (className !== undefined && className !== PRODUCT_CLASS) {
    return { kind: 'ignored', reason: `subject class ${className} is not ${PRODUCT_CLASS}` };
  }
  const subject = datahubSubjectSchema.safeParse(body.subject);
  if (!subject.success) return { kind: 'invalid', problem: 'subject.id is not a Pimcore id' };
  const { id, published, externalId } = subject.data;
  if (isDelete) {
    return { kind: 'publication', detailType: DETAIL_TYPES.productUnpublished, pimcoreId: id, externalId };
  }
  if (published === undefined) return { kind: 'invalid', problem: 'subject.published is missing' };
  const detailType = published ? DETAIL_TYPES.productPublished : DETAIL_TYPES.productUnpublished;
  return { kind: 'publication', detailType, pimcoreId: id, externalId };
}
