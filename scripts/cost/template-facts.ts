import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { isJsonObject, type JsonObject, type JsonValue } from '../../local/aws-json/json';
import type { CfnTemplate } from '../../local/template/cfn-template';
import { ModelListings } from '../../local/template/model-listings';
import { PhysicalResources } from '../../local/template/physical-resources';
import { stateMachineModel } from '../../local/template/workload-models';
import { workflowShapeOf, type ExecutionType, type WorkflowShape } from './workflow-shape';

export interface FunctionFacts {
  /** The construct's name (`Validate` of …/Functions/Validate/Function), else the logical id. */
  readonly name: string;
  readonly arn: string;
  readonly memoryMb: number;
  readonly arm64: boolean;
  /** POWERTOOLS_LOG_LEVEL, else LOG_LEVEL, else Powertools' default INFO. */
  readonly logLevel: string;
  /** START/REPORT lines: off only when LoggingConfig.SystemLogLevel is WARN or above. */
  readonly platformLogs: boolean;
  readonly logRetentionDays: number;
}

export interface StateMachineFacts {
  readonly type: ExecutionType;
  readonly shape: WorkflowShape;
  /** LoggingConfiguration.Level: ALL, ERROR, FATAL or OFF. */
  readonly logLevel: string;
  readonly includeExecutionData: boolean;
  readonly logRetentionDays: number;
  readonly tracing: boolean;
}

export interface WorkerServiceFacts {
  /** WORKER_CONSUMERS of its container, e.g. `product-ingest`. */
  readonly consumers: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly vcpu: number;
  readonly memoryGb: number;
  readonly arm64: boolean;
  readonly tasks: number;
  readonly logRetentionDays: number;
}

/** Resources billed by the hour or month whatever the volume. */
export interface StandingResources {
  readonly natGateways: number;
  readonly loadBalancers: number;
  readonly webAcls: number;
  readonly webAclRules: number;
  readonly secrets: number;
  readonly alarmMetrics: number;
  readonly dashboards: number;
  readonly kmsKeys: number;
  /** Data-storage minimum of each ElastiCache Serverless cache, in GB (Valkey's floor is 100 MB). */
  readonly serverlessCacheMinimumGb: readonly number[];
  /** Interface endpoints × the subnets (AZs) each is in. */
  readonly interfaceEndpointAzs: number;
  readonly metricFilters: number;
}

export interface TemplateFacts {
  readonly stagingBatchSize: number;
  readonly functions: readonly FunctionFacts[];
  readonly stateMachine: StateMachineFacts;
  /** The bus archive: the event sources it keeps and for how long. */
  readonly archive?: { readonly sources: readonly string[]; readonly retentionDays: number };
  /** Lifecycle expiry of the ingest bucket's prefixes; absent when nothing expires them. */
  readonly expirationDays: Readonly<Record<'staging/' | 'reports/' | 'incoming/', number | undefined>>;
  readonly workerServices: readonly WorkerServiceFacts[];
  readonly standing: StandingResources;
}

/** CloudFormation's "never expire" for a log group without RetentionInDays, priced as ten years. */
const NEVER_EXPIRES_DAYS = 3650;
const VALKEY_MINIMUM_GB = 0.1;

export function readTemplateFacts(templatePath: string): TemplateFacts {
  const template = JSON.parse(readFileSync(templatePath, 'utf8')) as CfnTemplate;
  return templateFacts(template, path.basename(templatePath).replace(/\.template\.json$/, ''));
}

export function templateFacts(template: CfnTemplate, stackName: string): TemplateFacts {
  const resources = new PhysicalResources(template, {
    stackName,
    accountId: '000000000000',
    region: 'us-east-1',
    partition: 'aws',
    urlSuffix: 'amazonaws.com',
    sqsEndpoint: 'https://sqs.us-east-1.amazonaws.com',
  });
  const ids = (type: string) =>
    Object.entries(template.Resources)
      .filter(([, resource]) => resource.Type === type)
      .map(([id]) => id);
  const property = (id: string, name: string) => resources.property(id, name);
  const retentionOf = (logGroupRef: JsonValue | undefined): number => {
    const id = ids('AWS::Logs::LogGroup').find(
      (group) => resources.ref(group) === logGroupRef || resources.getAtt(group, 'Arn') === logGroupRef,
    );
    const days = id === undefined ? undefined : property(id, 'RetentionInDays');
    return typeof days === 'number' ? days : NEVER_EXPIRES_DAYS;
  };

  const functions = ids('AWS::Lambda::Function').map((id): FunctionFacts => {
    const variables = objectAt(property(id, 'Environment'), 'Variables') ?? {};
    const logging = asObject(property(id, 'LoggingConfig')) ?? {};
    const cdkPath = template.Resources[id].Metadata?.['aws:cdk:path'];
    const name = typeof cdkPath === 'string' ? /([^/]+)\/Function\/Resource$/.exec(cdkPath)?.[1] : undefined;
    const architectures = property(id, 'Architectures');
    return {
      name: name ?? id,
      arn: String(resources.getAtt(id, 'Arn')),
      memoryMb: numberOr(property(id, 'MemorySize'), 128),
      arm64: Array.isArray(architectures) && architectures.includes('arm64'),
      logLevel: String(variables.POWERTOOLS_LOG_LEVEL ?? variables.LOG_LEVEL ?? 'INFO').toUpperCase(),
      platformLogs: !['WARN', 'ERROR', 'FATAL'].includes(String(logging.SystemLogLevel ?? 'INFO')),
      logRetentionDays: retentionOf(logging.LogGroup ?? `/aws/lambda/${String(resources.ref(id))}`),
    };
  });

  const machines = ids('AWS::StepFunctions::StateMachine');
  if (machines.length !== 1) throw new Error(`expected one state machine, found ${machines.length}`);
  const machine = stateMachineModel(machines[0], resources, new ModelListings());
  if (!machine) throw new Error('the state machine has no definition in the template');
  const logging = asObject(property(machines[0], 'LoggingConfiguration')) ?? {};
  const destination = asObject(asObject(asList(logging.Destinations)[0])?.CloudWatchLogsLogGroup);

  const archiveId = ids('AWS::Events::Archive')[0];
  const archivePattern = archiveId === undefined ? undefined : asObject(property(archiveId, 'EventPattern'));

  // The ingest bucket's rules are the ones with these prefixes; no other bucket has them.
  const lifecycle = ids('AWS::S3::Bucket').flatMap((id) =>
    asList(asObject(property(id, 'LifecycleConfiguration'))?.Rules).map(asObject),
  );
  const expiry = (prefix: string) => {
    const rule = lifecycle.find(
      (candidate) => candidate?.Prefix === prefix && candidate.Status === 'Enabled',
    );
    return typeof rule?.ExpirationInDays === 'number' ? rule.ExpirationInDays : undefined;
  };
  const validate = functions.find((fn) => fn.name === 'Validate');
  const validateId = ids('AWS::Lambda::Function').find((id) => resources.getAtt(id, 'Arn') === validate?.arn);
  const batchSize =
    validateId && objectAt(property(validateId, 'Environment'), 'Variables')?.STAGING_BATCH_SIZE;

  return {
    stagingBatchSize: Number(batchSize ?? 250),
    functions,
    stateMachine: {
      type: machine.type === 'EXPRESS' ? 'EXPRESS' : 'STANDARD',
      shape: workflowShapeOf(machine.definition),
      logLevel: String(logging.Level ?? 'OFF'),
      includeExecutionData: logging.IncludeExecutionData === true,
      logRetentionDays: retentionOf(destination?.LogGroupArn),
      tracing: asObject(property(machines[0], 'TracingConfiguration'))?.Enabled === true,
    },
    ...(archivePattern
      ? {
          archive: {
            sources: asList(archivePattern.source).map(String),
            retentionDays: numberOr(property(archiveId, 'RetentionDays'), NEVER_EXPIRES_DAYS),
          },
        }
      : {}),
    expirationDays: {
      'staging/': expiry('staging/'),
      'reports/': expiry('reports/'),
      'incoming/': expiry('incoming/'),
    },
    workerServices: workerServices(ids, resources, retentionOf),
    standing: standingResources(ids, resources),
  };
}

function workerServices(
  ids: (type: string) => string[],
  resources: PhysicalResources,
  retentionOf: (logGroupRef: JsonValue | undefined) => number,
): WorkerServiceFacts[] {
  return ids('AWS::ECS::Service').map((serviceId) => {
    const taskArn = resources.property(serviceId, 'TaskDefinition');
    const taskId = ids('AWS::ECS::TaskDefinition').find((id) => resources.ref(id) === taskArn);
    if (taskId === undefined)
      throw new Error(`ECS service ${serviceId}: its task definition is not in the template`);
    const raw = asList(resources.rawProperty(taskId, 'ContainerDefinitions') as JsonValue)[0];
    const container = asObject(raw) ?? {};
    // Variables one by one: one without a value here (a queue URL) must not hide the others.
    const environment: Record<string, string> = {};
    for (const variable of asList(container.Environment)) {
      const entry = asObject(variable);
      if (typeof entry?.Name === 'string' && typeof entry.Value === 'string')
        environment[entry.Name] = entry.Value;
    }
    const platform = asObject(resources.property(taskId, 'RuntimePlatform'));
    const options = objectAt(asObject(container.LogConfiguration) ?? {}, 'Options');
    return {
      consumers: environment.WORKER_CONSUMERS ?? 'product-ingest,medusa-sync',
      environment,
      vcpu: Number(resources.property(taskId, 'Cpu')) / 1024,
      memoryGb: Number(resources.property(taskId, 'Memory')) / 1024,
      arm64: platform?.CpuArchitecture === 'ARM64',
      tasks: numberOr(resources.property(serviceId, 'DesiredCount'), 1),
      logRetentionDays: retentionOf(options ? resources.resolve(options['awslogs-group']) : undefined),
    };
  });
}

function standingResources(ids: (type: string) => string[], resources: PhysicalResources): StandingResources {
  const count = (type: string) => ids(type).length;
  const webAcls = ids('AWS::WAFv2::WebACL');
  const alarms = ids('AWS::CloudWatch::Alarm');
  const endpoints = ids('AWS::EC2::VPCEndpoint').filter(
    (id) => resources.rawProperty(id, 'VpcEndpointType') === 'Interface',
  );
  return {
    natGateways: count('AWS::EC2::NatGateway'),
    loadBalancers: count('AWS::ElasticLoadBalancingV2::LoadBalancer'),
    webAcls: webAcls.length,
    webAclRules: webAcls.reduce(
      (total, id) => total + asList(resources.rawProperty(id, 'Rules') as JsonValue).length,
      0,
    ),
    secrets: count('AWS::SecretsManager::Secret'),
    // A metric-math alarm is billed per metric it reads.
    alarmMetrics: alarms.reduce((total, id) => {
      const metrics = asList(resources.rawProperty(id, 'Metrics') as JsonValue);
      return total + Math.max(1, metrics.filter((metric) => asObject(metric)?.MetricStat).length);
    }, 0),
    dashboards: count('AWS::CloudWatch::Dashboard'),
    kmsKeys: count('AWS::KMS::Key'),
    serverlessCacheMinimumGb: ids('AWS::ElastiCache::ServerlessCache').map((id) => {
      const storage = objectAt(
        objectAt(resources.rawProperty(id, 'CacheUsageLimits') as JsonValue, 'DataStorage') ?? {},
        'Minimum',
      );
      return typeof storage === 'number' ? storage : VALKEY_MINIMUM_GB;
    }),
    interfaceEndpointAzs: endpoints.reduce(
      (total, id) => total + Math.max(1, asList(resources.rawProperty(id, 'SubnetIds') as JsonValue).length),
      0,
    ),
    metricFilters: count('AWS::Logs::MetricFilter'),
  };
}

function asObject(value: unknown): JsonObject | undefined {
  return isJsonObject(value) ? value : undefined;
}

function asList(value: JsonValue | undefined): JsonValue[] {
  return Array.isArray(value) ? value : [];
}

function objectAt(value: JsonValue | undefined, key: string): JsonObject | undefined {
  return isJsonObject(value) ? asObject(value[key]) : undefined;
}

function numberOr(value: JsonValue | undefined, fallback: number): number {
  return typeof value === 'number' ? value : fallback;
}
