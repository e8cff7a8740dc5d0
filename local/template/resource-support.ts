import type { CfnTemplate } from './cfn-template';

/** Resource types the local runtime builds from the template. */
export const EMULATED_TYPES = new Set([
  'AWS::SQS::Queue',
  'AWS::Events::EventBus',
  'AWS::Events::Rule',
  'AWS::Events::Archive',
  'AWS::S3::Bucket',
  'AWS::StepFunctions::StateMachine',
  'AWS::Lambda::Function',
  'AWS::ECS::TaskDefinition',
  'AWS::ECS::Service',
]);

/** Types without local meaning, with the reason a local run does not need them. */
const NOT_NEEDED: ReadonlyArray<readonly [RegExp, string]> = [
  [/^AWS::IAM::/, 'IAM: the local runtime does not check permissions'],
  [
    /^AWS::(SQS::QueuePolicy|S3::BucketPolicy|SNS::TopicPolicy|Events::EventBusPolicy|Lambda::Permission)$/,
    'resource policy: permissions are not checked locally',
  ],
  [/^AWS::Logs::/, 'CloudWatch Logs: local handlers log to the console'],
  [/^AWS::CloudWatch::/, 'CloudWatch alarms and dashboards: no metrics are recorded locally'],
  [/^AWS::KMS::/, 'KMS: nothing is encrypted locally'],
  [/^AWS::SNS::/, 'SNS: alarm notifications, outside the data flow'],
  [/^AWS::ECS::Cluster$/, 'ECS cluster: the services run as processes on this machine'],
  [/^AWS::CDK::Metadata$/, 'CDK metadata'],
  [
    /^AWS::Scheduler::/,
    'EventBridge Scheduler: nothing runs on a schedule locally (npx pipeline reconcile runs the nightly job by hand)',
  ],
  [/^(Custom::|AWS::CloudFormation::CustomResource$)/, 'custom resource: deployment housekeeping'],
];

/**
 * What surrounds the worker's services in AWS and what the local stack does in its place: a local run
 * differs from AWS there, so start-up names each kind once.
 */
const STAND_INS: ReadonlyArray<readonly [RegExp, string]> = [
  [
    /^AWS::(ElasticLoadBalancingV2|WAFv2)::/,
    'load balancer and WAF: the webhook goes straight to the processes of the service behind its rule, in turn (no TLS, rate limit or health checks)',
  ],
  [/^AWS::ApplicationAutoScaling::/, 'scaling: each service runs a fixed number of processes'],
  [/^AWS::ElastiCache::/, "ElastiCache: the run's own Redis, standalone (REDIS_MODE=standalone)"],
  [/^AWS::EC2::/, "VPC: the processes share this machine's loopback network"],
  [/^AWS::SecretsManager::/, 'Secrets Manager: each ECS secret gets its local value by name'],
];

/** Why a resource type is not needed locally, or undefined when it is (emulated, stood in for or unsupported). */
export function notNeededReason(type: string): string | undefined {
  return NOT_NEEDED.find(([pattern]) => pattern.test(type))?.[1];
}

/** What the local stack does in place of a resource of this type, or undefined. */
export function standInReason(type: string): string | undefined {
  return STAND_INS.find(([pattern]) => pattern.test(type))?.[1];
}

const isCustomResource = (type: string) =>
  type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource';

/**
 * The functions that serve custom resources (their ServiceToken): deployment housekeeping such as
 * CDK's bucket auto-delete provider, not part of the application.
 */
export function customResourceProviders(template: CfnTemplate): Set<string> {
  const providers = new Set<string>();
  for (const resource of Object.values(template.Resources)) {
    if (isCustomResource(resource.Type)) referencedIds(resource.Properties?.ServiceToken, providers);
  }
  return providers;
}

function referencedIds(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) {
    value.forEach((item) => referencedIds(item, into));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, argument] of Object.entries(value)) {
      if (key === 'Ref' && typeof argument === 'string') into.add(argument);
      else if (key === 'Fn::GetAtt')
        into.add(Array.isArray(argument) ? String(argument[0]) : String(argument).split('.')[0]);
      else referencedIds(argument, into);
    }
  }
}
