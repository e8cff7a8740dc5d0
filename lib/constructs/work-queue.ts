import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DeadLetterQueue } from './dead-letter-queue';

export interface WorkQueueProps {
  readonly queueName: string;
  /** How long the worker may spend on one message before it gives up (its handler timeout). */
  readonly handlerTimeout: Duration;
  readonly maxReceiveCount: number;
  readonly retentionPeriod: Duration;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * A queue the worker long-polls, with its dead-letter queue. The visibility timeout is twice the
 * handler timeout: the worker's heartbeat extends it while it works, and a message whose handler runs
 * up to its deadline is still not handed to a second consumer when one heartbeat is missed.
 */
export class WorkQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: WorkQueueProps) {
    super(scope, id);
    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetterQueue', {
      queueName: `${props.queueName}-dlq`,
      removalPolicy: props.removalPolicy,
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      queueName: props.queueName,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: workQueueVisibilityTimeout(props.handlerTimeout),
      retentionPeriod: props.retentionPeriod,
      receiveMessageWaitTime: Duration.seconds(20),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount },
      removalPolicy: props.removalPolicy,
    });
  }
}

export function workQueueVisibilityTimeout(handlerTimeout: Duration): Duration {
  return Duration.seconds(Math.min(handlerTimeout.toSeconds() * 2, 12 * 60 * 60));
}
