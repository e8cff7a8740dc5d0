import { CfnOutput, Duration, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { INCOMING_PREFIX } from '../../contracts/events';
import { PipelineConfig } from '../config/pipeline-config';
import { IngestBucket } from '../constructs/ingest-bucket';
import { IngestionFunctions } from '../constructs/ingestion-functions';
import { IngestionWorkflow } from '../constructs/ingestion-workflow';
import { PipelineMonitoring } from '../constructs/pipeline-monitoring';
import { ProductMessaging } from '../constructs/product-messaging';
import { WorkerAccess } from '../constructs/worker-access';
import { EcsWorker } from '../constructs/worker/ecs-worker';
import type { NightlyReconciliation } from '../constructs/worker/nightly-reconciliation';
import { acknowledgeNagFindings } from '../nag/acknowledgements';
import { retentionDays } from '../config/retention';

export interface ProductPipelineStackProps extends StackProps {
  readonly config: PipelineConfig;
}

/**
 * The whole pipeline as one deployment unit: ingest bucket, ingestion workflow, products bus and the
 * worker's queues, the worker's access policy, alarms and dashboard. One stack keeps the wiring in one
 * template (which the local runtime also runs) and avoids cross-stack exports that would pin resources.
 */
export class ProductPipelineStack extends Stack {
  constructor(scope: Construct, id: string, props: ProductPipelineStackProps) {
    super(scope, id, { terminationProtection: props.config.retainData, ...props });
    const { config } = props;
    const removalPolicy = config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const logRetention = retentionDays(config.logRetentionDays);

    const ingest = new IngestBucket(this, 'Ingest', {
      retainData: config.retainData,
      stagingExpiration: Duration.days(config.stagingExpirationDays),
      reportExpiration: Duration.days(config.reportExpirationDays),
      incomingExpiration:
        config.incomingExpirationDays === undefined
          ? undefined
          : Duration.days(config.incomingExpirationDays),
    });
    const messaging = new ProductMessaging(this, 'Messaging', {
      stage: config.stage,
      workerHandlerTimeout: Duration.seconds(config.workerHandlerTimeoutSeconds),
      maxReceiveCount: config.maxReceiveCount,
      queueRetention: Duration.days(config.queueRetentionDays),
      archiveRetention: Duration.days(config.archiveRetentionDays),
      removalPolicy,
    });
    const functions = new IngestionFunctions(this, 'Functions', {
      stage: config.stage,
      bucket: ingest.bucket,
      bus: messaging.bus,
      stagingBatchSize: config.stagingBatchSize,
      maxObjectBytes: config.maxObjectMegabytes * 1024 * 1024,
      transformConfig: config.transformConfig,
      logRetention,
      removalPolicy,
    });
    const workflow = new IngestionWorkflow(this, 'ProductIngestion', {
      stage: config.stage,
      bucket: ingest.bucket,
      bus: messaging.bus,
      functions,
      mapMaxConcurrency: config.mapMaxConcurrency,
      mapToleratedFailurePercent: config.mapToleratedFailurePercent,
      executionTimeout: Duration.minutes(config.executionTimeoutMinutes),
      logRetention,
      removalPolicy,
    });
    const worker = config.worker
      ? new EcsWorker(this, 'Worker', {
          stage: config.stage,
          deployment: config.worker,
          productIngest: messaging.productIngest.workQueue,
          medusaSync: messaging.medusaSync.workQueue,
          bus: messaging.bus,
          handlerTimeout: Duration.seconds(config.workerHandlerTimeoutSeconds),
          logRetention,
          retainData: config.retainData,
        })
      : new WorkerAccess(this, 'Worker', {
          stage: config.stage,
          workQueues: messaging.routes.map((route) => route.workQueue),
          bus: messaging.bus,
        });
    const monitoring = new PipelineMonitoring(this, 'Monitoring', {
      stage: config.stage,
      alarmEmail: config.alarmEmail,
      stateMachine: workflow.stateMachine,
      functions: functions.all,
      routes: messaging.routes,
      rules: [
        { label: 'IngestionTrigger', rule: workflow.trigger },
        { label: 'IngestionFailures', rule: workflow.failureRule },
        { label: 'ProductIngestRule', rule: messaging.productIngest.rule, bus: messaging.bus },
        { label: 'MedusaSyncRule', rule: messaging.medusaSync.rule, bus: messaging.bus },
      ],
      deadLetterQueues: [
        { label: 'IngestionTriggerDlq', queue: workflow.triggerDeadLetterQueue },
        { label: 'IngestionFailuresDlq', queue: workflow.failureRuleDeadLetterQueue },
        { label: 'ReportFailureDlq', queue: functions.reportFailureDeadLetterQueue },
        { label: 'ProductIngestDlq', queue: messaging.productIngest.workQueue.deadLetterQueue },
        { label: 'ProductIngestTargetDlq', queue: messaging.productIngest.targetDeadLetterQueue },
        { label: 'MedusaSyncDlq', queue: messaging.medusaSync.workQueue.deadLetterQueue },
        { label: 'MedusaSyncTargetDlq', queue: messaging.medusaSync.targetDeadLetterQueue },
      ],
      oldestMessageAgeThreshold: Duration.seconds(config.oldestMessageAgeAlarmSeconds),
      removalPolicy,
      worker: worker instanceof EcsWorker ? worker.watched : undefined,
    });

    this.outputs({
      IngestBucketName: [ingest.bucket.bucketName, `Upload exports under s3://<bucket>/${INCOMING_PREFIX}`],
      EventBusName: [messaging.bus.eventBusName, 'Products bus (PRODUCTS_EVENT_BUS_NAME for the worker)'],
      ProductIngestQueueUrl: [messaging.productIngest.workQueue.queue.queueUrl, 'Worker: Pimcore upserts'],
      ProductIngestDlqUrl: [
        messaging.productIngest.workQueue.deadLetterQueue.queueUrl,
        'Worker: poison messages',
      ],
      MedusaSyncQueueUrl: [messaging.medusaSync.workQueue.queue.queueUrl, 'Worker: Medusa relay'],
      MedusaSyncDlqUrl: [messaging.medusaSync.workQueue.deadLetterQueue.queueUrl, 'Worker: poison messages'],
      StateMachineArn: [workflow.stateMachine.stateMachineArn, 'ProductIngestion state machine'],
      AlarmTopicArn: [monitoring.topic.topicArn, 'Subscribe here to receive alarms'],
      DashboardName: [monitoring.dashboard.dashboardName, 'CloudWatch dashboard'],
      ...(worker instanceof EcsWorker
        ? this.workerOutputs(worker)
        : {
            WorkerPolicyArn: [worker.policy.managedPolicyArn, 'Attach to the role of the worker you run'],
          }),
    });

    acknowledgeNagFindings(this, {
      ingest,
      functions,
      workflow,
      messaging,
      monitoring,
      worker: worker instanceof EcsWorker ? worker : undefined,
    });
  }

  private workerOutputs(worker: EcsWorker): Record<string, [string, string]> {
    return {
      WorkerClusterName: [worker.cluster.clusterName, 'ECS cluster of the worker services'],
      WorkerIngestServiceName: [worker.ingest.service.serviceName, 'Worker service draining product-ingest'],
      WorkerRelayServiceName: [worker.relay.service.serviceName, 'Worker service draining medusa-sync'],
      WorkerLogGroupName: [worker.logGroup.logGroupName, "The worker's JSON logs"],
      PimcoreApiKeySecretArn: [
        worker.secrets.pimcoreApiKey.secretArn,
        'put-secret-value: the Pimcore API key',
      ],
      MedusaApiKeySecretArn: [
        worker.secrets.medusaApiKey.secretArn,
        'put-secret-value: the Medusa secret API key',
      ],
      WebhookSecretArn: [
        worker.secrets.webhookSecrets.secretArn,
        "Pimcore's listener signs with this secret",
      ],
      ...(worker.secrets.webhookTokens
        ? {
            WebhookTokenSecretArn: [
              worker.secrets.webhookTokens.secretArn,
              'Datahub Webhooks authenticates with this token',
            ] as [string, string],
          }
        : {}),
      ...(worker.webhook
        ? { WebhookUrl: [worker.webhook.url, "Pimcore's webhook target (POST, signed)"] as [string, string] }
        : {}),
      ...(worker.reconciliation ? this.reconcileOutputs(worker.reconciliation) : {}),
    };
  }

  /** What `aws ecs run-task` needs besides WorkerClusterName to run the reconciliation on demand. */
  private reconcileOutputs(reconciliation: NightlyReconciliation): Record<string, [string, string]> {
    return {
      ReconcileTaskDefinitionArn: [
        reconciliation.taskDefinition.taskDefinitionArn,
        'Nightly reconciliation task (aws ecs run-task --launch-type FARGATE runs it on demand)',
      ],
      ReconcileSubnetIds: [reconciliation.subnetIds, 'Subnets the reconciliation task runs in (run-task)'],
      ReconcileSecurityGroupId: [
        reconciliation.securityGroup.securityGroupId,
        'Security group of the reconciliation task (run-task)',
      ],
    };
  }

  private outputs(values: Record<string, [string, string]>): void {
    for (const [id, [value, description]] of Object.entries(values)) {
      new CfnOutput(this, id, { value, description });
    }
  }
}
