import type { ConsumedMessage, HandlerOutcome } from './consumed-message';

/** What the consumer reports, so metrics and logs stay out of its logic. */
export interface ConsumerObserver {
  received(queue: string, count: number): void;
  settled(queue: string, message: ConsumedMessage, outcome: HandlerOutcome, durationMs: number): void;
  inFlight(queue: string, count: number): void;
  error(queue: string, what: string, error: unknown, message?: ConsumedMessage): void;
}
