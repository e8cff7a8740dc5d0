import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { Inject, Injectable } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { PinoLogger } from 'nestjs-pino';
import type { QueuePair, WorkerConfig } from '../config/worker-config';
import { SQS, WORKER_CONFIG } from '../config/injection-tokens';
import { WorkerMetrics } from './worker-metrics';

/** Housekeeping: refreshes the queue-depth gauges every 30 s (CloudWatch alarms watch the same). */
@Injectable()
export class QueueDepthMonitor {
  constructor(
    @Inject(SQS) private readonly sqs: SQSClient,
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
    @Inject(WorkerMetrics) private readonly metrics: WorkerMetrics,
    @Inject(PinoLogger) private readonly logger: PinoLogger,
  ) {}

  @Interval(30_000)
  async refresh(): Promise<void> {
    const { productIngest, medusaSync } = this.config;
    const queues = [
      ...(productIngest ? depthTargets('product-ingest', productIngest) : []),
      ...(medusaSync ? depthTargets('medusa-sync', medusaSync) : []),
    ];
    for (const [queue, url] of queues) {
      try {
        const { Attributes } = await this.sqs.send(
          new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }),
        );
        this.metrics.queueDepth.set({ queue }, Number(Attributes?.ApproximateNumberOfMessages ?? 0));
      } catch (error) {
        this.logger.warn({ queue, err: error }, 'could not read the queue depth');
      }
    }
  }
}

function depthTargets(name: string, queues: QueuePair): [string, string][] {
  return [
    [name, queues.queueUrl],
    [`${name}-dlq`, queues.deadLetterQueueUrl],
  ];
}
