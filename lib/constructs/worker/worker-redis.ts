import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

export interface WorkerRedisProps {
  readonly stage: string;
  readonly vpc: ec2.IVpc;
  /** The security group of the worker's tasks: the only ones that may connect. */
  readonly clients: ec2.ISecurityGroup;
  /** An existing Redis, its `rediss://…` URL in a secret (it may hold a password). */
  readonly urlSecretArn?: string;
}

/** How the worker's containers learn where Redis is. */
export type RedisConnection =
  | { readonly kind: 'environment'; readonly url: string }
  | { readonly kind: 'secret'; readonly secret: ecs.Secret };

/**
 * The worker's Redis: an ElastiCache Serverless Valkey cache in the private subnets (TLS always on,
 * encrypted at rest, reachable on 6379 only from the worker's security group), or an existing one named
 * by a secret. A serverless cache behaves like a cluster, so the worker connects in cluster mode
 * (REDIS_MODE=cluster) and keeps every multi-key operation in one hash slot (docs/worker.md).
 */
export class WorkerRedis extends Construct {
  readonly connection: RedisConnection;
  /** Cluster mode for the serverless cache; an existing Redis is assumed standalone unless said. */
  readonly mode: 'cluster' | 'standalone';

  constructor(scope: Construct, id: string, props: WorkerRedisProps) {
    super(scope, id);
    if (props.urlSecretArn !== undefined) {
      const secret = secretsmanager.Secret.fromSecretCompleteArn(this, 'UrlSecret', props.urlSecretArn);
      this.connection = { kind: 'secret', secret: ecs.Secret.fromSecretsManager(secret) };
      // An existing Redis is expected inside the VPC, on Redis's port.
      props.clients.addEgressRule(
        ec2.Peer.ipv4(props.vpc.vpcCidrBlock),
        ec2.Port.tcp(6379),
        'The worker to its Redis',
      );
      this.mode = 'standalone';
      return;
    }
    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'Worker Redis: Valkey from the worker tasks only',
      allowAllOutbound: false,
    });
    securityGroup.addIngressRule(props.clients, ec2.Port.tcp(6379), 'Valkey from the worker tasks');
    props.clients.addEgressRule(securityGroup, ec2.Port.tcp(6379), 'The worker to its Valkey cache');
    const cache = new elasticache.CfnServerlessCache(this, 'Cache', {
      serverlessCacheName: `product-pipeline-${props.stage}`,
      description: 'Product pipeline worker: idempotency ledger, claims, webhook deliveries',
      engine: 'valkey',
      majorEngineVersion: '8',
      securityGroupIds: [securityGroup.securityGroupId],
      subnetIds: props.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }).subnetIds,
    });
    this.connection = {
      kind: 'environment',
      url: `rediss://${cache.attrEndpointAddress}:${cache.attrEndpointPort}`,
    };
    this.mode = 'cluster';
  }
}
