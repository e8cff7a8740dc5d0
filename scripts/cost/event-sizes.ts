import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { checkEntry, entrySize } from '../../local/eventbridge/event-entry';

/** The 64 KB chunk by which EventBridge prices a put event and SQS a message. */
export const BILLING_CHUNK_BYTES = 64 * 1024;

/** Averages over a sample of one kind of event. */
export interface EventSizes {
  /** The entry's size by AWS's PutEvents rule (Source, DetailType, Detail, Resources, Time). */
  readonly entryBytes: number;
  /** 64 KB chunks EventBridge bills per event. */
  readonly chunksPerEvent: number;
  /** The event EventBridge delivers (its JSON envelope): the SQS message body and what the archive keeps. */
  readonly envelopeBytes: number;
  /** 64 KB chunks SQS bills per SendMessage of that body. */
  readonly messageChunks: number;
}

export function eventSizes(entries: readonly PutEventsRequestEntry[]): EventSizes {
  const context = { accountId: '123456789012', region: 'us-east-1', now: Date.now(), trustedSource: false };
  let entryBytes = 0;
  let chunks = 0;
  let envelopeBytes = 0;
  let messageChunks = 0;
  for (const entry of entries) {
    const { Source, DetailType, Detail, Resources } = entry;
    const size = entrySize({ Source, DetailType, Detail, Resources });
    const check = checkEntry({ Source, DetailType, Detail, Resources }, context);
    if (!check.ok) throw new Error(`${entry.DetailType}: ${check.errorMessage}`);
    const body = Buffer.byteLength(JSON.stringify(check.envelope));
    entryBytes += size;
    chunks += Math.ceil(size / BILLING_CHUNK_BYTES);
    envelopeBytes += body;
    messageChunks += Math.ceil(body / BILLING_CHUNK_BYTES);
  }
  const count = Math.max(1, entries.length);
  return {
    entryBytes: entryBytes / count,
    chunksPerEvent: chunks / count,
    envelopeBytes: envelopeBytes / count,
    messageChunks: messageChunks / count,
  };
}
