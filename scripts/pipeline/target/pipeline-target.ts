/** How the SDK clients reach the pipeline: the standard chain (AWS) or an env file's explicit values. */
export interface Connection {
  /** Undefined: the SDK's region chain (AWS_REGION, the profile). */
  readonly region?: string;
  /** One endpoint for SQS, EventBridge, Step Functions (the local runtime, LocalStack); undefined on AWS. */
  readonly endpoint?: string;
  readonly s3Endpoint?: string;
  readonly s3ForcePathStyle: boolean;
  /** Undefined: the SDK's credential chain. */
  readonly credentials?: {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken?: string;
  };
}

/** What the stack outputs (or the env file's variables named after them) say, before any lookup. */
export interface StackOutputs {
  readonly bucket: string;
  readonly busName: string;
  readonly stateMachineArn: string;
  readonly productIngestQueueUrl: string;
  readonly productIngestDlqUrl: string;
  readonly medusaSyncQueueUrl: string;
  readonly medusaSyncDlqUrl: string;
}

/** Where the CLI points before the queues are looked up: a description for people, the stage, the outputs. */
export interface TargetOutputs {
  readonly description: string;
  readonly stage: string;
  readonly connection: Connection;
  readonly outputs: StackOutputs;
}

/**
 * - `work`: a work queue's DLQ; its messages go back to the queue (SQS redrive or the worker's send).
 * - `target`: a bus rule's target DLQ; each message is the EventBridge event the rule could not deliver.
 * - `ingestion`: the ingestion's own DLQs (S3 trigger, failure reporting; README "Dead-letter queues").
 */
export type DeadLetterKind = 'work' | 'target' | 'ingestion';

export interface WorkQueue {
  /** The short name: product-ingest, medusa-sync. */
  readonly name: string;
  readonly url: string;
}

export interface DeadLetterQueue {
  /** The stage-free name operators type: product-ingest-dlq, medusa-sync-target-dlq, … */
  readonly name: string;
  /** Its SQS name: product-ingest-dev-dlq, … */
  readonly queueName: string;
  readonly url: string;
  readonly kind: DeadLetterKind;
  /** The work queue whose deliveries end here (work and target DLQs); where a redrive sends them. */
  readonly workQueue?: WorkQueue;
}

/** Everything a command needs, resolved once: nothing typed by hand. */
export interface PipelineTarget extends TargetOutputs {
  readonly workQueues: readonly WorkQueue[];
  readonly deadLetterQueues: readonly DeadLetterQueue[];
}

/** The stage is the state machine's name suffix (ProductIngestion-<stage>, lib/constructs/ingestion-workflow.ts). */
export function stageOfStateMachine(arn: string): string | undefined {
  return /:stateMachine:ProductIngestion-([^:]+)$/.exec(arn)?.[1];
}

/** A queue's name is the last segment of its URL. */
export function queueNameOf(url: string): string {
  return url.slice(url.lastIndexOf('/') + 1);
}
