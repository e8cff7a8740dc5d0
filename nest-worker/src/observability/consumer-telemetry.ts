import type { PinoLogger } from 'nestjs-pino';
import type { ConsumedMessage, HandlerOutcome } from '../queue/consumed-message';
import type { ConsumerObserver } from '../queue/consumer-observer';
import type { WorkerMetrics } from './worker-metrics';

/**
 * Turns consumer events into metrics and one structured log line per product: message id, subject
 * (externalId, ingestionId), attempt (the SQS receive count), outcome and duration.
 */
export class ConsumerTelemetry implements ConsumerObserver {
  constructor(
    private readonly metrics: WorkerMetrics,
    private readonly logger: PinoLogger,
  ) {}

  received(queue: string, count: number): void {
    this.metrics.received.inc({ queue }, count);
  }

  inFlight(queue: string, count: number): void {
    this.metrics.inFlight.set({ queue }, count);
  }

  settled(queue: string, message: ConsumedMessage, outcome: HandlerOutcome, durationMs: number): void {
    const outcomeLabel = outcome.kind === 'done' ? outcome.result : outcome.kind;
    this.metrics.handlerDuration.observe({ queue, outcome: outcomeLabel }, durationMs / 1000);
    const line = {
      queue,
      messageId: message.messageId,
      attempt: message.receiveCount,
      outcome: outcomeLabel,
      durationMs,
      ...outcome.subject,
    };
    switch (outcome.kind) {
      case 'done':
        this.metrics.succeeded.inc({ queue, result: outcome.result });
        if (outcome.result !== 'applied') this.metrics.duplicatesSkipped.inc({ queue });
        this.logger.info(line, `message ${outcome.result}`);
        return;
      case 'dead-letter':
        this.metrics.deadLettered.inc({ queue, reason: outcome.reason });
        this.logger.error(
          { ...line, reason: outcome.reason, detail: outcome.detail },
          'message dead-lettered',
        );
        return;
      case 'retry-later':
        this.metrics.retried.inc({ queue, kind: 'redelivery', reason: outcome.reason });
        this.logger.warn({ ...line, reason: outcome.reason }, 'message handed back for a later retry');
        return;
    }
  }

  /** An in-process retry of a downstream call (its `retry`-th), before the message is settled. */
  attemptRetried(
    queue: string,
    message: ConsumedMessage,
    subject: Readonly<Record<string, string>>,
    error: unknown,
    retry: number,
  ): void {
    this.metrics.retried.inc({ queue, kind: 'attempt', reason: errorName(error) });
    this.logger.warn(
      {
        queue,
        messageId: message.messageId,
        attempt: message.receiveCount,
        retry,
        outcome: 'retrying',
        ...subject,
        err: error,
      },
      'downstream call failed, retrying',
    );
  }

  error(queue: string, operation: string, error: unknown, message?: ConsumedMessage): void {
    this.metrics.errors.inc({ queue, operation });
    this.logger.error({ queue, operation, messageId: message?.messageId, err: error }, `${operation} failed`);
  }
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'Error';
}
