import type { ConsumedMessage } from '../../../nest-worker/src/queue/consumed-message';
import {
  deadLetterAttributes,
  messageBytes,
  sizeLimitOfRejection,
  truncateToBytes,
} from '../../../nest-worker/src/queue/dead-letter-message';

const message = (
  body: string,
  messageAttributes: ConsumedMessage['messageAttributes'] = {},
): ConsumedMessage => ({
  messageId: '3f0c2a51-9d7e-4b8a-a1f2-6c5d4e3b2a10',
  receiptHandle: 'handle',
  body,
  receiveCount: 2,
  messageAttributes,
});
const letter = { reason: 'InvalidDetail', detail: 'é'.repeat(2000), sourceQueue: 'product-ingest' };

describe('deadLetterAttributes', () => {
  it('keeps every attribute and a detail of at most 1,000 characters when there is room', () => {
    const attributes = deadLetterAttributes(message('{}'), letter, 1_048_576)!;
    expect(Object.keys(attributes).sort()).toEqual([
      'pipeline.dead-letter-detail',
      'pipeline.dead-letter-reason',
      'pipeline.receive-count',
      'pipeline.source-message-id',
      'pipeline.source-queue',
    ]);
    expect(attributes['pipeline.dead-letter-detail'].StringValue).toHaveLength(1000);
    expect(attributes['pipeline.receive-count']).toEqual({ DataType: 'Number', StringValue: '2' });
  });

  it('cuts the detail (between characters) so body and attributes fit the limit exactly or below', () => {
    const body = 'x'.repeat(10_000);
    for (const limit of [10_300, 10_301, 10_302, 10_400]) {
      const attributes = deadLetterAttributes(message(body), letter, limit)!;
      expect(messageBytes(body, attributes)).toBeLessThanOrEqual(limit);
      expect(attributes['pipeline.dead-letter-reason'].StringValue).toBe('InvalidDetail');
      expect(attributes['pipeline.dead-letter-detail']?.StringValue).toMatch(/^é+…$/);
    }
  });

  it('keeps the message’s own attributes before the detail, and drops the detail when nothing is left', () => {
    const own = { traceparent: { DataType: 'String', StringValue: 't'.repeat(100) } };
    const body = 'x'.repeat(1000);
    const withoutDetail = messageBytes(body, {
      ...own,
      'pipeline.dead-letter-reason': { DataType: 'String', StringValue: 'InvalidDetail' },
      'pipeline.source-queue': { DataType: 'String', StringValue: 'product-ingest' },
      'pipeline.source-message-id': { DataType: 'String', StringValue: message('').messageId },
      'pipeline.receive-count': { DataType: 'Number', StringValue: '2' },
    });
    const attributes = deadLetterAttributes(message(body, own), letter, withoutDetail + 10)!;
    expect(attributes.traceparent).toEqual(own.traceparent);
    expect(attributes['pipeline.dead-letter-detail']).toBeUndefined();
  });

  it('gives up (undefined) when the body leaves no room for the reason', () => {
    const body = 'x'.repeat(1000);
    expect(deadLetterAttributes(message(body), letter, 1000 + 27 + 6 + 12)).toBeUndefined();
    expect(deadLetterAttributes(message(body), letter, 1000 + 27 + 6 + 13)).toEqual({
      'pipeline.dead-letter-reason': { DataType: 'String', StringValue: 'InvalidDetail' },
    });
  });
});

describe('messageBytes', () => {
  it('counts the body and each attribute’s name, data type and value in bytes, as SQS does', () => {
    expect(
      messageBytes('é', {
        a: { DataType: 'String', StringValue: '€' },
        b: { DataType: 'Binary', BinaryValue: new Uint8Array(5) },
      }),
    ).toBe(2 + (1 + 6 + 3) + (1 + 6 + 5));
  });
});

describe('truncateToBytes', () => {
  it('never splits a character and marks the cut', () => {
    expect(truncateToBytes('abc', 3)).toBe('abc');
    expect(truncateToBytes('€€€', 8)).toBe('€…');
    expect(truncateToBytes('€€€', 5)).toBe('');
    expect(truncateToBytes('😀😀', 7)).toBe('😀…');
  });
});

describe('sizeLimitOfRejection', () => {
  it('reads the limit from SQS’s size refusal, and nothing from other errors', () => {
    const refusal = Object.assign(
      new Error('One or more parameters are invalid. Reason: Message must be shorter than 262144 bytes.'),
      { name: 'InvalidParameterValue' },
    );
    expect(sizeLimitOfRejection(refusal)).toBe(262_144);
    expect(
      sizeLimitOfRejection(Object.assign(new Error('nope'), { name: 'InvalidParameterValue' })),
    ).toBeUndefined();
    expect(sizeLimitOfRejection(new Error(refusal.message))).toBeUndefined();
  });
});
