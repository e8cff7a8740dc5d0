import type { JsonValue } from '../aws-json/json';
import type { CfnTemplate } from './cfn-template';
import { resolveIntrinsics, UnsupportedIntrinsicError, type ReferenceSource } from './intrinsics';
import type { LocalEnvironment } from './stack-model';

/** What Ref and Fn::GetAtt return for one resource. */
interface Identity {
  readonly ref: string;
  readonly attributes: Readonly<Record<string, string>>;
}

interface IdentityContext {
  readonly name: string;
  readonly environment: LocalEnvironment;
  property(name: string): JsonValue | undefined;
}

interface IdentitySpec {
  /** The property that names the resource; without it CloudFormation generates a name. */
  readonly nameProperty?: string;
  readonly maxNameLength?: number;
  readonly identity: (context: IdentityContext) => Identity;
}

const arn = (environment: LocalEnvironment, service: string, resource: string) =>
  `arn:${environment.partition}:${service}:${environment.region}:${environment.accountId}:${resource}`;
const globalArn = (environment: LocalEnvironment, service: string, resource: string) =>
  `arn:${environment.partition}:${service}::${environment.accountId}:${resource}`;

/** Ref / GetAtt values per resource type, as CloudFormation documents them. */
const IDENTITY_SPECS: Readonly<Record<string, IdentitySpec>> = {
  'AWS::SQS::Queue': {
    nameProperty: 'QueueName',
    maxNameLength: 80,
    identity: ({ name, environment }) => {
      const url = `${environment.sqsEndpoint}/${environment.accountId}/${name}`;
      return { ref: url, attributes: { Arn: arn(environment, 'sqs', name), QueueName: name, QueueUrl: url } };
    },
  },
  'AWS::Events::EventBus': {
    nameProperty: 'Name',
    identity: ({ name, environment }) => ({
      ref: name,
      attributes: { Arn: arn(environment, 'events', `event-bus/${name}`), Name: name },
    }),
  },
  'AWS::Events::Rule': {
    nameProperty: 'Name',
    identity: ({ name, environment, property }) => {
      const bus = eventBusNameOf(property('EventBusName'));
      const path = bus === 'default' ? name : `${bus}/${name}`;
      return { ref: name, attributes: { Arn: arn(environment, 'events', `rule/${path}`) } };
    },
  },
  'AWS::S3::Bucket': {
    nameProperty: 'BucketName',
    identity: ({ name, environment }) => ({
      ref: name,
      attributes: {
        Arn: `arn:${environment.partition}:s3:::${name}`,
        DomainName: `${name}.s3.${environment.urlSuffix}`,
        RegionalDomainName: `${name}.s3.${environment.region}.${environment.urlSuffix}`,
      },
    }),
  },
  'AWS::StepFunctions::StateMachine': {
    nameProperty: 'StateMachineName',
    maxNameLength: 80,
    identity: ({ name, environment }) => {
      const stateMachineArn = arn(environment, 'states', `stateMachine:${name}`);
      return { ref: stateMachineArn, attributes: { Arn: stateMachineArn, Name: name } };
    },
  },
  'AWS::Lambda::Function': {
    nameProperty: 'FunctionName',
    identity: ({ name, environment }) => ({
      ref: name,
      attributes: { Arn: arn(environment, 'lambda', `function:${name}`) },
    }),
  },
  'AWS::IAM::Role': {
    nameProperty: 'RoleName',
    identity: ({ name, environment }) => ({
      ref: name,
      attributes: { Arn: globalArn(environment, 'iam', `role/${name}`), RoleId: name },
    }),
  },
  'AWS::IAM::ManagedPolicy': {
    nameProperty: 'ManagedPolicyName',
    identity: ({ name, environment }) => ({
      ref: globalArn(environment, 'iam', `policy/${name}`),
      attributes: {},
    }),
  },
  'AWS::Logs::LogGroup': {
    nameProperty: 'LogGroupName',
    identity: ({ name, environment }) => ({
      ref: name,
      attributes: { Arn: arn(environment, 'logs', `log-group:${name}:*`) },
    }),
  },
  'AWS::SNS::Topic': {
    nameProperty: 'TopicName',
    identity: ({ name, environment }) => {
      const topicArn = arn(environment, 'sns', name);
      return { ref: topicArn, attributes: { TopicArn: topicArn, TopicName: name } };
    },
  },
  'AWS::CloudWatch::Alarm': {
    nameProperty: 'AlarmName',
    identity: ({ name, environment }) => ({
      ref: name,
      attributes: { Arn: arn(environment, 'cloudwatch', `alarm:${name}`) },
    }),
  },
  'AWS::CloudWatch::Dashboard': {
    nameProperty: 'DashboardName',
    identity: ({ name }) => ({ ref: name, attributes: {} }),
  },
  'AWS::Events::Archive': {
    nameProperty: 'ArchiveName',
    identity: ({ name, environment }) => ({
      ref: name,
      attributes: { Arn: arn(environment, 'events', `archive/${name}`) },
    }),
  },
  'AWS::ECS::Cluster': {
    nameProperty: 'ClusterName',
    identity: ({ name, environment }) => ({
      ref: name,
      attributes: { Arn: arn(environment, 'ecs', `cluster/${name}`) },
    }),
  },
  'AWS::ECS::Service': {
    nameProperty: 'ServiceName',
    identity: ({ name, environment }) => {
      const serviceArn = arn(environment, 'ecs', `service/${name}`);
      return { ref: serviceArn, attributes: { Name: name, ServiceArn: serviceArn } };
    },
  },
  'AWS::ECS::TaskDefinition': {
    nameProperty: 'Family',
    identity: ({ name, environment }) => {
      const taskDefinitionArn = arn(environment, 'ecs', `task-definition/${name}:1`);
      return { ref: taskDefinitionArn, attributes: { TaskDefinitionArn: taskDefinitionArn } };
    },
  },
  'AWS::SecretsManager::Secret': {
    nameProperty: 'Name',
    identity: ({ name, environment }) => {
      // Secrets Manager appends six random characters; a fixed suffix keeps local ARNs stable.
      const secretArn = arn(environment, 'secretsmanager', `secret:${name}-local0`);
      return { ref: secretArn, attributes: { Id: secretArn } };
    },
  },
  'AWS::ElastiCache::ServerlessCache': {
    nameProperty: 'ServerlessCacheName',
    identity: ({ name, environment }) => ({
      ref: name,
      attributes: {
        ARN: arn(environment, 'elasticache', `serverlesscache:${name}`),
        'Endpoint.Address': `${name}.serverless.local`,
        'Endpoint.Port': '6379',
      },
    }),
  },
  'AWS::ElasticLoadBalancingV2::LoadBalancer': {
    nameProperty: 'Name',
    maxNameLength: 32,
    identity: ({ name, environment }) => {
      const loadBalancerArn = arn(environment, 'elasticloadbalancing', `loadbalancer/app/${name}/local`);
      return {
        ref: loadBalancerArn,
        attributes: {
          LoadBalancerArn: loadBalancerArn,
          LoadBalancerName: name,
          LoadBalancerFullName: `app/${name}/local`,
          DNSName: `${name.toLowerCase()}.${environment.region}.elb.localhost`,
        },
      };
    },
  },
  'AWS::ElasticLoadBalancingV2::TargetGroup': {
    nameProperty: 'Name',
    maxNameLength: 32,
    identity: ({ name, environment }) => {
      const targetGroupArn = arn(environment, 'elasticloadbalancing', `targetgroup/${name}/local`);
      return {
        ref: targetGroupArn,
        attributes: {
          TargetGroupArn: targetGroupArn,
          TargetGroupName: name,
          TargetGroupFullName: `targetgroup/${name}/local`,
        },
      };
    },
  },
  'AWS::EC2::SecurityGroup': {
    identity: ({ name }) => ({ ref: name, attributes: { GroupId: name } }),
  },
  'AWS::EC2::VPC': {
    identity: ({ name, property }) => ({
      ref: name,
      attributes: { VpcId: name, CidrBlock: String(property('CidrBlock') ?? '10.0.0.0/16') },
    }),
  },
  'AWS::WAFv2::WebACL': {
    nameProperty: 'Name',
    identity: ({ name, environment }) => ({
      ref: `${name}|local|REGIONAL`,
      attributes: { Arn: arn(environment, 'wafv2', `regional/webacl/${name}/local`), Id: 'local' },
    }),
  },
  'AWS::KMS::Key': {
    identity: ({ name, environment }) => ({
      ref: name,
      attributes: { Arn: arn(environment, 'kms', `key/${name}`), KeyId: name },
    }),
  },
};

/** A type without a spec still has a name for Ref; its attributes have no local value. */
const NAME_ONLY: IdentitySpec = { identity: ({ name }) => ({ ref: name, attributes: {} }) };

/**
 * The local physical names, ARNs and URLs of a template's resources, and the intrinsic resolution
 * that uses them. Names come from the naming property, else are generated (`<stack>-<logicalId>`,
 * stable across runs, where CloudFormation would add a random suffix).
 */
export class PhysicalResources implements ReferenceSource {
  private readonly identities = new Map<string, Identity>();
  private readonly inProgress = new Set<string>();

  constructor(
    private readonly template: CfnTemplate,
    readonly environment: LocalEnvironment,
  ) {}

  resolve(value: unknown): JsonValue {
    return resolveIntrinsics(value, this);
  }

  ref(name: string): JsonValue {
    const pseudo = this.pseudoParameter(name);
    if (pseudo !== undefined) return pseudo;
    const parameter = this.template.Parameters?.[name];
    if (parameter) return this.resolve(parameter.Default ?? null);
    return this.identity(name).ref;
  }

  getAtt(logicalId: string, attribute: string): JsonValue {
    const value = this.identity(logicalId).attributes[attribute];
    if (value === undefined) {
      const type = this.template.Resources[logicalId].Type;
      throw new UnsupportedIntrinsicError(
        `Fn::GetAtt ${logicalId}.${attribute} (${type}) has no local value`,
      );
    }
    return value;
  }

  /** The value of a resource property with intrinsics resolved, or undefined when absent. */
  property(logicalId: string, name: string): JsonValue | undefined {
    const raw = this.rawProperty(logicalId, name);
    return raw === undefined ? undefined : this.resolve(raw);
  }

  /** A resource property as the template has it, intrinsics unresolved (to resolve its parts one by one). */
  rawProperty(logicalId: string, name: string): unknown {
    return this.template.Resources[logicalId]?.Properties?.[name];
  }

  private identity(logicalId: string): Identity {
    const known = this.identities.get(logicalId);
    if (known) return known;
    const resource = this.template.Resources[logicalId];
    if (!resource) throw new UnsupportedIntrinsicError(`Unknown resource or parameter ${logicalId}`);
    if (this.inProgress.has(logicalId))
      throw new UnsupportedIntrinsicError(`Circular reference through ${logicalId}`);
    this.inProgress.add(logicalId);
    try {
      const spec = IDENTITY_SPECS[resource.Type] ?? NAME_ONLY;
      const explicitName = spec.nameProperty ? this.property(logicalId, spec.nameProperty) : undefined;
      const name =
        typeof explicitName === 'string' ? explicitName : this.generatedName(logicalId, resource.Type, spec);
      const identity = spec.identity({
        name,
        environment: this.environment,
        property: (property) => this.property(logicalId, property),
      });
      this.identities.set(logicalId, identity);
      return identity;
    } finally {
      this.inProgress.delete(logicalId);
    }
  }

  private generatedName(logicalId: string, type: string, spec: IdentitySpec): string {
    const base = `${this.environment.stackName}-${logicalId}`;
    return type === 'AWS::S3::Bucket' ? bucketNameFrom(base) : base.slice(0, spec.maxNameLength ?? 64);
  }

  private pseudoParameter(name: string): JsonValue | undefined {
    const environment = this.environment;
    const values: Record<string, JsonValue> = {
      'AWS::AccountId': environment.accountId,
      'AWS::Region': environment.region,
      'AWS::Partition': environment.partition,
      'AWS::URLSuffix': environment.urlSuffix,
      'AWS::StackName': environment.stackName,
      'AWS::StackId': arn(environment, 'cloudformation', `stack/${environment.stackName}/local`),
      'AWS::NotificationARNs': [],
    };
    return Object.hasOwn(values, name) ? values[name] : undefined;
  }
}

/** A valid S3 bucket name (3–63 lowercase letters, digits, dots, hyphens) derived from `base`. */
export function bucketNameFrom(base: string): string {
  const name = base
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .slice(0, 63)
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return name.length >= 3 ? name : `${name}-bucket`.replace(/^-/, '');
}

/** A rule's EventBusName may be a name or an ARN; absent means the default bus. */
export function eventBusNameOf(value: JsonValue | undefined): string {
  if (typeof value !== 'string' || value === '') return 'default';
  return value.startsWith('arn:') ? value.slice(value.indexOf(':event-bus/') + ':event-bus/'.length) : value;
}
