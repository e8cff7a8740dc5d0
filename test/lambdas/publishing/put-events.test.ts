import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { chunkEntries, entrySize, MAX_REQUEST_BYTES } from '../../../lambdas/publishing/event-entries';
import { putEventsReliably } from '../../../lambdas/publishing/put-events';
import { fullJitterDelayMs } from '../../../common/backoff';

interface Item {
  id: string;
  padding?: number;
}
const toEntry = (item: Item): PutEventsRequestEntry => ({
  EventBusName: 'products-test',
  Source: 'product-pipeline.ingestion',
  DetailType: 'ProductIngested',
  Detail: JSON.stringify({ id: item.id, pad: 'x'.repeat(item.padding ?? 0) }),
});
const items = (count: number, padding = 0): Item[] =>
  Array.from({ length: count }, (_, index) => ({ id: `p${index}`, padding }));

const eventBridge = mockClient(EventBridgeClient);
const client = new EventBridgeClient({ region: 'us-east-1' });
const delays: number[] = [];
const options = {
  backoff: { baseMs: 100, capMs: 2000, maxAttempts: 4 },
  sleep: async (ms: number) => {
    delays.push(ms);
  },
};
const sentIds = (call: number) =>
  (eventBridge.commandCalls(PutEventsCommand)[call].args[0].input.Entries ?? []).map(
    (entry) => JSON.parse(entry.Detail!).id as string,
  );

beforeEach(() => {
  eventBridge.reset();
  delays.length = 0;
});

describe('chunkEntries', () => {
  it('packs at most 10 entries per request', () => {
    const { chunks } = chunkEntries(items(23), toEntry);
    expect(chunks.map((chunk) => chunk.length)).toEqual([10, 10, 3]);
  });

  it('keeps each request within 256 KB', () => {
    const { chunks, oversized } = chunkEntries(items(6, 100 * 1024), toEntry);
    expect(oversized).toEqual([]);
    expect(chunks.map((chunk) => chunk.length)).toEqual([2, 2, 2]);
    for (const chunk of chunks) {
      const bytes = chunk.reduce((sum, item) => sum + entrySize(toEntry(item)), 0);
      expect(bytes).toBeLessThanOrEqual(MAX_REQUEST_BYTES);
    }
  });

  it('sets aside an entry too large for any request', () => {
    const big = { id: 'big', padding: MAX_REQUEST_BYTES };
    const { chunks, oversized } = chunkEntries([...items(2), big], toEntry);
    expect(oversized).toEqual([big]);
    expect(chunks).toEqual([items(2)]);
  });

  it('counts multi-byte characters in UTF-8 bytes', () => {
    const entry = { Source: 'é', DetailType: '', Detail: '€' };
    expect(entrySize(entry)).toBe(14 + 2 + 3);
  });
});

describe('putEventsReliably', () => {
  it('publishes everything in chunks when EventBridge accepts it', async () => {
    eventBridge.on(PutEventsCommand).callsFake((input) => ({
      FailedEntryCount: 0,
      Entries: input.Entries.map((_: unknown, index: number) => ({ EventId: `e${index}` })),
    }));
    const result = await putEventsReliably(client, items(15), toEntry, options);
    expect(result).toEqual({ published: 15, failures: [] });
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(2);
    expect(delays).toEqual([]);
  });

  it('resends only the entries that failed with a retryable code, after a backoff', async () => {
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({
        FailedEntryCount: 2,
        Entries: [
          { EventId: 'a' },
          { ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' },
          { EventId: 'c' },
          { ErrorCode: 'InternalFailure', ErrorMessage: 'oops' },
        ],
      })
      .resolvesOnce({ FailedEntryCount: 0, Entries: [{ EventId: 'b' }, { EventId: 'd' }] });
    const result = await putEventsReliably(client, items(4), toEntry, options);
    expect(result).toEqual({ published: 4, failures: [] });
    expect(sentIds(0)).toEqual(['p0', 'p1', 'p2', 'p3']);
    expect(sentIds(1)).toEqual(['p1', 'p3']);
    expect(delays).toHaveLength(1);
  });

  it('reports entries that fail for good with their error, without retrying them', async () => {
    eventBridge.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ EventId: 'a' }, { ErrorCode: 'MalformedDetail', ErrorMessage: 'bad detail' }],
    });
    const result = await putEventsReliably(client, items(2), toEntry, options);
    expect(result.published).toBe(1);
    expect(result.failures).toEqual([
      { item: items(2)[1], errorCode: 'MalformedDetail', errorMessage: 'bad detail' },
    ]);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(1);
  });

  it('gives up after the configured attempts and reports what is still failing', async () => {
    eventBridge.on(PutEventsCommand).callsFake((input) => ({
      FailedEntryCount: input.Entries.length,
      Entries: input.Entries.map(() => ({ ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' })),
    }));
    const result = await putEventsReliably(client, items(3), toEntry, options);
    expect(result.published).toBe(0);
    expect(result.failures.map((failure) => [failure.item.id, failure.errorCode])).toEqual([
      ['p0', 'ThrottlingException'],
      ['p1', 'ThrottlingException'],
      ['p2', 'ThrottlingException'],
    ]);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(4);
    expect(delays).toHaveLength(3);
  });

  it('retries a request that failed as a whole, then reports it if it keeps failing', async () => {
    const outage = Object.assign(new Error('service unavailable'), { name: 'ServiceUnavailable' });
    eventBridge
      .on(PutEventsCommand)
      .rejectsOnce(outage)
      .rejectsOnce(outage)
      .resolves({
        FailedEntryCount: 0,
        Entries: [{ EventId: 'a' }],
      });
    expect(await putEventsReliably(client, items(1), toEntry, options)).toEqual({
      published: 1,
      failures: [],
    });

    eventBridge.reset();
    eventBridge.on(PutEventsCommand).rejects(outage);
    const result = await putEventsReliably(client, items(2), toEntry, options);
    expect(result.failures.map((failure) => failure.errorCode)).toEqual([
      'ServiceUnavailable',
      'ServiceUnavailable',
    ]);
  });

  // AWS: the response's Entries has as many entries as the request, each at its entry's index, with an
  // EventId on success and ErrorCode/ErrorMessage on failure (EventBridge user guide, "Sending events
  // with PutEvents"). An answer that breaks this leaves the entries without a result unconfirmed: they
  // are not published, but retried as MissingResult (consumers drop duplicates, so a resend is safe).
  it('retries entries the answer has no result for, and counts only confirmed ones as published', async () => {
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({
        FailedEntryCount: 0,
        // Four sent: a result lacking both EventId and ErrorCode, then nothing for the last two.
        Entries: [{ EventId: 'a' }, {}],
      })
      .resolvesOnce({ FailedEntryCount: 0, Entries: [{ EventId: 'b' }, { EventId: 'c' }, { EventId: 'd' }] });
    const result = await putEventsReliably(client, items(4), toEntry, options);
    expect(result).toEqual({ published: 4, failures: [] });
    expect(sentIds(0)).toEqual(['p0', 'p1', 'p2', 'p3']);
    expect(sentIds(1)).toEqual(['p1', 'p2', 'p3']);
    expect(delays).toHaveLength(1);
  });

  it('reports entries still without a result after the last attempt as MissingResult, not published', async () => {
    eventBridge.on(PutEventsCommand).callsFake((input) => ({
      FailedEntryCount: 0,
      // Only the first entry of each request gets a result, and an empty one at that for p1.
      Entries: input.Entries.slice(0, 1).map((entry: PutEventsRequestEntry) =>
        JSON.parse(entry.Detail!).id === 'p0' ? { EventId: 'a' } : {},
      ),
    }));
    const result = await putEventsReliably(client, items(3), toEntry, options);
    expect(result.published).toBe(1);
    expect(result.failures).toEqual([
      { item: items(3)[1], errorCode: 'MissingResult', errorMessage: 'no result for this entry' },
      { item: items(3)[2], errorCode: 'MissingResult', errorMessage: 'no result for this entry' },
    ]);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(options.backoff.maxAttempts);
    expect(sentIds(1)).toEqual(['p1', 'p2']);
  });

  it('does not count an answer with no Entries at all as published', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0 });
    const result = await putEventsReliably(client, items(2), toEntry, options);
    expect(result.published).toBe(0);
    expect(result.failures.map((failure) => [failure.item.id, failure.errorCode])).toEqual([
      ['p0', 'MissingResult'],
      ['p1', 'MissingResult'],
    ]);
  });

  it('reports an oversized product as EventTooLarge and still publishes the rest', async () => {
    eventBridge.on(PutEventsCommand).callsFake((input) => ({
      FailedEntryCount: 0,
      Entries: input.Entries.map(() => ({ EventId: 'ok' })),
    }));
    const big = { id: 'big', padding: MAX_REQUEST_BYTES };
    const result = await putEventsReliably(client, [...items(2), big], toEntry, options);
    expect(result.published).toBe(2);
    expect(result.failures).toEqual([expect.objectContaining({ item: big, errorCode: 'EventTooLarge' })]);
  });
});

describe('fullJitterDelayMs', () => {
  const policy = { baseMs: 100, capMs: 1000, maxAttempts: 5 };
  it('grows exponentially up to the cap and stays within [0, ceiling)', () => {
    expect(fullJitterDelayMs(policy, 1, () => 0.999)).toBe(199);
    expect(fullJitterDelayMs(policy, 3, () => 0.999)).toBe(799);
    expect(fullJitterDelayMs(policy, 10, () => 0.999)).toBe(999);
    expect(fullJitterDelayMs(policy, 3, () => 0)).toBe(0);
  });
});
