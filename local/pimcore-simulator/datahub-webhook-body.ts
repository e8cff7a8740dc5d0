import type { ObjectSave } from './pimcore-backend';
import { CLASS_NAME, type ClassField, type PimcoreModel } from './pimcore-artifacts';

/**
 * The body Datahub Webhooks post for a data object event (Pimcore's docs, "Datahub Webhooks → Example
 * Requests"): `general` describes the event, `subject` is the object as the webhook's schema exports it:
 *
 *   {"general":{"eventName":"pimcore.dataobject.postUpdate","timestamp":1767225600,"subjectType":"object",
 *    "versionOnly":false},"subject":{"id":260,"path":"/Products/Shein/shein-1",
 *    "External ID (externalId)":"shein:1","published":false,"type":"Product"}}
 *
 * `general.subjectType` is the element kind; `subject.type` is the class; each field of the schema is
 * labelled "<field title> (<field name>)". The shipped PHP listener (pimcore/webhook-listener,
 * ProductWebhookBody::build) sends the same shape, checked byte for byte against its signature vector.
 */

export interface DatahubWebhookBody {
  readonly general: {
    readonly eventName: string;
    /** Unix seconds of the event, the same on every retry of it. */
    readonly timestamp: number;
    readonly subjectType: 'object';
    readonly versionOnly: boolean;
  };
  readonly subject: Readonly<Record<string, unknown>>;
}

/** The class fields a webhook's schema exports, checked against the class (plain fields only). */
export function schemaFields(model: PimcoreModel, names: readonly string[]): ClassField[] {
  return names.map((name) => {
    const field = model.fields.get(name);
    if (!field) throw new Error(`the class ${CLASS_NAME} has no field ${name}`);
    if (field.localized) throw new Error(`the simulator's webhook exports plain fields only, not ${name}`);
    return field;
  });
}

export function datahubWebhookBody(save: ObjectSave, fields: readonly ClassField[]): DatahubWebhookBody {
  const { object } = save;
  return {
    general: {
      eventName: `pimcore.dataobject.${save.event}`,
      timestamp: save.timestamp,
      subjectType: 'object',
      versionOnly: save.versionOnly,
    },
    subject: {
      id: object.id,
      path: object.fullPath,
      ...Object.fromEntries(
        // An empty value is null, as the shipped listener sends it (ProductWebhookBody::build).
        fields.map((field) => [`${field.title} (${field.name})`, object.values[field.name] || null]),
      ),
      published: object.published,
      type: CLASS_NAME,
    },
  };
}
