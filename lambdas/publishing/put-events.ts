import {
  EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
  type PutEventsResultEntry,
} from '@aws-sdk/client-eventbridge';
import { BackoffPolicy, fullJitterDelayMs, sleep } from '../../common/backoff';
import { chunkEntries } from './event-entries';

/**
 * Entry error codes worth another attempt (a missing result too: consumers drop duplicates, so a resend
 * is safe); anything else, such as a malformed entry, is final.
 */
const RETRYABLE_ENTRY_ERRORS = new Set([
  'InternalFailure',
  'ThrottlingException',
  'InternalException',
  'MissingResult',
]);

export interface PublishFailure<T> {
  readonly item: T;
  readonly errorCode: string;
  readonly errorMessage: string;
}

export interface PublishResult<T> {
  readonly published: number;
  readonly failures: PublishFailure<T>[];
}

export interface PublishOptions {
  readonly backoff: BackoffPolicy;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Puts one event per item in requests of ≤ 10 entries and ≤ 256 KB. PutEvents reports partial failure
 * with HTTP 200 and a FailedEntryCount: only the failed entries are sent again, with full-jitter
 * backoff, until they succeed, fail for good, or the attempts run out. Nothing is dropped: every item
 * is either published or returned as a failure with its reason.
 */
export async function putEventsReliably<T>(
  client: EventBridgeClient,
  items: readonly T[],
  toEntry: (item: T) => PutEventsRequestEntry,
  options: PublishOptions,
): Promise<PublishResult<T>> {
  const { chunks, oversized } = chunkEntries(items, toEntry);
  const failures: PublishFailure<T>[] = oversized.map((item) => ({
    item,
    errorCode: 'EventTooLarge',
    errorMessage: 'the event is larger than the 256 KB PutEvents limit',
  }));
  let published = 0;
  for (const chunk of chunks) {
    const outcome = await putChunk(client, chunk, toEntry, options);
    published += outcome.published;
    failures.push(...outcome.failures);
  }
  return { published, failures };
}

async function putChunk<T>(
  client: EventBridgeClient,
  chunk: T[],
  toEntry: (item: T) => PutEventsRequestEntry,
  options: PublishOptions,
): Promise<PublishResult<T>> {
  const wait = options.sleep ?? sleep;
  const failures: PublishFailure<T>[] = [];
  let pending = chunk;
  let published = 0;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt > 0) await wait(fullJitterDelayMs(options.backoff, attempt));
    const lastAttempt = attempt + 1 >= options.backoff.maxAttempts;
    let results: PutEventsResultEntry[];
    try {
      const response = await client.send(new PutEventsCommand({ Entries: pending.map(toEntry) }));
      results = response.Entries ?? [];
    } catch (error) {
      // The whole request failed (after the SDK's own retries): every entry in it is still pending.
      const reason = error instanceof Error ? error : new Error(String(error));
      if (lastAttempt) {
        failures.push(
          ...pending.map((item) => ({ item, errorCode: reason.name, errorMessage: reason.message })),
        );
        break;
      }
      continue;
    }
    const retry: T[] = [];
    pending.forEach((item, index) => {
      const result = results[index];
      if (result?.EventId && !result.ErrorCode) {
        published++;
        return;
      }
      const errorCode = result?.ErrorCode ?? 'MissingResult';
      if (RETRYABLE_ENTRY_ERRORS.has(errorCode) && !lastAttempt) {
        retry.push(item);
      } else {
        failures.push({ item, errorCode, errorMessage: result?.ErrorMessage ?? 'no result for this entry' });
      }
    });
    pending = retry;
  }
  return { published, failures };
}
