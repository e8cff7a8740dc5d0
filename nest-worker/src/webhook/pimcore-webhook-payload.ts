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
      /** The Datahub body's own identity (event, time): a delivery key for senders that send no id. */
      readonly event?: { readonly name: string; readonly timestamp?: number };
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

/**
 * The Datahub Webhooks body (Pimcore's documented "Example Requests"): `general` describes the event,
 * `subject` is the element serialized by the webhook's schema. `general.subjectType` is the element kind
 * (object, asset, document); `subject.type` is the data object's class.
 */
const datahubBodySchema = z.looseObject({
  general: z.looseObject({
    eventName: z.string(),
    timestamp: z.int().nonnegative().optional(),
    subjectType: z.string({ error: 'general.subjectType is missing' }),
    versionOnly: z.boolean().optional(),
  }),
  subject: z.looseObject({ type: z.string().optional() }),
});
const datahubSubjectSchema = z.looseObject({
  id: pimcoreIdSchema,
  published: z.boolean().optional(),
});

/** The minimal body of a custom sender: `{event:"product.published", id}`. */
const minimalBodySchema = z.looseObject({
  event: z.string(),
  id: pimcoreIdSchema,
  externalId: z.string().min(1).optional(),
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
 * Reads a (authenticated) webhook body. A published product → ProductPublished; an unpublished or
 * deleted one → ProductUnpublished. Other events, elements and classes, and drafts, are ignored: a Datahub
 * webhook may be configured for more than the pipeline needs.
 */
export function readPimcoreWebhookBody(rawBody: Buffer): PayloadVerdict {
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return { kind: 'invalid', problem: 'the body is not JSON' };
  }
  if (isRecord(body) && 'general' in body) {
    const datahub = datahubBodySchema.safeParse(body);
    if (datahub.success) return readDatahubBody(datahub.data);
    const issue = datahub.error.issues[0];
    return { kind: 'invalid', problem: `${issue.path.join('.')}: ${issue.message}` };
  }
  const minimal = minimalBodySchema.safeParse(body);
  if (minimal.success) {
    const { event, id, externalId } = minimal.data;
    const detailType = MINIMAL_EVENTS[event];
    if (detailType === undefined) return { kind: 'ignored', reason: `event ${event} is not handled` };
    return { kind: 'publication', detailType, pimcoreId: id, externalId };
  }
  return {
    kind: 'invalid',
    problem: 'the body is neither a Datahub webhook ({general, subject}) nor {event, id}',
  };
}

function readDatahubBody(body: z.infer<typeof datahubBodySchema>): PayloadVerdict {
  const { eventName, subjectType, versionOnly, timestamp } = body.general;
  const isDelete = eventName === DATAHUB_DELETE_EVENT;
  if (!isDelete && !DATAHUB_SAVE_EVENTS.has(eventName)) {
    return { kind: 'ignored', reason: `event ${eventName} is not handled` };
  }
  if (subjectType !== 'object')
    return { kind: 'ignored', reason: `subject type ${subjectType} is not object` };
  // A draft (or auto-save) stores a version only: what is published, and so Medusa, is unchanged.
  if (versionOnly === true)
    return { kind: 'ignored', reason: 'a draft save (versionOnly) changes nothing published' };
  const className = body.subject.type;
  if (className !== PRODUCT_CLASS) {
    return { kind: 'ignored', reason: `class ${className ?? '(none)'} is not ${PRODUCT_CLASS}` };
  }
  const subject = datahubSubjectSchema.safeParse(body.subject);
  if (!subject.success) return { kind: 'invalid', problem: 'subject.id is not a Pimcore id' };
  const { id, published } = subject.data;
  const externalId = labelledField(body.subject, 'externalId');
  const event = { name: eventName, ...(timestamp === undefined ? {} : { timestamp }) };
  const base = { kind: 'publication' as const, pimcoreId: id, event, ...(externalId ? { externalId } : {}) };
  if (isDelete) return { ...base, detailType: DETAIL_TYPES.productUnpublished };
  if (published === undefined) return { kind: 'invalid', problem: 'subject.published is missing' };
  return { ...base, detailType: published ? DETAIL_TYPES.productPublished : DETAIL_TYPES.productUnpublished };
}

/**
 * A field of the webhook's schema: Datahub Webhooks label each as "<title> (<name>)", e.g.
 * "External ID (externalId)"; a site listener may send the bare name.
 */
function labelledField(subject: Record<string, unknown>, name: string): string | undefined {
  const suffix = `(${name})`;
  const key = Object.keys(subject).find(
    (candidate) => candidate === name || candidate.endsWith(` ${suffix}`),
  );
  const value = key === undefined ? undefined : subject[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
