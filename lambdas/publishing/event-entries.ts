import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';

/** PutEvents limits: 10 entries and 256 KB per request (and so per entry). */
export const MAX_ENTRIES_PER_REQUEST = 10;
export const MAX_REQUEST_BYTES = 256 * 1024;
/** A Time field counts 14 bytes whether it is set or not (AWS: "Calculating PutEvents event entry size"). */
const TIME_FIELD_BYTES = 14;

/**
 * An entry's size as EventBridge counts it, plus its bus name to stay on the safe side: the UTF-8
 * bytes of Source, DetailType, Detail and each Resource, and 14 bytes for Time.
 */
export function entrySize(entry: PutEventsRequestEntry): number {
  const parts = [
    entry.Source,
    entry.DetailType,
    entry.Detail,
    entry.EventBusName,
    ...(entry.Resources ?? []),
  ];
  return parts.reduce((total, part) => total + Buffer.byteLength(part ?? '', 'utf8'), TIME_FIELD_BYTES);
}

export interface Chunked<T> {
  /** Requests to send, each within both limits. */
  readonly chunks: T[][];
  /** Items whose entry alone is larger than a request may be. */
  readonly oversized: T[];
}

/** Packs entries, in order, into as few requests as the count and size limits allow. */
export function chunkEntries<T>(
  items: readonly T[],
  toEntry: (item: T) => PutEventsRequestEntry,
): Chunked<T> {
  const chunks: T[][] = [];
  const oversized: T[] = [];
  let current: T[] = [];
  let currentBytes = 0;
  for (const item of items) {
    const size = entrySize(toEntry(item));
    if (size > MAX_REQUEST_BYTES) {
      oversized.push(item);
      continue;
    }
    if (current.length === MAX_ENTRIES_PER_REQUEST || currentBytes + size > MAX_REQUEST_BYTES) {
      chunks.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(item);
    currentBytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return { chunks, oversized };
}
