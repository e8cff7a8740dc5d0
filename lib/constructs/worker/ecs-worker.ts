import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { DockerImageAsset, Platform } from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import * as path from 'node:path';
import type { WorkerDeployment } from '../../config/pipeline-config';
import type { WatchedWorker } from '../pipeline-monitoring';
import type { WorkQueue } from '../work-queue';
import { downstreamSecurityGroup } from './downstream-security-group';
import { NightlyReconciliation } from './nightly-reconciliation';
import { WebhookEndpoint } from './webhook-endpoint';
import { WorkerLogMetrics } from './worker-log-metrics';
import { WorkerNetwork } from './worker-network';
import { WorkerQueries } from './worker-queries';
import { WorkerRedis } from './worker-redis';
import { WorkerSecrets } from './worker-secrets';
import { WorkerService } from './worker-service';

const REPOSITORY_ROOT = path.join(__dirname, '..', '..', '..');

export interface EcsWorkerProps {
  readonly stage: string;
  readonly deployment: WorkerDeployment;
  readonly productIngest: WorkQueue;
  readonly medusaSync: WorkQueue;
  readonly bus: events.IEventBus;
  readonly handlerTimeout: Duration;
  readonly logRetention: logs.RetentionDays;
  readonly retainData: boolean;
}

/** The worker's shutdown deadline (WORKER_SHUTDOWN_DEADLINE_SECONDS' default): ECS stops tasks after it. */
const SHUTDOWN_DEADLINE = Duration.seconds(25);

/**
 * The NestJS worker on ECS Fargate: two services of one image, one per consumer, so that each scales on
 * its own queue's backlog (a service draining both queues could only scale on their sum, and a Pimcore
 * backlog would add Medusa relays nobody needs). The relay service also serves Pimcore's webhook (it
 * puts ProductPublished on the bus that feeds its own queue); the ingest service serves no public path.
 * The same image runs the nightly reconciliation as a scheduled task (unless reconcileSchedule=off).
 * Around them: the VPC, Redis, the secrets, the webhook's load balancer (when a certificate is given),
 * the log group and its saved queries.
 */
export class EcsWorker extends Construct {
  readonly cluster: ecs.Cluster;
  readonly ingest: WorkerService;
  readonly relay: WorkerService;
  readonly logGroup: logs.LogGroup;
  readonly secrets: WorkerSecrets;
  readonly redis: WorkerRedis;
  readonly network: WorkerNetwork;
  readonly webhook?: WebhookEndpoint;
  readonly metrics: WorkerLogMetrics;
  readonly reconciliation?: NightlyReconciliation;

  constructor(scope: Construct, id: string, props: EcsWorkerProps) {
    super(scope, id);
    const { deployment } = props;
    const removalPolicy = props.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.network = new WorkerNetwork(this, 'Network', {
      vpcId: deployment.vpcId,
      natGateways: props.retainData ? 2 : 1,
      logRetention: props.logRetention,
      removalPolicy,
    });
    const { vpc } = this.network;
    this.cluster = new ecs.Cluster(this, 'Cluster', {
      vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });
    const tasks = downstreamSecurityGroup(this, 'TaskSecurityGroup', {
      vpc,
      description:
        'Worker tasks: inbound from the webhook load balancer only; outbound AWS APIs, Pimcore, Medusa',
      environment: deployment.environment,
    });
    this.redis = new WorkerRedis(this, 'Redis', {
      stage: props.stage,
      vpc,
      clients: tasks,
      urlSecretArn: deployment.secretArns.redisUrl,
    });
    this.secrets = new WorkerSecrets(this, 'Secrets', {
      stage: props.stage,
      existing: deployment.secretArns,
      acceptTokens: deployment.webhook.acceptTokens,
      removalPolicy,
    });
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/product-pipeline/${props.stage}/worker`,
      retention: props.logRetention,
      removalPolicy,
    });
    new WorkerQueries(this, 'Queries', { logGroup: this.logGroup, stage: props.stage });
    this.metrics = new WorkerLogMetrics(this, 'Metrics', { logGroup: this.logGroup, stage: props.stage });

    const image = workerImage(this, deployment.image);
    const redis: { environment: Record<string, string>; secrets: Record<string, ecs.Secret> } =
      this.redis.connection.kind === 'environment'
        ? { environment: { REDIS_URL: this.redis.connection.url }, secrets: {} }
        : { environment: {}, secrets: { REDIS_URL: this.redis.connection.secret } };
    const environment = {
      ...deployment.environment,
      ...redis.environment,
      REDIS_MODE: this.redis.mode,
      AWS_REGION: Stack.of(this).region,
      PRODUCTS_EVENT_BUS_NAME: props.bus.eventBusName,
      WORKER_HANDLER_TIMEOUT_SECONDS: String(props.handlerTimeout.toSeconds()),
      WORKER_SHUTDOWN_DEADLINE_SECONDS: String(SHUTDOWN_DEADLINE.toSeconds()),
    };
    const secrets = { ...this.secrets.containerSecrets(), ...redis.secrets };
    const common = {
      cluster: this.cluster,
      image,
      cpu: deployment.cpu,
      memoryMiB: deployment.memoryMiB,
      minTasks: deployment.minTasks,
      maxTasks: deployment.maxTasks,
      backlogPerTask: deployment.backlogPerTask,
      logGroup: this.logGroup,
      securityGroup: tasks,
      shutdownDeadline: SHUTDOWN_DEADLINE,
      secrets,
    };
    this.ingest = new WorkerService(this, 'Ingest', {
      ...common,
      queue: props.productIngest.queue,
      environment: {
        ...environment,
        WORKER_CONSUMERS: 'product-ingest',
        PRODUCT_INGEST_QUEUE_URL: props.productIngest.queue.queueUrl,
        PRODUCT_INGEST_DLQ_URL: props.productIngest.deadLetterQueue.queueUrl,
      },
    });
    this.relay = new WorkerService(this, 'Relay', {
      ...common,
      queue: props.medusaSync.queue,
      environment: {
        ...environment,
        WORKER_CONSUMERS: 'medusa-sync',
        MEDUSA_SYNC_QUEUE_URL: props.medusaSync.queue.queueUrl,
        MEDUSA_SYNC_DLQ_URL: props.medusaSync.deadLetterQueue.queueUrl,
      },
    });
    props.productIngest.queue.grantConsumeMessages(this.ingest.taskRole);
    props.productIngest.deadLetterQueue.grantSendMessages(this.ingest.taskRole);
    props.medusaSync.queue.grantConsumeMessages(this.relay.taskRole);
    props.medusaSync.deadLetterQueue.grantSendMessages(this.relay.taskRole);
    props.bus.grantPutEventsTo(this.relay.taskRole);

    if (deployment.webhook.certificateArn !== undefined) {
      this.webhook = new WebhookEndpoint(this, 'Webhook', {
        vpc,
        certificateArn: deployment.webhook.certificateArn,
        allowedCidrs: deployment.webhook.allowedCidrs,
        rateLimit: deployment.webhook.rateLimit,
        removalPolicy,
      });
      this.webhook.attach(this.relay.service);
    }

    if (deployment.reconcile) {
      this.reconciliation = new NightlyReconciliation(this, 'Reconcile', {
        stage: props.stage,
        cluster: this.cluster,
        image,
        cpu: deployment.cpu,
        memoryMiB: deployment.memoryMiB,
        environment: deployment.environment,
        secrets: this.secrets.apiKeySecrets(),
        bus: props.bus,
        logGroup: this.logGroup,
        metrics: this.metrics,
        schedule: deployment.reconcile.schedule,
        fix: deployment.reconcile.fix,
        removalPolicy,
      });
    }
  }

  get services(): WorkerService[] {
    return [this.ingest, this.relay];
  }

  /** What the pipeline's monitoring watches of the worker. */
  get watched(): WatchedWorker {
    return {
      services: [
        {
          label: 'WorkerIngest',
          clusterName: this.cluster.clusterName,
          serviceName: this.ingest.service.serviceName,
        },
        {
          label: 'WorkerRelay',
          clusterName: this.cluster.clusterName,
          serviceName: this.relay.service.serviceName,
        },
      ],
      counters: this.metrics.counters,
      webhook: this.webhook && {
        loadBalancer: this.webhook.loadBalancer,
        targetGroup: this.webhook.targetGroup,
      },
      reconciliation: this.reconciliation?.watched,
    };
  }
}

/**
 * The image every worker task runs: built once from nest-worker/Dockerfile at deploy time (an ARM64
 * build: Docker with buildx or an ARM64 machine), or a prebuilt one. An ECR image is pulled with
 * permissions on that repository only.
 */
function workerImage(scope: Construct, reference: string | undefined): ecs.ContainerImage {
  if (reference === undefined) {
    const asset = new DockerImageAsset(scope, 'Image', {
      directory: REPOSITORY_ROOT,
      file: 'nest-worker/Dockerfile',
      platform: Platform.LINUX_ARM64,
    });
    return ecs.ContainerImage.fromDockerImageAsset(asset);
  }
  const ecrImage =
    /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com\/([^:@]+)(?::([\w.-]+)|@(sha256:[0-9a-f]{64}))$/.exec(
      reference,
    );
  if (ecrImage === null) return ecs.ContainerImage.fromRegistry(reference);
  const [, account, region, name, tag, digest] = ecrImage;
  const repository = ecr.Repository.fromRepositoryAttributes(scope, 'ImageRepository', {
    repositoryName: name,
    repositoryArn: `arn:${Stack.of(scope).partition}:ecr:${region}:${account}:repository/${name}`,
  });
  return ecs.ContainerImage.fromEcrRepository(repository, tag ?? digest);
}
