import type { CfnTemplate } from './cfn-template';

/** Resource types the local runtime builds from the template. */
export const EMULATED_TYPES = new Set([
  'AWS::SQS::Queue',
  'AWS::Events::EventBus',
  'AWS::Events::Rule',
  'AWS::S3::Bucket',
  'AWS::StepFunctions::StateMachine',
  'AWS::Lambda::Function',
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
  [/^AWS::Events::Archive$/, 'event archive: replay is not emulated'],
  [/^AWS::ECS::/, 'ECS: the worker runs as processes on this machine (npm run demo, local, chaos start it)'],
  [/^AWS::ElastiCache::/, "ElastiCache: a local Redis stands in for the worker's cache"],
  [/^AWS::SecretsManager::/, "Secrets Manager: the worker's secrets are given to it locally"],
  [/^AWS::EC2::/, 'VPC networking: local processes share the loopback network'],
  [
    /^AWS::(ElasticLoadBalancingV2|WAFv2)::/,
    "webhook load balancer and firewall: Pimcore's webhook reaches the worker's port directly",
  ],
  [/^AWS::ApplicationAutoScaling::/, 'scaling: the local worker runs a fixed number of processes'],
  [/^AWS::CDK::Metadata$/, 'CDK metadata'],
  [/^(Custom::|AWS::CloudFormation::CustomResource$)/, 'custom resource: deployment housekeeping'],
];

/** Why a resource type is not needed locally, or undefined when it is (emulated or unsupported). */
export function notNeededReason(type: string): string | undefined {
  return NOT_NEEDED.find(([pattern]) => pattern.test(type))?.[1];
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
