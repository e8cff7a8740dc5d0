import { Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { WorkQueue } from './work-queue';

export interface WorkerAccessProps {
  readonly stage: string;
  readonly workQueues: WorkQueue[];
  readonly bus: events.IEventBus;
}

/**
 * What the NestJS worker may do, as a managed policy to attach to its ECS task role, EC2 instance
 * role or IAM user: consume its work queues, move poison messages to their DLQs, and put the
 * Pimcore publication events on the products bus. Nothing else.
 */
export class WorkerAccess extends Construct {
  readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: WorkerAccessProps) {
    super(scope, id);
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      // IAM names are account-wide: the region keeps the same stage deployable in two regions.
      managedPolicyName: `product-pipeline-worker-${props.stage}-${Stack.of(this).region}`,
      description: 'Product pipeline worker: consume work queues, dead-letter poison messages, put events',
      statements: [
        new iam.PolicyStatement({
          sid: 'ConsumeWorkQueues',
          actions: [
            'sqs:ReceiveMessage',
            'sqs:DeleteMessage',
            'sqs:ChangeMessageVisibility',
            'sqs:GetQueueAttributes',
            'sqs:GetQueueUrl',
          ],
          resources: props.workQueues.map((work) => work.queue.queueArn),
        }),
        new iam.PolicyStatement({
          sid: 'DeadLetterPoisonMessages',
          actions: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
          resources: props.workQueues.map((work) => work.deadLetterQueue.queueArn),
        }),
        new iam.PolicyStatement({
          sid: 'PublishPimcoreEvents',
          actions: ['events:PutEvents'],
          resources: [props.bus.eventBusArn],
        }),
      ],
    });
  }
}
