import { Duration, Fn, RemovalPolicy, Stack, TimeZone } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { DeadLetterQueue } from '../dead-letter-queue';
import type { WatchedReconciliation } from '../pipeline-monitoring';
import { downstreamSecurityGroup } from './downstream-security-group';
import type { WorkerLogMetrics } from './worker-log-metrics';
import { WORKER_RUNTIME_PLATFORM } from './worker-service';

/** The job's container name (`aws ecs run-task --overrides` names it to change RECONCILE_FIX). */
export const RECONCILE_CONTAINER = 'reconcile';
/** The job's entry point in the worker image (nest-worker/Dockerfile bundles it). */
export const RECONCILE_COMMAND = ['node', '--enable-source-maps', 'dist/reconcile.js'];

export interface NightlyReconciliationProps {
  readonly stage: string;
  /** The worker's cluster; the task runs in its VPC's private subnets. */
  readonly cluster: ecs.ICluster;
  /** The worker's image, which holds the job's bundle. */
  readonly image: ecs.ContainerImage;
  readonly cpu: number;
  readonly memoryMiB: number;
  /** Pimcore's and Medusa's plain settings, as the worker services get them. */
  readonly environment: Readonly<Record<string, string>>;
  /** The Pimcore and Medusa API keys only: the job neither takes webhooks nor uses Redis. */
  readonly secrets: Readonly<Record<string, ecs.Secret>>;
  /** Where repair events go (ProductPublished / ProductUnpublished). */
  readonly bus: events.IEventBus;
  readonly logGroup: logs.ILogGroup;
  /** The worker's log metrics: the job's results become metrics in the same namespace. */
  readonly metrics: WorkerLogMetrics;
  /** An EventBridge Scheduler cron or rate expression, evaluated in UTC. */
  readonly schedule: string;
  /** RECONCILE_FIX: put repair events on the bus (true) or only report the drift (false). */
  readonly fix: boolean;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The nightly reconciliation of Pimcore's products with Medusa's: a one-off Fargate task of the worker
 * image (`node dist/reconcile.js`) that EventBridge Scheduler starts in the worker's private subnets.
 * The task may only call Pimcore, Medusa and the AWS APIs (no inbound, no Redis), read the two API keys,
 * and put events on the products bus. A schedule invocation that fails after its retries (the task did
 * not start) lands in a DLQ. The job's one `reconcile.finished` log line becomes two metrics: the drift
 * it found and a finished run.
 */
export class NightlyReconciliation extends Construct {
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly taskRole: iam.Role;
  readonly securityGroup: ec2.SecurityGroup;
  /** The subnets the schedule starts the task in, comma-separated (for `aws ecs run-task`). */
  readonly subnetIds: string;
  readonly scheduleRole: iam.Role;
  readonly schedule: scheduler.Schedule;
  readonly deadLetterQueue: DeadLetterQueue;
  readonly watched: WatchedReconciliation;

  constructor(scope: Construct, id: string, props: NightlyReconciliationProps) {
    super(scope, id);
    this.taskRole = new iam.Role(this, 'TaskRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: 'Product pipeline nightly reconciliation: PutEvents on the products bus only',
    });
    props.bus.grantPutEventsTo(this.taskRole);
    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', {
      cpu: props.cpu,
      memoryLimitMiB: props.memoryMiB,
      runtimePlatform: WORKER_RUNTIME_PLATFORM,
      taskRole: this.taskRole,
    });
    this.taskDefinition.addContainer(RECONCILE_CONTAINER, {
      image: props.image,
      essential: true,
      command: RECONCILE_COMMAND,
      environment: {
        ...props.environment,
        PRODUCTS_EVENT_BUS_NAME: props.bus.eventBusName,
        AWS_REGION: Stack.of(this).region,
        RECONCILE_FIX: String(props.fix),
      },
      secrets: { ...props.secrets },
      // Into the worker's log group: Logs Insights and the metric filters see the job beside the worker.
      logging: ecs.LogDrivers.awsLogs({ logGroup: props.logGroup, streamPrefix: RECONCILE_CONTAINER }),
      readonlyRootFilesystem: true,
    });
    this.securityGroup = downstreamSecurityGroup(this, 'SecurityGroup', {
      vpc: props.cluster.vpc,
      description: 'Nightly reconciliation task: no inbound; outbound AWS APIs, Pimcore, Medusa',
      environment: props.environment,
    });
    const subnets = { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
    this.subnetIds = Fn.join(',', props.cluster.vpc.selectSubnets(subnets).subnetIds);

    this.deadLetterQueue = new DeadLetterQueue(this, 'ScheduleDeadLetterQueue', {
      queueName: `product-pipeline-${props.stage}-reconcile-schedule-dlq`,
      removalPolicy: props.removalPolicy,
    });
    this.scheduleRole = this.createScheduleRole();
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: `Product pipeline (${props.stage}): nightly Pimcore and Medusa reconciliation`,
      schedule: scheduler.ScheduleExpression.expression(props.schedule, TimeZone.ETC_UTC),
      target: new targets.EcsRunFargateTask(props.cluster, {
        taskDefinition: this.taskDefinition,
        vpcSubnets: subnets,
        securityGroups: [this.securityGroup],
        assignPublicIp: false,
        role: this.scheduleRole,
        // RunTask can fail for a while (Fargate capacity, throttling); a start two hours late is still
        // tonight's run, and what fails past that waits in the DLQ and alarms.
        retryAttempts: 3,
        maxEventAge: Duration.hours(2),
        deadLetterQueue: this.deadLetterQueue,
      }),
    });

    const finished = logs.FilterPattern.stringValue('$.event', '=', 'reconcile.finished');
    this.watched = {
      drift: props.metrics.fromLogLines('ReconcileDrift', finished, '$.drift', 'Maximum'),
      runs: props.metrics.fromLogLines('ReconcileRuns', finished),
      scheduleDeadLetterQueue: this.deadLetterQueue,
    };
  }

  /** The role EventBridge Scheduler assumes, for this account's default schedule group only. */
  private createScheduleRole(): iam.Role {
    const stack = Stack.of(this);
    return new iam.Role(this, 'ScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': stack.account,
            'aws:SourceArn': stack.formatArn({
              service: 'scheduler',
              resource: 'schedule-group',
              resourceName: 'default',
            }),
          },
        },
      }),
      description:
        'EventBridge Scheduler: starts the nightly reconciliation task (RunTask, PassRole, its DLQ)',
    });
  }
}
