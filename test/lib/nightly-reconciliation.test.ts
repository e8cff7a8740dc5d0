import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { loadReconcileConfig } from '../../nest-worker/src/reconcile/reconcile-config';
import {
  actionsOf,
  logicalIdOf,
  resourcesOfType,
  statementsOfRole,
  synthPipeline,
  WORKER_CONTEXT,
} from './synth-helpers';

const { template } = synthPipeline();
const json = template.toJSON();

type Container = {
  Name: string;
  Command?: string[];
  Environment?: { Name: string; Value: unknown }[];
  Secrets?: { Name: string; ValueFrom: unknown }[];
  PortMappings?: unknown[];
  LogConfiguration?: { LogDriver: string; Options: Record<string, unknown> };
  ReadonlyRootFilesystem?: boolean;
};
const reconcileContainer = (synthesized: Template): Container => {
  const [, task] = Object.entries(resourcesOfType(synthesized, 'AWS::ECS::TaskDefinition')).find(([id]) =>
    id.includes('WorkerReconcileTask'),
  )!;
  return (task.Properties!.ContainerDefinitions as Container[])[0];
};
const environmentOf = (container: Container) =>
  Object.fromEntries((container.Environment ?? []).map((entry) => [entry.Name, entry.Value]));
const container = reconcileContainer(template);
const taskId = logicalIdOf(template, 'AWS::ECS::TaskDefinition', 'WorkerReconcileTask');
const dlqId = logicalIdOf(template, 'AWS::SQS::Queue', 'ReconcileScheduleDeadLetterQueue');
const busId = logicalIdOf(template, 'AWS::Events::EventBus', 'MessagingBus');
const groupId = logicalIdOf(template, 'AWS::EC2::SecurityGroup', 'WorkerReconcileSecurityGroup');

describe('the nightly reconciliation schedule', () => {
  const [schedule] = Object.values(resourcesOfType(template, 'AWS::Scheduler::Schedule'));

  it('starts the task at 03:00 UTC by default, in the worker VPC’s private subnets, without a public IP', () => {
    template.resourceCountIs('AWS::Scheduler::Schedule', 1);
    const privateSubnets = Object.keys(resourcesOfType(template, 'AWS::EC2::Subnet'))
      .filter((id) => id.includes('private'))
      .map((id) => ({ Ref: id }));
    expect(privateSubnets).toHaveLength(2);
    expect(schedule.Properties).toMatchObject({
      ScheduleExpression: 'cron(0 3 * * ? *)',
      ScheduleExpressionTimezone: 'Etc/UTC',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::ECS::Cluster', 'WorkerCluster'), 'Arn'] },
        EcsParameters: {
          TaskDefinitionArn: { Ref: taskId },
          LaunchType: 'FARGATE',
          NetworkConfiguration: {
            AwsvpcConfiguration: {
              AssignPublicIp: 'DISABLED',
              Subnets: privateSubnets,
              SecurityGroups: [{ 'Fn::GetAtt': [groupId, 'GroupId'] }],
            },
          },
        },
      },
    });
  });

  it('retries a failed start, then parks it in an encrypted, TLS-only DLQ', () => {
    expect(schedule.Properties!.Target).toMatchObject({
      RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 7200 },
      DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlqId, 'Arn'] } },
    });
    expect(resourcesOfType(template, 'AWS::SQS::Queue')[dlqId].Properties).toMatchObject({
      QueueName: 'product-pipeline-dev-reconcile-schedule-dlq',
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 86400,
    });
    const tlsOnly = Object.values(resourcesOfType(template, 'AWS::SQS::QueuePolicy')).filter(
      (policy) =>
        JSON.stringify(policy.Properties!.Queues).includes(dlqId) &&
        JSON.stringify(policy.Properties!.PolicyDocument).includes('"aws:SecureTransport":"false"'),
    );
    expect(tlsOnly).toHaveLength(1);
  });

  it('takes another Scheduler expression from reconcileSchedule', () => {
    const hourly = synthPipeline({ reconcileSchedule: 'rate(12 hours)' }).template;
    hourly.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(12 hours)',
      ScheduleExpressionTimezone: 'Etc/UTC',
    });
  });

  it('is assumed by EventBridge Scheduler of this account only, to run this task and fill its DLQ', () => {
    const roleId = logicalIdOf(template, 'AWS::IAM::Role', 'WorkerReconcileScheduleRole');
    const role = resourcesOfType(template, 'AWS::IAM::Role')[roleId];
    expect(schedule.Properties!.Target).toMatchObject({ RoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] } });
    expect(role.Properties!.AssumeRolePolicyDocument).toMatchObject({
      Statement: [
        {
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        },
      ],
    });
    const statements = statementsOfRole(template, 'WorkerReconcileScheduleRole');
    const byAction = (action: string) =>
      statements.filter((statement) => actionsOf(statement).includes(action));
    expect(statements.flatMap(actionsOf).sort()).toEqual(['ecs:RunTask', 'iam:PassRole', 'sqs:SendMessage']);
    expect(byAction('ecs:RunTask')[0].Resource).toEqual({ Ref: taskId });
    expect(byAction('sqs:SendMessage')[0].Resource).toEqual({ 'Fn::GetAtt': [dlqId, 'Arn'] });
    expect(JSON.stringify(byAction('iam:PassRole')[0].Resource)).toMatch(
      /^\[\{"Fn::GetAtt":\["WorkerReconcileTask(Execution)?Role[0-9A-F]+","Arn"\]\},\{"Fn::GetAtt":\["WorkerReconcileTask(Execution)?Role[0-9A-F]+","Arn"\]\}\]$/,
    );
  });
});

describe('the nightly reconciliation task', () => {
  it("runs dist/reconcile.js from the worker's image, on ARM64, logging into the worker's log group", () => {
    const [, task] = Object.entries(resourcesOfType(template, 'AWS::ECS::TaskDefinition')).find(
      ([id]) => id === taskId,
    )!;
    expect(task.Properties).toMatchObject({
      RequiresCompatibilities: ['FARGATE'],
      RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' },
    });
    expect(container).toMatchObject({
      Name: 'reconcile',
      Command: ['node', '--enable-source-maps', 'dist/reconcile.js'],
      ReadonlyRootFilesystem: true,
      LogConfiguration: {
        LogDriver: 'awslogs',
        Options: {
          'awslogs-group': { Ref: logicalIdOf(template, 'AWS::Logs::LogGroup', 'WorkerLogs') },
          'awslogs-stream-prefix': 'reconcile',
        },
      },
    });
    expect(container.PortMappings ?? []).toEqual([]);
    const images = Object.values(resourcesOfType(template, 'AWS::ECS::TaskDefinition')).map((each) =>
      JSON.stringify((each.Properties!.ContainerDefinitions as { Image: unknown }[])[0].Image),
    );
    expect(new Set(images).size).toBe(1);
  });

  it('runs a bundle the image builds, with the same esbuild flags as the worker', () => {
    const dockerfile = readFileSync(path.join(__dirname, '..', '..', 'nest-worker', 'Dockerfile'), 'utf8');
    const bundles = [...dockerfile.matchAll(/RUN npx esbuild (\S+) ([^\n]*\\\n[^\n]*--outfile=(\S+))/g)].map(
      ([, entry, flags, outfile]) => ({ entry, flags: flags.replace(/\s*\\\n\s*/, ' '), outfile }),
    );
    const worker = bundles.find((bundle) => bundle.outfile === 'dist/worker.js')!;
    const reconcile = bundles.find((bundle) => bundle.outfile === 'dist/reconcile.js')!;
    expect(reconcile.entry).toBe('nest-worker/src/reconcile/main.ts');
    expect(reconcile.flags.replace('reconcile.js', 'worker.js')).toBe(worker.flags);
    expect(container.Command).toContain(reconcile.outfile);
  });

  it('gets Pimcore and Medusa as the worker does, the bus, the region and RECONCILE_FIX, nothing of Redis or SQS', () => {
    const environment = environmentOf(container);
    expect(environment).toEqual({
      PIMCORE_BASE_URL: WORKER_CONTEXT.pimcoreBaseUrl,
      PIMCORE_DATAHUB_ENDPOINT: 'products',
      MEDUSA_BASE_URL: WORKER_CONTEXT.medusaBaseUrl,
      MEDUSA_SALES_CHANNEL_ID: WORKER_CONTEXT.medusaSalesChannelId,
      PRODUCTS_EVENT_BUS_NAME: { Ref: busId },
      AWS_REGION: 'us-east-1',
      RECONCILE_FIX: 'true',
    });
    const plain = synthPipeline({ workerEnvironment: { PIMCORE_PARENT_PATH: '/Products/Shein' } }).template;
    expect(environmentOf(reconcileContainer(plain))).toMatchObject({
      PIMCORE_PARENT_PATH: '/Products/Shein',
    });
  });

  it("passes the job's own configuration check", () => {
    // Deploy-time values stand in for CloudFormation's references; the secrets get values of their form.
    const environment = Object.fromEntries(
      Object.entries(environmentOf(container)).map(([name, value]) => [
        name,
        typeof value === 'string' ? value : 'products-dev',
      ]),
    );
    const secrets = Object.fromEntries((container.Secrets ?? []).map((secret) => [secret.Name, 'sk_value']));
    expect(loadReconcileConfig({ ...environment, ...secrets })).toMatchObject({
      eventBusName: 'products-dev',
      fix: true,
    });
  });

  it.each([
    [false, 'false'],
    ['false', 'false'],
    ['true', 'true'],
  ])('sets RECONCILE_FIX from reconcileFix=%j', (reconcileFix, expected) => {
    const synthesized = synthPipeline({ reconcileFix }).template;
    expect(environmentOf(reconcileContainer(synthesized)).RECONCILE_FIX).toBe(expected);
  });

  it('injects only the Pimcore and Medusa API keys, which are all its execution role reads', () => {
    const secretId = (name: string) => ({
      Ref: logicalIdOf(template, 'AWS::SecretsManager::Secret', `WorkerSecrets${name}`),
    });
    expect(container.Secrets).toEqual([
      { Name: 'PIMCORE_API_KEY', ValueFrom: secretId('PimcoreApiKey') },
      { Name: 'MEDUSA_SECRET_API_KEY', ValueFrom: secretId('MedusaApiKey') },
    ]);
    const statements = statementsOfRole(template, 'WorkerReconcileTaskExecutionRole');
    const secretReads = statements.filter((statement) =>
      actionsOf(statement).some((action) => action.startsWith('secretsmanager:')),
    );
    expect(secretReads.length).toBeGreaterThan(0);
    const read = JSON.stringify(secretReads.map((statement) => statement.Resource));
    expect(read).toContain('WorkerSecretsPimcoreApiKey');
    expect(read).toContain('WorkerSecretsMedusaApiKey');
    expect(read).not.toMatch(/WebhookSecrets|WebhookTokens|Redis/);
  });

  it('may only put events on the products bus', () => {
    expect(statementsOfRole(template, 'WorkerReconcileTaskRole')).toEqual([
      { Effect: 'Allow', Action: 'events:PutEvents', Resource: { 'Fn::GetAtt': [busId, 'Arn'] } },
    ]);
  });

  it('has a security group of its own: no inbound, out to HTTPS and the Pimcore and Medusa ports only', () => {
    const group = resourcesOfType(template, 'AWS::EC2::SecurityGroup')[groupId];
    expect(group.Properties!.SecurityGroupIngress).toBeUndefined();
    const egress = (group.Properties!.SecurityGroupEgress as { FromPort: number }[]).map(
      (rule) => rule.FromPort,
    );
    expect(egress.sort()).toEqual([443, 9443]);
    for (const type of ['AWS::EC2::SecurityGroupIngress', 'AWS::EC2::SecurityGroupEgress']) {
      const attached = Object.values(resourcesOfType(template, type)).filter((rule) =>
        JSON.stringify(rule.Properties!.GroupId).includes(groupId),
      );
      expect(attached).toEqual([]);
    }
  });

  it('gives an operator what aws ecs run-task needs', () => {
    expect(json.Outputs.ReconcileTaskDefinitionArn.Value).toEqual({ Ref: taskId });
    expect(json.Outputs.ReconcileSecurityGroupId.Value).toEqual({ 'Fn::GetAtt': [groupId, 'GroupId'] });
    expect(JSON.stringify(json.Outputs.ReconcileSubnetIds.Value)).toMatch(/^\{"Fn::Join":\[",",\[\{"Ref"/);
    expect(Object.keys(json.Outputs)).toContain('WorkerClusterName');
  });
});

describe("the nightly reconciliation's metrics and alarms", () => {
  const alarms = Object.entries(resourcesOfType(template, 'AWS::CloudWatch::Alarm'));
  const alarm = (fragment: string) => {
    const found = alarms.filter(([id]) => id.includes(fragment));
    expect(found).toHaveLength(1);
    return found[0][1].Properties!;
  };
  const topicId = logicalIdOf(template, 'AWS::SNS::Topic', 'AlarmTopic');

  it('turns the reconcile.finished line into ReconcileDrift ($.drift) and ReconcileRuns (1 a line)', () => {
    const filters = Object.values(resourcesOfType(template, 'AWS::Logs::MetricFilter')).map(
      (filter) => filter.Properties!,
    );
    const filterOf = (name: string) =>
      filters.find((filter) => JSON.stringify(filter.MetricTransformations).includes(`"${name}"`))!;
    for (const [name, value, defaultValue] of [
      ['ReconcileDrift', '$.drift', undefined],
      ['ReconcileRuns', '1', 0],
    ] as const) {
      const filter = filterOf(name);
      expect(filter.FilterPattern).toBe('{ $.event = "reconcile.finished" }');
      expect(filter.LogGroupName).toEqual({
        Ref: logicalIdOf(template, 'AWS::Logs::LogGroup', 'WorkerLogs'),
      });
      expect(filter.MetricTransformations).toEqual([
        {
          MetricNamespace: 'ProductPipeline/dev/Worker',
          MetricName: name,
          MetricValue: value,
          ...(defaultValue === undefined ? {} : { DefaultValue: defaultValue }),
        },
      ]);
    }
  });

  it('alarms on drift found, keeping the last run’s verdict between runs', () => {
    expect(alarm('ReconcileDrift')).toMatchObject({
      Namespace: 'ProductPipeline/dev/Worker',
      MetricName: 'ReconcileDrift',
      Statistic: 'Maximum',
      Period: 3600,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'ignore',
    });
  });

  it('alarms when no run has finished for 26 hours, a silent log included', () => {
    expect(alarm('ReconcileOverdue')).toMatchObject({
      Namespace: 'ProductPipeline/dev/Worker',
      MetricName: 'ReconcileRuns',
      Statistic: 'Sum',
      Period: 3600,
      EvaluationPeriods: 26,
      DatapointsToAlarm: 26,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
  });

  it('alarms on a schedule invocation in the DLQ', () => {
    expect(alarm('ReconcileScheduleDlqDepth')).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId, 'QueueName'] } }],
      Statistic: 'Maximum',
      Threshold: 0,
    });
  });

  it('notifies the alarm topic and names the command that answers each alarm', () => {
    for (const fragment of ['ReconcileDrift', 'ReconcileOverdue', 'ReconcileScheduleDlqDepth']) {
      const properties = alarm(fragment);
      expect(properties.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(properties.OKActions).toEqual([{ Ref: topicId }]);
      expect(properties.AlarmDescription).toContain('npx pipeline reconcile --stage dev');
    }
  });

  it('has a row on the dashboard', () => {
    const [dashboard] = Object.values(resourcesOfType(template, 'AWS::CloudWatch::Dashboard'));
    const body = JSON.stringify(dashboard.Properties!.DashboardBody);
    expect(body).toContain('11. Nightly reconciliation');
    expect(body).toContain('ReconcileDrift');
    expect(body).toContain('ReconcileRuns');
  });
});

describe('reconcileSchedule=off', () => {
  const off = synthPipeline({ reconcileSchedule: 'off' }).template;
  const offJson = off.toJSON();

  it('creates no schedule, task, DLQ, metric filter, alarm or output of the reconciliation', () => {
    off.resourceCountIs('AWS::Scheduler::Schedule', 0);
    off.resourceCountIs('AWS::ECS::TaskDefinition', 2);
    expect(JSON.stringify(offJson.Resources)).not.toMatch(/Reconcile/);
    expect(Object.keys(offJson.Outputs).filter((name) => name.startsWith('Reconcile'))).toEqual([]);
  });

  it('leaves everything else as it was', () => {
    off.resourceCountIs('AWS::ECS::Service', 2);
    expect(Object.keys(resourcesOfType(off, 'AWS::CloudWatch::Alarm'))).toHaveLength(
      Object.keys(resourcesOfType(template, 'AWS::CloudWatch::Alarm')).length - 3,
    );
  });

  it('and worker=external have none of it either', () => {
    const external = synthPipeline({ worker: 'external', reconcileSchedule: 'rate(1 day)' }).template;
    external.resourceCountIs('AWS::Scheduler::Schedule', 0);
    expect(JSON.stringify(external.toJSON())).not.toMatch(/Reconcile/);
  });
});
