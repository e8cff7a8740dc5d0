import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The worker's Prometheus metrics, in a registry of its own (not prom-client's global one) so that
 * several workers in one process — tests — never share counters.
 */
export class WorkerMetrics {
  readonly registry = new Registry();
  readonly received = new Counter({
    name: 'pipeline_messages_received_total',
    help: 'Messages received from SQS',
    labelNames: ['queue'],
    registers: [this.registry],
  });
  readonly succeeded = new Counter({
    name: 'pipeline_messages_succeeded_total',
    help: 'Messages handled and deleted (result: applied, duplicate, stale)',
    labelNames: ['queue', 'result'],
    registers: [this.registry],
  });
  readonly duplicatesSkipped = new Counter({
    name: 'pipeline_duplicates_skipped_total',
    help: 'Messages whose content was already applied (or outdated), dropped without a write',
    labelNames: ['queue'],
    registers: [this.registry],
  });
  readonly retried = new Counter({
    name: 'pipeline_messages_retried_total',
    help: 'Retries: in-process attempts (kind=attempt) and hand-backs to SQS (kind=redelivery)',
    labelNames: ['queue', 'kind', 'reason'],
    registers: [this.registry],
  });
  readonly deadLettered = new Counter({
    name: 'pipeline_messages_dead_lettered_total',
    help: 'Messages sent to the DLQ because they can never succeed',
    labelNames: ['queue', 'reason'],
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: 'pipeline_consumer_errors_total',
    help: 'Failed SQS calls and handler exceptions',
    labelNames: ['queue', 'operation'],
    registers: [this.registry],
  });
  readonly inFlight = new Gauge({
    name: 'pipeline_messages_in_flight',
    help: 'Messages being worked on',
    labelNames: ['queue'],
    registers: [this.registry],
  });
  readonly queueDepth = new Gauge({
    name: 'pipeline_queue_depth',
    help: 'ApproximateNumberOfMessages of the work queues and their DLQs',
    labelNames: ['queue'],
    registers: [this.registry],
  });
  readonly handlerDuration = new Histogram({
    name: 'pipeline_handler_duration_seconds',
    help: 'Time from receive to settled, per outcome',
    labelNames: ['queue', 'outcome'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  readonly webhookRequests = new Counter({
    name: 'pipeline_webhook_requests_total',
    help: 'Requests to POST /webhooks/pimcore, per outcome',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  readonly webhookDuration = new Histogram({
    name: 'pipeline_webhook_duration_seconds',
    help: 'Time from a webhook request reaching the worker to its reply, per outcome',
    labelNames: ['outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
