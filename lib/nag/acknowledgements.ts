import { CfnElement, Stack, Token, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { IngestBucket } from '../constructs/ingest-bucket';
import { IngestionFunctions } from '../constructs/ingestion-functions';
import { IngestionWorkflow } from '../constructs/ingestion-workflow';
import { PipelineMonitoring } from '../constructs/pipeline-monitoring';
import { ProductMessaging } from '../constructs/product-messaging';
import { EcsWorker } from '../constructs/worker/ecs-worker';

export interface NagScope {
  readonly ingest: IngestBucket;
  readonly functions: IngestionFunctions;
  readonly workflow: IngestionWorkflow;
  readonly messaging: ProductMessaging;
  readonly monitoring: PipelineMonitoring;
  /** The worker on ECS; absent for worker=external. */
  readonly worker?: EcsWorker;
}

/**
 * Each cdk-nag finding this stack accepts, on the construct it applies to, with the reason.
 * Anything not listed here fails `cdk synth`.
 */
export function acknowledgeNagFindings(
  stack: Stack,
  { ingest, functions, workflow, messaging, monitoring, worker }: NagScope,
): void {
  if (worker) acknowledgeWorkerFindings(worker);
  const bucketArn = arnToken(stack, ingest.bucket);

  for (const fn of functions.all) {
    const policy = fn.role.node.findChild('DefaultPolicy');
    acknowledge(
      policy,
      'AwsSolutions-IAM5[Resource::*]',
      'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions.',
    );
    if (fn === functions.reportFailure) continue;
    acknowledge(
      fn.function,
      'Serverless-LambdaDLQ',
      'Invoked synchronously by Step Functions, which retries and catches its errors; a Lambda DLQ ' +
        'only applies to asynchronous invocations.',
    );
  }
  const prefixReason =
    'Object-level access limited to the one key prefix this function owns; keys below it are per ingestion.';
  const prefixGrants: [IngestionFunctionName, string[]][] = [
    ['validate', ['incoming', 'staging', 'reports']],
    ['transform', ['staging', 'reports']],
    ['publish', ['staging', 'reports']],
    ['summarize', ['staging/map-results', 'reports']],
    ['reportFailure', ['reports']],
  ];
  for (const [name, prefixes] of prefixGrants) {
    const policy = functions[name].role.node.findChild('DefaultPolicy');
    for (const prefix of prefixes) {
      acknowledge(policy, `AwsSolutions-IAM5[Resource::${bucketArn}/${prefix}/*]`, prefixReason);
    }
  }

  const machinePolicy = workflow.stateMachine.role.node.findChild('DefaultPolicy');
  acknowledge(
    machinePolicy,
    'AwsSolutions-IAM5[Resource::*]',
    'Log delivery (logs:*LogDelivery, DescribeLogGroups/ResourcePolicies) and X-Ray actions support no ' +
      'resource-level permissions; Step Functions needs them for logging level ALL and tracing.',
  );
  acknowledge(
    machinePolicy,
    `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::<${stack.getLogicalId(ingest.bucket.node.defaultChild as CfnElement)}>/*]`,
    "The Distributed Map reads Validate's batch manifest (a key known only at run time) and its " +
      'ResultWriter writes under a Map Run id Step Functions chooses: CDK grants both on the objects of ' +
      "the pipeline's own bucket.",
  );
  const distributedMapPolicy = workflow.stateMachine.node.findChild('DistributedMapPolicy');
  for (const executions of [':*', '/Batches:*']) {
    acknowledge(
      distributedMapPolicy,
      `AwsSolutions-IAM5[Resource::${executionArnPattern(stack, workflow.stateMachine)}${executions}]`,
      "The Distributed Map starts and watches its child executions: this state machine's own, whose " +
        'names Step Functions chooses.',
    );
  }
  for (const fn of functions.all) {
    acknowledge(
      machinePolicy,
      `AwsSolutions-IAM5[Resource::${arnToken(stack, fn.function)}:*]`,
      'Invoke on the qualified ARNs (versions/aliases) of this one workflow function only.',
    );
  }

  const targetDlqs = [
    workflow.triggerDeadLetterQueue,
    workflow.failureRuleDeadLetterQueue,
    functions.reportFailureDeadLetterQueue,
    messaging.productIngest.targetDeadLetterQueue,
    messaging.medusaSync.targetDeadLetterQueue,
    ...(monitoring.notificationDeadLetterQueue ? [monitoring.notificationDeadLetterQueue] : []),
    ...(worker?.reconciliation ? [worker.reconciliation.deadLetterQueue] : []),
  ];
  for (const queue of targetDlqs) {
    acknowledge(
      queue,
      'AwsSolutions-SQS3',
      'This queue is the dead-letter queue of an EventBridge target, a Lambda function, an SNS ' +
        'subscription or an EventBridge Scheduler schedule; cdk-nag only ' +
        'recognises DLQs named in an SQS RedrivePolicy.',
    );
  }
  const allDlqs = [...targetDlqs, ...messaging.routes.map((route) => route.workQueue.deadLetterQueue)];
  for (const queue of allDlqs) {
    acknowledge(
      queue,
      'Serverless-SQSRedrivePolicy',
      'This is a dead-letter queue: its messages wait for an operator, who redrives them (README: Operations).',
    );
  }
}

function acknowledgeWorkerFindings(worker: EcsWorker): void {
  if (worker.webhook) {
    acknowledge(
      worker.webhook.node.findChild('AccessLogs'),
      'AwsSolutions-S1',
      "This bucket holds the webhook load balancer's access logs; logging the log bucket itself would only " +
        'record the load balancer writing to it.',
    );
    if (!worker.webhook.restricted) {
      acknowledge(
        worker.webhook.node.findChild('SecurityGroup'),
        'AwsSolutions-EC23',
        'Pimcore calls the webhook from the internet and no webhookAllowedCidrs were given; the listener ' +
          'forwards only POST /webhooks/pimcore, every request must carry a valid HMAC signature, and AWS WAF ' +
          'rate-limits each source.',
      );
    }
  }
  for (const secret of worker.secrets.created) {
    acknowledge(
      secret,
      'AwsSolutions-SMG4',
      "Issued by Pimcore, Medusa or shared with Pimcore's webhook sender: no rotation Lambda can change them " +
        'on both sides. Rotated by hand (README: Deploy to AWS, rotation), the webhook secret with a two-secret overlap.',
    );
  }
  const taskDefinitions = [
    ...worker.services.map((service) => service.taskDefinition),
    ...(worker.reconciliation ? [worker.reconciliation.taskDefinition] : []),
  ];
  for (const taskDefinition of taskDefinitions) {
    acknowledge(
      taskDefinition,
      'AwsSolutions-ECS2',
      'Plain settings only (queue URLs, bus name, Redis endpoint, Pimcore and Medusa URLs, the reconciliation ' +
        'switch); every credential is an ECS secret from Secrets Manager, and assertion tests check that none ' +
        'is an environment value.',
    );
    const executionPolicy = taskDefinition.obtainExecutionRole().node.findChild('DefaultPolicy');
    acknowledge(
      executionPolicy,
      'AwsSolutions-IAM5[Resource::*]',
      'ecr:GetAuthorizationToken supports no resource-level permissions; image layers are pulled from the ' +
        'worker image repository only.',
    );
  }
}

type IngestionFunctionName = 'validate' | 'transform' | 'publish' | 'summarize' | 'reportFailure';

function acknowledge(construct: IConstruct, id: string, reason: string): void {
  const target = construct.node.defaultChild ?? construct;
  Validations.of(target).acknowledge({ id, reason });
}

/** How cdk-nag names a resource's ARN in a finding id: `<LogicalId.Arn>`. */
/** How cdk-nag prints the execution ARNs of a state machine, as CDK builds them from its ARN. */
function executionArnPattern(stack: Stack, machine: IConstruct): string {
  const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
  const name = JSON.stringify({
    'Fn::Select': [
      6,
      { 'Fn::Split': [':', { Ref: stack.getLogicalId(machine.node.defaultChild as CfnElement) }] },
    ],
  });
  return `arn:aws:states:${region}:<AWS::AccountId>:execution:${name}`;
}

function arnToken(stack: Stack, construct: IConstruct): string {
  return `<${stack.getLogicalId(construct.node.defaultChild as CfnElement)}.Arn>`;
}
