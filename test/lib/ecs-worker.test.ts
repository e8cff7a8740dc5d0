import { loadWorkerConfig } from '../../nest-worker/src/config/worker-config';
import {
  actionsOf,
  logicalIdOf,
  PolicyStatement,
  resourcesOfType,
  statementsOfRole,
  synthPipeline,
} from './synth-helpers';

const { template } = synthPipeline({ workerMinTasks: 2, workerMaxTasks: 6, workerBacklogPerTask: 300 });
const json = template.toJSON();

type Container = {
  Name: string;
  Environment?: { Name: string; Value: unknown }[];
  Secrets?: { Name: string; ValueFrom: unknown }[];
  StopTimeout?: number;
  LogConfiguration?: { LogDriver: string; Options: Record<string, unknown> };
  ReadonlyRootFilesystem?: boolean;
};
const taskDefinitions = Object.entries(resourcesOfType(template, 'AWS::ECS::TaskDefinition'));
const containerOf = (fragment: string): Container => {
  const [, task] = taskDefinitions.find(([id]) => id.includes(fragment))!;
  return (task.Properties!.ContainerDefinitions as Container[])[0];
};
const environmentOf = (container: Container) =>
  Object.fromEntries((container.Environment ?? []).map((entry) => [entry.Name, entry.Value]));
const ingest = containerOf('WorkerIngestTask');
const relay = containerOf('WorkerRelayTask');

describe('the worker on ECS Fargate', () => {
  it('runs two ARM64 services of one image in a cluster with Container Insights', () => {
    template.hasResourceProperties('AWS::ECS::Cluster', {
      ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
    });
    // The ingest and relay services' and the nightly reconciliation's (test/lib/nightly-reconciliation.test.ts).
    expect(taskDefinitions).toHaveLength(3);
    const images = taskDefinitions.map(([, task]) =>
      JSON.stringify((task.Properties!.ContainerDefinitions as { Image: unknown }[])[0].Image),
    );
    expect(new Set(images).size).toBe(1);
    for (const [, task] of taskDefinitions) {
      expect(task.Properties).toMatchObject({
        RequiresCompatibilities: ['FARGATE'],
        RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' },
        Cpu: '512',
        Memory: '1024',
      });
    }
    const services = Object.values(resourcesOfType(template, 'AWS::ECS::Service'));
    expect(services).toHaveLength(2);
    for (const service of services) {
      expect(service.Properties).toMatchObject({
        LaunchType: 'FARGATE',
        DesiredCount: 2,
        DeploymentConfiguration: { DeploymentCircuitBreaker: { Enable: true, Rollback: true } },
        NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'DISABLED' } },
      });
    }
  });

  it('gives each service one consumer and its queue, and stops tasks after the shutdown deadline', () => {
    expect(environmentOf(ingest)).toMatchObject({
      WORKER_CONSUMERS: 'product-ingest',
      PRODUCT_INGEST_QUEUE_URL: { Ref: logicalIdOf(template, 'AWS::SQS::Queue', 'ProductIngestQueueF') },
      WORKER_SHUTDOWN_DEADLINE_SECONDS: '25',
      REDIS_MODE: 'cluster',
      PIMCORE_BASE_URL: 'https://pim.example.com',
    });
    expect(environmentOf(relay)).toMatchObject({
      WORKER_CONSUMERS: 'medusa-sync',
      MEDUSA_SYNC_QUEUE_URL: { Ref: logicalIdOf(template, 'AWS::SQS::Queue', 'MedusaSyncQueue8') },
      MEDUSA_SALES_CHANNEL_ID: 'sc_01TEST',
    });
    expect(environmentOf(ingest)).not.toHaveProperty('MEDUSA_SYNC_QUEUE_URL');
    for (const container of [ingest, relay]) {
      expect(container.StopTimeout).toBeGreaterThan(25);
      expect(container.ReadonlyRootFilesystem).toBe(true);
      expect(container.LogConfiguration).toMatchObject({
        LogDriver: 'awslogs',
        Options: { 'awslogs-group': { Ref: logicalIdOf(template, 'AWS::Logs::LogGroup', 'WorkerLogs') } },
      });
    }
  });

  it("starts with the worker's own configuration check passing, from each task definition", () => {
    // Deploy-time values stand in for CloudFormation's references; secrets get values of their form.
    const deployed = (name: string, value: unknown): string => {
      if (typeof value === 'string') return value;
      if (name.endsWith('QUEUE_URL') || name.endsWith('DLQ_URL'))
        return 'https://sqs.us-east-1.amazonaws.com/123456789012/q';
      if (name === 'REDIS_URL') return 'rediss://cache.serverless.use1.cache.amazonaws.com:6379';
      return 'resolved';
    };
    for (const container of [ingest, relay]) {
      const environment = Object.fromEntries(
        Object.entries(environmentOf(container)).map(([name, value]) => [name, deployed(name, value)]),
      );
      const secrets = Object.fromEntries(
        (container.Secrets ?? []).map((secret) => [
          secret.Name,
          secret.Name === 'PIMCORE_WEBHOOK_SECRETS' ? 'w'.repeat(64) : 'sk_value',
        ]),
      );
      expect(() => loadWorkerConfig({ ...environment, ...secrets })).not.toThrow();
    }
  });

  it('injects every credential as an ECS secret from Secrets Manager, never as an environment value', () => {
    const secretNames = ['PIMCORE_API_KEY', 'MEDUSA_SECRET_API_KEY', 'PIMCORE_WEBHOOK_SECRETS'];
    for (const container of [ingest, relay]) {
      expect((container.Secrets ?? []).map((secret) => secret.Name).sort()).toEqual([...secretNames].sort());
      for (const secret of container.Secrets ?? []) {
        const { Ref: secretId } = secret.ValueFrom as { Ref: string };
        expect(json.Resources[secretId].Type).toBe('AWS::SecretsManager::Secret');
      }
      const environment = environmentOf(container);
      for (const name of [...secretNames, 'MEDUSA_ADMIN_PASSWORD'])
        expect(environment).not.toHaveProperty(name);
    }
    // The generated webhook secret is generated by Secrets Manager, not written into the template.
    for (const secret of Object.values(resourcesOfType(template, 'AWS::SecretsManager::Secret'))) {
      expect(secret.Properties).toHaveProperty('GenerateSecretString');
      expect(secret.Properties).not.toHaveProperty('SecretString');
    }
  });

  it("grants each task role only its consumer's queue, DLQ and (relay) the bus", () => {
    const sqsArns = (statements: PolicyStatement[]) =>
      statements.filter((statement) => actionsOf(statement).some((action) => action.startsWith('sqs:')));
    const ingestStatements = statementsOfRole(template, 'WorkerIngestTaskRole');
    const relayStatements = statementsOfRole(template, 'WorkerRelayTaskRole');
    expect(JSON.stringify(sqsArns(ingestStatements))).toContain('ProductIngestQueue');
    expect(JSON.stringify(sqsArns(ingestStatements))).not.toContain('MedusaSyncQueue');
    expect(JSON.stringify(sqsArns(relayStatements))).toContain('MedusaSyncQueue');
    expect(JSON.stringify(sqsArns(relayStatements))).not.toContain('ProductIngestQueue');
    expect(ingestStatements.flatMap(actionsOf)).not.toContain('events:PutEvents');
    expect(relayStatements.flatMap(actionsOf)).toContain('events:PutEvents');
    for (const statement of [...ingestStatements, ...relayStatements]) {
      expect(statement.Resource).not.toBe('*');
      expect(actionsOf(statement).some((action) => action.includes('secretsmanager'))).toBe(false);
    }
  });

  it('lets the execution roles read only the secrets they inject', () => {
    for (const fragment of ['WorkerIngestTaskExecutionRole', 'WorkerRelayTaskExecutionRole']) {
      const reads = statementsOfRole(template, fragment).filter((statement) =>
        actionsOf(statement).includes('secretsmanager:GetSecretValue'),
      );
      expect(reads.length).toBeGreaterThan(0);
      for (const statement of reads) {
        expect(JSON.stringify(statement.Resource)).toMatch(
          /WorkerSecrets(PimcoreApiKey|MedusaApiKey|WebhookSecrets)/,
        );
      }
    }
  });

  it('scales each service on its backlog per running task (metric math, target tracking)', () => {
    const targets = Object.values(resourcesOfType(template, 'AWS::ApplicationAutoScaling::ScalableTarget'));
    expect(targets).toHaveLength(2);
    for (const target of targets) expect(target.Properties).toMatchObject({ MinCapacity: 2, MaxCapacity: 6 });
    const policies = Object.values(resourcesOfType(template, 'AWS::ApplicationAutoScaling::ScalingPolicy'));
    expect(policies).toHaveLength(2);
    for (const policy of policies) {
      const configuration = policy.Properties!.TargetTrackingScalingPolicyConfiguration as {
        TargetValue: number;
        CustomizedMetricSpecification: {
          Metrics: { Id: string; Expression?: string; ReturnData: boolean }[];
        };
      };
      expect(configuration.TargetValue).toBe(300);
      const metrics = configuration.CustomizedMetricSpecification.Metrics;
      expect(metrics.map((metric) => metric.Id)).toEqual(['backlog', 'tasks', 'backlogPerTask']);
      expect(metrics.filter((metric) => metric.ReturnData).map((metric) => metric.Expression)).toEqual([
        'IF(tasks > 0, backlog / tasks, backlog)',
      ]);
      expect(JSON.stringify(metrics)).toContain('ApproximateNumberOfMessagesVisible');
      expect(JSON.stringify(metrics)).toContain('RunningTaskCount');
    }
  });
});

describe('the webhook endpoint', () => {
  const rules = Object.values(resourcesOfType(template, 'AWS::ElasticLoadBalancingV2::ListenerRule'));
  const listeners = Object.values(resourcesOfType(template, 'AWS::ElasticLoadBalancingV2::Listener'));

  it('forwards only POST /webhooks/pimcore to the relay; everything else is a 404 from the load balancer', () => {
    expect(rules).toHaveLength(1);
    expect(rules[0].Properties).toMatchObject({
      Conditions: [
        { Field: 'path-pattern', PathPatternConfig: { Values: ['/webhooks/pimcore'] } },
        { Field: 'http-request-method', HttpRequestMethodConfig: { Values: ['POST'] } },
      ],
      Actions: [{ Type: 'forward' }],
    });
    const https = listeners.find((listener) => listener.Properties!.Port === 443)!;
    expect(https.Properties).toMatchObject({
      Protocol: 'HTTPS',
      Certificates: [{ CertificateArn: expect.stringMatching(/^arn:aws:acm:/) }],
      DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404' } }],
    });
    const http = listeners.find((listener) => listener.Properties!.Port === 80)!;
    expect(http.Properties).toMatchObject({
      DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443' } }],
    });
    // Health checks reach the task directly, not through the listener.
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { HealthCheckPath: '/ready' });
  });

  it('is rate-limited per source by AWS WAF', () => {
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      Rules: [
        {
          Name: 'RateLimitPerSource',
          Statement: { RateBasedStatement: { Limit: 1000, AggregateKeyType: 'IP' } },
        },
        { Name: 'KnownBadInputs' },
      ],
    });
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
  });

  it('lets the tasks be reached only by the load balancer, on the worker port', () => {
    const ingress = Object.values(resourcesOfType(template, 'AWS::EC2::SecurityGroupIngress'));
    const toTasks = ingress.filter((rule) =>
      JSON.stringify(rule.Properties!.GroupId).includes('WorkerTaskSecurityGroup'),
    );
    expect(toTasks).toHaveLength(1);
    expect(toTasks[0].Properties).toMatchObject({ FromPort: 3000, ToPort: 3000 });
    expect(JSON.stringify(toTasks[0].Properties!.SourceSecurityGroupId)).toContain(
      'WorkerWebhookSecurityGroup',
    );
  });

  it('with an allow-list, admits only those sources, and without a certificate is not deployed', () => {
    const restricted = synthPipeline({ webhookAllowedCidrs: '203.0.113.0/24' }).template;
    const groups = Object.values(resourcesOfType(restricted, 'AWS::EC2::SecurityGroup')).filter((group) =>
      String(group.Properties!.GroupDescription).startsWith('Webhook load balancer'),
    );
    const sources = (
      groups[0].Properties!.SecurityGroupIngress as { CidrIp?: string; CidrIpv6?: string }[]
    ).map((rule) => rule.CidrIp ?? rule.CidrIpv6);
    expect(new Set(sources)).toEqual(new Set(['203.0.113.0/24']));
    restricted.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      Conditions: [{}, {}, { Field: 'source-ip', SourceIpConfig: { Values: ['203.0.113.0/24'] } }],
    });

    const noCertificate = synthPipeline({ webhookCertificateArn: undefined }).template;
    noCertificate.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 0);
    noCertificate.resourceCountIs('AWS::ECS::Service', 2);
    expect(Object.keys(noCertificate.toJSON().Outputs)).not.toContain('WebhookUrl');
  });
});

describe("the worker's Redis, network and image", () => {
  it('is an ElastiCache Serverless Valkey cache reachable on 6379 from the worker tasks only, over TLS', () => {
    template.hasResourceProperties('AWS::ElastiCache::ServerlessCache', { Engine: 'valkey' });
    const cacheGroup = logicalIdOf(template, 'AWS::EC2::SecurityGroup', 'WorkerRedisSecurityGroup');
    const ingress = Object.values(resourcesOfType(template, 'AWS::EC2::SecurityGroupIngress')).filter(
      (rule) => JSON.stringify(rule.Properties!.GroupId).includes(cacheGroup),
    );
    expect(ingress).toHaveLength(1);
    expect(ingress[0].Properties).toMatchObject({ FromPort: 6379, ToPort: 6379 });
    expect(JSON.stringify(ingress[0].Properties!.SourceSecurityGroupId)).toContain('WorkerTaskSecurityGroup');
    expect(JSON.stringify(environmentOf(ingest).REDIS_URL)).toMatch(/^\{"Fn::Join":\["",\["rediss:\/\//);
  });

  it('lets the tasks out only to HTTPS, the Pimcore and Medusa ports, and Redis', () => {
    const taskGroup = logicalIdOf(template, 'AWS::EC2::SecurityGroup', 'WorkerTaskSecurityGroup');
    const group = resourcesOfType(template, 'AWS::EC2::SecurityGroup')[taskGroup];
    const egress = (group.Properties!.SecurityGroupEgress as { FromPort: number; CidrIp: string }[]).map(
      (rule) => rule.FromPort,
    );
    expect(egress.sort()).toEqual([443, 9443]);
    const otherEgress = Object.values(resourcesOfType(template, 'AWS::EC2::SecurityGroupEgress')).filter(
      (rule) => JSON.stringify(rule.Properties!.GroupId).includes(taskGroup),
    );
    expect(otherEgress).toHaveLength(1);
    expect(otherEgress[0].Properties).toMatchObject({ FromPort: 6379, ToPort: 6379 });
    expect(JSON.stringify(otherEgress[0].Properties!.DestinationSecurityGroupId)).toContain(
      'WorkerRedisSecurityGroup',
    );
  });

  it('runs in private subnets of a two-AZ VPC with flow logs', () => {
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.resourceCountIs('AWS::EC2::NatGateway', 1);
    template.resourceCountIs('AWS::EC2::FlowLog', 1);
    const subnets = Object.values(resourcesOfType(template, 'AWS::EC2::Subnet'));
    expect(subnets).toHaveLength(4);
  });

  it('takes a prebuilt ECR image, pulled from that repository only', () => {
    const prebuilt = synthPipeline({
      workerImage: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/product-worker:1.4.0',
    }).template;
    const [task] = Object.values(resourcesOfType(prebuilt, 'AWS::ECS::TaskDefinition'));
    expect(
      JSON.stringify((task.Properties!.ContainerDefinitions as { Image: unknown }[])[0].Image),
    ).toContain('product-worker:1.4.0');
    const pulls = statementsOfRole(prebuilt, 'WorkerIngestTaskExecutionRole').filter((statement) =>
      actionsOf(statement).includes('ecr:BatchGetImage'),
    );
    expect(JSON.stringify(pulls.map((statement) => statement.Resource))).toContain(
      'repository/product-worker',
    );
  });

  it('with webhookAuth=signed-and-token, keeps a generated Datahub Webhooks token and injects it', () => {
    const tokenMode = synthPipeline({ webhookAuth: 'signed-and-token' }).template;
    const [task] = Object.values(resourcesOfType(tokenMode, 'AWS::ECS::TaskDefinition'));
    const container = (task.Properties!.ContainerDefinitions as Container[])[0];
    const tokens = container.Secrets?.find((secret) => secret.Name === 'PIMCORE_WEBHOOK_TOKENS');
    const { Ref: secretId } = tokens!.ValueFrom as { Ref: string };
    expect(tokenMode.toJSON().Resources[secretId].Properties).toMatchObject({
      Name: 'product-pipeline/dev/pimcore-webhook-tokens',
      GenerateSecretString: expect.any(Object),
    });
    tokenMode.hasOutput('WebhookTokenSecretArn', {});
    // Off by default: no token secret, no variable, no output.
    for (const container of [ingest, relay]) {
      expect(container.Secrets?.map((secret) => secret.Name)).not.toContain('PIMCORE_WEBHOOK_TOKENS');
    }
    expect(Object.keys(json.Outputs)).not.toContain('WebhookTokenSecretArn');
  });

  it('uses existing secrets and Redis when their ARNs are given', () => {
    const arn = (name: string) => `arn:aws:secretsmanager:us-east-1:123456789012:secret:${name}-AbCdEf`;
    const existing = synthPipeline({
      pimcoreApiKeySecretArn: arn('pim'),
      medusaApiKeySecretArn: arn('medusa'),
      webhookSecretArn: arn('hook'),
      redisUrlSecretArn: arn('redis'),
    }).template;
    existing.resourceCountIs('AWS::SecretsManager::Secret', 0);
    existing.resourceCountIs('AWS::ElastiCache::ServerlessCache', 0);
    const [task] = Object.values(resourcesOfType(existing, 'AWS::ECS::TaskDefinition'));
    const container = (task.Properties!.ContainerDefinitions as Container[])[0];
    expect(container.Secrets?.find((secret) => secret.Name === 'REDIS_URL')?.ValueFrom).toBe(arn('redis'));
    expect(environmentOf(container)).toMatchObject({ REDIS_MODE: 'standalone' });
    expect(environmentOf(container)).not.toHaveProperty('REDIS_URL');
  });
});

describe("the worker's logs, metrics and alarms", () => {
  it('saves three Logs Insights queries on its log group', () => {
    const queries = Object.values(resourcesOfType(template, 'AWS::Logs::QueryDefinition')).map(
      (query) => query.Properties!.Name,
    );
    expect(queries.sort()).toEqual([
      'product-pipeline-dev/worker/errors-by-reason',
      'product-pipeline-dev/worker/product-history',
      'product-pipeline-dev/worker/slowest-messages',
    ]);
  });

  it("turns the worker's JSON lines into metrics", () => {
    const filters = Object.values(resourcesOfType(template, 'AWS::Logs::MetricFilter')).map((filter) => ({
      name: (filter.Properties!.MetricTransformations as { MetricName: string }[])[0].MetricName,
      pattern: filter.Properties!.FilterPattern as string,
    }));
    expect(filters.map((filter) => filter.name).sort()).toEqual([
      'DownstreamAuthenticationFailed',
      'DownstreamRetries',
      'HandlerDurationMs',
      'MessagesApplied',
      'MessagesDeadLettered',
      'MessagesDuplicate',
      'MessagesHandedBack',
      'ReconcileDrift',
      'ReconcileRuns',
      'RedisUnavailable',
      'WebhookAccepted',
      'WebhookUnauthorized',
      'WebhookUnavailable',
    ]);
    const pattern = (name: string) => filters.find((filter) => filter.name === name)!.pattern;
    expect(pattern('MessagesDeadLettered')).toContain('$.outcome = "dead-letter"');
    expect(pattern('WebhookUnauthorized')).toContain('$.outcome = "unauthorized"');
    expect(pattern('WebhookAccepted')).toContain('$.outcome = "accepted"');
    expect(pattern('WebhookAccepted')).toContain('$.outcome = "coalesced"');
    expect(pattern('RedisUnavailable')).toContain('$.event = "redis-unavailable"');
  });

  it('alarms when a service has no running task, and on webhook, downstream and Redis failures', () => {
    const names = Object.keys(resourcesOfType(template, 'AWS::CloudWatch::Alarm'));
    for (const fragment of [
      'WorkerIngestNoRunningTask',
      'WorkerRelayNoRunningTask',
      'WorkerAuthenticationFailures',
      'WorkerRedisUnavailable',
      'WorkerDownstreamErrorRate',
      'WebhookUnauthorized',
      'WebhookUnavailable',
      'WebhookServerErrors',
      'WebhookUnhealthyTargets',
    ]) {
      expect(names.filter((name) => name.includes(fragment))).toHaveLength(1);
    }
  });
});

describe('the template', () => {
  it('holds no secret value anywhere', () => {
    expect(JSON.stringify(json)).not.toMatch(/sk_[A-Za-z0-9]{8,}|password"\s*:\s*"[^"]/i);
  });
});
