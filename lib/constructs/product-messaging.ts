import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import { DETAIL_TYPES, EVENT_SOURCES } from '../../contracts/events';
import { DeadLetterQueue } from './dead-letter-queue';
import { WorkQueue } from './work-queue';

export interface ProductMessagingProps {
  readonly stage: string;
  readonly workerHandlerTimeout: Duration;
  readonly maxReceiveCount: number;
  readonly queueRetention: Duration;
  readonly archiveRetention: Duration;
  readonly removalPolicy: RemovalPolicy;
}

/** A bus rule that delivers into a work queue, and the DLQ for events the rule could not deliver. */
export interface QueueRoute {
  readonly rule: events.Rule;
  readonly targetDeadLetterQueue: DeadLetterQueue;
  readonly workQueue: WorkQueue;
}

/**
 * The products bus (archived for replay) and the two routes the worker consumes:
 * ProductIngested → product-ingest, ProductPublished/ProductUnpublished → medusa-sync.
 */
export class ProductMessaging extends Construct {
  readonly bus: events.EventBus;
  readonly archive: events.Archive;
  readonly productIngest: QueueRoute;
  readonly medusaSync: QueueRoute;

  constructor(scope: Construct, id: string, props: ProductMessagingProps) {
    super(scope, id);
    this.bus = new events.EventBus(this, 'Bus', {
      eventBusName: `products-${props.stage}`,
      description: 'Product pipeline events: ingestion, Pimcore publication',
    });
    this.archive = this.bus.archive('Archive', {
      archiveName: `products-${props.stage}-archive`,
      description: 'Every event on the products bus, for replay after an incident',
      eventPattern: { source: [EVENT_SOURCES.ingestion, EVENT_SOURCES.pimcore] },
      retention: props.archiveRetention,
    });

    this.productIngest = this.route('ProductIngest', props, {
      queueName: `product-ingest-${props.stage}`,
      description: 'ProductIngested events to the worker that upserts products into Pimcore',
      source: EVENT_SOURCES.ingestion,
      detailTypes: [DETAIL_TYPES.productIngested],
    });
    this.medusaSync = this.route('MedusaSync', props, {
      queueName: `medusa-sync-${props.stage}`,
      description: 'Pimcore publication events to the worker that relays products to Medusa',
      source: EVENT_SOURCES.pimcore,
      detailTypes: [DETAIL_TYPES.productPublished, DETAIL_TYPES.productUnpublished],
    });
  }

  get routes(): QueueRoute[] {
    return [this.productIngest, this.medusaSync];
  }

  private route(
    id: string,
    props: ProductMessagingProps,
    spec: { queueName: string; description: string; source: string; detailTypes: string[] },
  ): QueueRoute {
    const workQueue = new WorkQueue(this, `${id}Queue`, {
      queueName: spec.queueName,
      handlerTimeout: props.workerHandlerTimeout,
      maxReceiveCount: props.maxReceiveCount,
      retentionPeriod: props.queueRetention,
      removalPolicy: props.removalPolicy,
    });
    const targetDeadLetterQueue = new DeadLetterQueue(this, `${id}TargetDeadLetterQueue`, {
      queueName: `${spec.queueName}-target-dlq`,
      removalPolicy: props.removalPolicy,
    });
    const rule = new events.Rule(this, `${id}Rule`, {
      eventBus: this.bus,
      description: spec.description,
      eventPattern: { source: [spec.source], detailType: spec.detailTypes },
      targets: [
        new targets.SqsQueue(workQueue.queue, {
          deadLetterQueue: targetDeadLetterQueue,
          retryAttempts: 20,
          maxEventAge: Duration.hours(24),
        }),
      ],
    });
    return { rule, targetDeadLetterQueue, workQueue };
  }
}
