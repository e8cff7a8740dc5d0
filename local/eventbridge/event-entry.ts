import { randomUUID } from 'node:crypto';
import { isJsonObject, type JsonObject } from '../aws-json/json';

/** A PutEvents request entry as the JSON protocol carries it (Time in epoch seconds). */
export interface PutEventsEntry {
  readonly Source?: string;
  readonly DetailType?: string;
  readonly Detail?: string;
  readonly Resources?: readonly string[];
  readonly Time?: number;
  readonly EventBusName?: string;
  readonly TraceHeader?: string;
}

/** The event EventBridge builds from an entry and sends to targets (field order as AWS sends it). */
export interface EventEnvelope extends JsonObject {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: JsonObject;
}

export type EntryCheck =
  | { readonly ok: true; readonly envelope: EventEnvelope; readonly busName: string }
  | { readonly ok: false; readonly errorCode: string; readonly errorMessage: string };

/**
 * Validates one entry as PutEvents does (missing fields → InvalidArgument, a Detail that is not a JSON
 * object → MalformedDetail, an `aws.` source from a caller → NotAuthorizedForSourceException) and
 * builds its event.
 */
export function checkEntry(
  entry: PutEventsEntry,
  context: {
    readonly accountId: string;
    readonly region: string;
    readonly now: number;
    readonly trustedSource: boolean;
  },
): EntryCheck {
  for (const field of ['Source', 'DetailType', 'Detail'] as const) {
    if (typeof entry[field] !== 'string' || entry[field] === '') {
      return failure(
        'InvalidArgument',
        `Parameter ${field} is not valid. Reason: ${field} is a required argument.`,
      );
    }
  }
  const detail = parseDetail(entry.Detail!);
  if (!detail) return failure('MalformedDetail', 'Detail is malformed.');
  if (entry.Source!.startsWith('aws.') && !context.trustedSource) {
    return failure('NotAuthorizedForSourceException', 'Not authorized for the source.');
  }
  const time = typeof entry.Time === 'number' ? entry.Time * 1000 : context.now;
  return {
    ok: true,
    busName: entry.EventBusName ?? 'default',
    envelope: {
      version: '0',
      id: randomUUID(),
      'detail-type': entry.DetailType!,
      source: entry.Source!,
      account: context.accountId,
      time: new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: context.region,
      resources: [...(entry.Resources ?? [])],
      detail,
    },
  };
}

/**
 * An entry's size as PutEvents counts it against the 256 KB request limit ("Calculating PutEvents
 * event entry size"): 14 bytes for Time if present, plus the UTF-8 bytes of Source, DetailType,
 * Detail and every resource.
 */
export function entrySize(entry: PutEventsEntry): number {
  const text = [entry.Source, entry.DetailType, entry.Detail, ...(entry.Resources ?? [])];
  return (
    (entry.Time === undefined ? 0 : 14) + text.reduce((size, part) => size + Buffer.byteLength(part ?? ''), 0)
  );
}

function parseDetail(detail: string): JsonObject | undefined {
  try {
    const parsed: unknown = JSON.parse(detail);
    return isJsonObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function failure(errorCode: string, errorMessage: string): EntryCheck {
  return { ok: false, errorCode, errorMessage };
}
