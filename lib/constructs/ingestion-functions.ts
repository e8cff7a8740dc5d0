import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { INCOMING_PREFIX, REPORTS_PREFIX, STAGING_PREFIX } from '../../contracts/events';
import { ingestionKeys } from '../../contracts/workflow';
import { DeadLetterQueue } from './dead-letter-queue';
import { PipelineFunction } from './pipeline-function';

export interface IngestionFunctionsProps {
  readonly stage: string;
  readonly bucket: s3.IBucket;
  readonly bus: events.IEventBus;
  readonly stagingBatchSize: number;
  readonly maxObjectBytes: number;
  /** Transform configuration JSON (validated); absent means the defaults. */
  readonly transformConfig?: string;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The workflow's Lambdas and exactly the data access each needs:
 * Validate reads uploads and writes staging batches, their manifest and the rejects report; Transform
 * reads a raw batch and writes its canonical batch (and its own rejects); Publish reads a canonical
 * batch, puts events on the products bus and reports what it could not publish; Summarize reads the
 * Map Run's results and writes the ingestion summary; ReportFailure turns a failed execution into
 * IngestionFailed and its failure report.
 */
export class IngestionFunctions extends Construct {
  readonly validate: PipelineFunction;
  readonly transform: PipelineFunction;
  readonly publish: PipelineFunction;
  readonly summarize: PipelineFunction;
  readonly reportFailure: PipelineFunction;
  /** ReportFailure's asynchronous invocations that failed every attempt. */
  readonly reportFailureDeadLetterQueue: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: IngestionFunctionsProps) {
    super(scope, id);
    const common = { logRetention: props.logRetention, removalPolicy: props.removalPolicy };
    const bucketEnv = { BUCKET_NAME: props.bucket.bucketName };
    // Validate needs the currency symbols to reject unknown currencies; Transform needs all of it.
    const transformEnv: Record<string, string> = props.transformConfig
      ? { TRANSFORM_CONFIG: props.transformConfig }
      : {};

    // Streaming a multi-GB export through gunzip and a JSON parser, and making each canonical product to
    // check its size, is CPU-bound: 1769 MB buys one full vCPU. Memory use stays flat (one batch at a
    // time); the 15-minute maximum bounds the file size.
    this.validate = new PipelineFunction(this, 'Validate', {
      ...common,
      handlerFile: 'validate',
      description: 'Streams an uploaded Shein export, stages valid products, reports rejects',
      memorySize: 1769,
      timeout: Duration.minutes(15),
      environment: {
        ...bucketEnv,
        ...transformEnv,
        STAGING_BATCH_SIZE: String(props.stagingBatchSize),
        MAX_OBJECT_BYTES: String(props.maxObjectBytes),
      },
    });
    // One staged batch (≤ 5,000 trimmed products, a few MB) parsed, mapped and serialised in memory.
    // Transform and Publish run in an Express child workflow, which ends at 5 minutes: 2 each leaves
    // room for a retry of either.
    this.transform = new PipelineFunction(this, 'Transform', {
      ...common,
      handlerFile: 'transform',
      description: 'Maps one staged batch of Shein products to canonical products',
      memorySize: 1024,
      timeout: Duration.minutes(2),
      environment: { ...bucketEnv, ...transformEnv },
    });
    // Network-bound PutEvents calls with backoff; the time budget covers retries of throttled entries.
    this.publish = new PipelineFunction(this, 'Publish', {
      ...common,
      handlerFile: 'publish',
      description: 'Publishes one canonical batch as ProductIngested events',
      memorySize: 512,
      timeout: Duration.minutes(2),
      environment: { ...bucketEnv, EVENT_BUS_NAME: props.bus.eventBusName },
    });
    // Streams the Map Run's result files (about 1.5 KB a batch: 60 MB for 10 million products) one
    // result at a time and writes one small JSON report.
    this.summarize = new PipelineFunction(this, 'Summarize', {
      ...common,
      handlerFile: 'summarize',
      description: 'Counts the outcome of an ingestion and writes its summary report',
      memorySize: 512,
      timeout: Duration.minutes(5),
      environment: bucketEnv,
    });
    this.reportFailureDeadLetterQueue = new DeadLetterQueue(this, 'ReportFailureDeadLetterQueue', {
      queueName: `product-ingestion-report-failure-${props.stage}-dlq`,
      removalPolicy: props.removalPolicy,
    });
    // One status-change event in, one S3 object and one event out.
    this.reportFailure = new PipelineFunction(this, 'ReportFailure', {
      ...common,
      handlerFile: 'report-failure',
      description: 'Reports a failed, timed-out or aborted ingestion as IngestionFailed',
      memorySize: 256,
      timeout: Duration.seconds(30),
      environment: { ...bucketEnv, EVENT_BUS_NAME: props.bus.eventBusName },
      deadLetterQueue: this.reportFailureDeadLetterQueue,
    });

    const objects = (prefix: string) => props.bucket.arnForObjects(`${prefix}*`);
    grant(this.validate, ['s3:GetObject', 's3:GetObjectVersion'], [objects(INCOMING_PREFIX)]);
    // The manifest and the rejects report are multipart uploads: a failed one is aborted, not left billed.
    grant(
      this.validate,
      ['s3:PutObject', 's3:AbortMultipartUpload'],
      [objects(STAGING_PREFIX), objects(REPORTS_PREFIX)],
    );
    grant(this.transform, ['s3:GetObject'], [objects(STAGING_PREFIX)]);
    grant(this.transform, ['s3:PutObject'], [objects(STAGING_PREFIX), objects(REPORTS_PREFIX)]);
    grant(this.publish, ['s3:GetObject'], [objects(STAGING_PREFIX)]);
    grant(this.publish, ['s3:PutObject'], [objects(REPORTS_PREFIX)]);
    grant(this.publish, ['events:PutEvents'], [props.bus.eventBusArn]);
    grant(this.summarize, ['s3:GetObject'], [objects(ingestionKeys.mapResultsPrefix + '/')]);
    grant(this.summarize, ['s3:PutObject'], [objects(REPORTS_PREFIX)]);
    grant(this.reportFailure, ['s3:GetObject', 's3:PutObject'], [objects(REPORTS_PREFIX)]);
    grant(this.reportFailure, ['events:PutEvents'], [props.bus.eventBusArn]);
  }

  get all(): PipelineFunction[] {
    return [this.validate, this.transform, this.publish, this.summarize, this.reportFailure];
  }
}

function grant(target: PipelineFunction, actions: string[], resources: string[]): void {
  target.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources }));
}
