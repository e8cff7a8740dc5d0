import { Duration } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** The container's name in every worker task definition (the local runtime looks it up by this name). */
export const WORKER_CONTAINER = 'worker';
const WORKER_PORT = 3000;

/** Every task of the worker image runs on Graviton: the image is built for linux/arm64. */
export const WORKER_RUNTIME_PLATFORM: ecs.RuntimePlatform = {
  cpuArchitecture: ecs.CpuArchitecture.ARM64,
  operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
};

export interface WorkerServiceProps {
  readonly cluster: ecs.ICluster;
  readonly image: ecs.ContainerImage;
  /** The queue this service drains: its backlog per task drives the scaling. */
  readonly queue: sqs.IQueue;
  readonly cpu: number;
  readonly memoryMiB: number;
  readonly minTasks: number;
  readonly maxTasks: number;
  readonly backlogPerTask: number;
  readonly environment: Readonly<Record<string, string>>;
  readonly secrets: Readonly<Record<string, ecs.Secret>>;
  readonly logGroup: logs.ILogGroup;
  readonly securityGroup: ec2.ISecurityGroup;
  /** The worker's shutdown deadline: ECS waits longer than this between SIGTERM and SIGKILL. */
  readonly shutdownDeadline: Duration;
}

/**
 * One ECS Fargate (ARM64) service of the worker image, draining one queue, with its own task role (the
 * caller grants it what this consumer needs) and target-tracking scaling on that queue's backlog per
 * running task — the metric AWS recommends for queue workers, as metric math: visible messages ÷
 * running tasks (Container Insights).
 */
export class WorkerService extends Construct {
  readonly service: ecs.FargateService;
  readonly taskRole: iam.Role;
  readonly taskDefinition: ecs.FargateTaskDefinition;

  constructor(scope: Construct, id: string, props: WorkerServiceProps) {
    super(scope, id);
    this.taskRole = new iam.Role(this, 'TaskRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: `Product pipeline worker (${id}): only what its consumer needs`,
    });
    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', {
      cpu: props.cpu,
      memoryLimitMiB: props.memoryMiB,
      runtimePlatform: WORKER_RUNTIME_PLATFORM,
      taskRole: this.taskRole,
    });
    this.taskDefinition.addContainer(WORKER_CONTAINER, {
      image: props.image,
      essential: true,
      environment: { ...props.environment, PORT: String(WORKER_PORT) },
      secrets: { ...props.secrets },
      portMappings: [{ containerPort: WORKER_PORT, name: 'http' }],
      // pino's JSON lines as they are, one event each, for Logs Insights and the metric filters.
      logging: ecs.LogDrivers.awsLogs({
        logGroup: props.logGroup,
        streamPrefix: id.toLowerCase(),
      }),
      stopTimeout: props.shutdownDeadline.plus(Duration.seconds(5)),
      readonlyRootFilesystem: true,
      healthCheck: {
        command: [
          'CMD',
          'node',
          '-e',
          `fetch('http://127.0.0.1:${WORKER_PORT}/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`,
        ],
        interval: Duration.seconds(30),
        timeout: Duration.seconds(5),
        startPeriod: Duration.seconds(20),
        retries: 3,
      },
    });
    this.service = new ecs.FargateService(this, 'Service', {
      cluster: props.cluster,
      taskDefinition: this.taskDefinition,
      desiredCount: props.minTasks,
      securityGroups: [props.securityGroup],
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      assignPublicIp: false,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { enable: true, rollback: true },
      propagateTags: ecs.PropagatedTagSource.SERVICE,
    });
    this.scaleOnBacklog(props);
  }

  private scaleOnBacklog(props: WorkerServiceProps): void {
    const target = new appscaling.ScalableTarget(this, 'Scaling', {
      serviceNamespace: appscaling.ServiceNamespace.ECS,
      scalableDimension: 'ecs:service:DesiredCount',
      resourceId: `service/${props.cluster.clusterName}/${this.service.serviceName}`,
      minCapacity: props.minTasks,
      maxCapacity: props.maxTasks,
    });
    // The L2 target-tracking policy takes a single metric only; metric math needs the L1 policy.
    new appscaling.CfnScalingPolicy(this, 'BacklogPerTask', {
      policyName: `${this.node.path.replace(/\//g, '-')}-backlog-per-task`,
      policyType: 'TargetTrackingScaling',
      scalingTargetId: target.scalableTargetId,
      targetTrackingScalingPolicyConfiguration: {
        targetValue: props.backlogPerTask,
        scaleOutCooldown: 60,
        scaleInCooldown: 300,
        customizedMetricSpecification: {
          metrics: [
            {
              id: 'backlog',
              metricStat: {
                metric: {
                  namespace: 'AWS/SQS',
                  metricName: 'ApproximateNumberOfMessagesVisible',
                  dimensions: [{ name: 'QueueName', value: props.queue.queueName }],
                },
                stat: 'Sum',
              },
              returnData: false,
            },
            {
              id: 'tasks',
              metricStat: {
                metric: {
                  namespace: 'ECS/ContainerInsights',
                  metricName: 'RunningTaskCount',
                  dimensions: [
                    { name: 'ClusterName', value: props.cluster.clusterName },
                    { name: 'ServiceName', value: this.service.serviceName },
                  ],
                },
                stat: 'Average',
              },
              returnData: false,
            },
            {
              id: 'backlogPerTask',
              expression: 'IF(tasks > 0, backlog / tasks, backlog)',
              label: 'Messages waiting per running task',
              returnData: true,
            },
          ],
        },
      },
    });
  }
}
