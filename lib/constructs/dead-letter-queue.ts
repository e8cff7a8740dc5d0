import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** SQS keeps a message 14 days at most: a DLQ holds what failed for as long as SQS allows. */
export const DLQ_RETENTION = Duration.days(14);

export interface DeadLetterQueueProps {
  readonly queueName: string;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * A queue where failed work waits for an operator: SQS-managed encryption (a queue under the AWS-managed
 * aws/sqs KMS key silently loses EventBridge deliveries: that key's policy cannot let EventBridge use
 * it), TLS-only access and the longest retention SQS offers.
 */
export class DeadLetterQueue extends sqs.Queue {
  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id, {
      queueName: props.queueName,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: DLQ_RETENTION,
      removalPolicy: props.removalPolicy,
    });
  }
}
