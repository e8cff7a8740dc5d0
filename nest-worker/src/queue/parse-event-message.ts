import type { z } from 'zod';
import { eventBridgeEnvelopeSchema } from '../../../contracts/eventbridge-envelope';

export type ParsedMessage<T> =
  | { readonly ok: true; readonly eventId: string; readonly detailType: string; readonly detail: T }
  | {
      readonly ok: false;
      readonly reason: 'InvalidJson' | 'NotAnEvent' | 'UnexpectedEvent' | 'InvalidDetail';
      readonly detail: string;
    };

/**
 * Unwraps the EventBridge envelope of an SQS message and checks its detail against the shared schema.
 * Every failure names what is wrong and where (JSON offset, or the path of the bad field), because
 * these messages go to the DLQ and an operator must be able to read why.
 */
export function parseEventMessage<T>(
  body: string,
  expected: {
    readonly source: string;
    readonly detailTypes: readonly string[];
    readonly detailSchema: z.ZodType<T>;
  },
): ParsedMessage<T> {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    return {
      ok: false,
      reason: 'InvalidJson',
      detail: `message body is not JSON: ${(error as Error).message}`,
    };
  }
  const envelope = eventBridgeEnvelopeSchema.safeParse(json);
  if (!envelope.success) {
    return {
      ok: false,
      reason: 'NotAnEvent',
      detail: `not an EventBridge event: ${describeIssues(envelope.error)}`,
    };
  }
  const event = envelope.data;
  if (event.source !== expected.source || !expected.detailTypes.includes(event['detail-type'])) {
    return {
      ok: false,
      reason: 'UnexpectedEvent',
      detail: `expected ${expected.detailTypes.join('/')} from ${expected.source}, got ${event['detail-type']} from ${event.source}`,
    };
  }
  const detail = expected.detailSchema.safeParse(event.detail);
  if (!detail.success) {
    return {
      ok: false,
      reason: 'InvalidDetail',
      detail: `event ${event.id}: ${describeIssues(detail.error)}`,
    };
  }
  return { ok: true, eventId: event.id, detailType: event['detail-type'], detail: detail.data };
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}
