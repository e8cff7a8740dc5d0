import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import type { StackOutputs, TargetOutputs } from './pipeline-target';

/** Stack output → field (lib/stacks/product-pipeline-stack.ts names the outputs). */
const OUTPUTS = {
  bucket: 'IngestBucketName',
  busName: 'EventBusName',
  stateMachineArn: 'StateMachineArn',
  productIngestQueueUrl: 'ProductIngestQueueUrl',
  productIngestDlqUrl: 'ProductIngestDlqUrl',
  medusaSyncQueueUrl: 'MedusaSyncQueueUrl',
  medusaSyncDlqUrl: 'MedusaSyncDlqUrl',
} as const satisfies Record<keyof StackOutputs, string>;

export const stackNameOf = (stage: string) => `ProductPipeline-${stage}`;

/** A stack whose outputs the CLI cannot work with (not deployed, another template): exit 1, not usage. */
export class StackNotUsable extends Error {
  override readonly name = 'StackNotUsable';
}

/**
 * The deployed stack `ProductPipeline-<stage>`: its outputs read with DescribeStacks, the region and
 * credentials from the SDK's standard chain (AWS_PROFILE, AWS_REGION, SSO, instance roles…).
 */
export async function targetOfStack(
  stage: string,
  cloudFormation: CloudFormationClient = new CloudFormationClient({}),
): Promise<TargetOutputs> {
  const stackName = stackNameOf(stage);
  const { Stacks: [stack] = [] } = await cloudFormation.send(
    new DescribeStacksCommand({ StackName: stackName }),
  );
  if (!stack) throw new StackNotUsable(`stack ${stackName} not found`);
  const values = new Map((stack.Outputs ?? []).map((output) => [output.OutputKey, output.OutputValue]));
  const missing = Object.values(OUTPUTS).filter((name) => !values.get(name));
  if (missing.length > 0) throw new StackNotUsable(`stack ${stackName} has no output ${missing.join(', ')}`);
  const outputs = Object.fromEntries(
    Object.entries(OUTPUTS).map(([field, output]) => [field, values.get(output)!]),
  ) as unknown as StackOutputs;
  const region = await cloudFormation.config.region();
  return {
    description: `stack ${stackName} (${region})`,
    stage,
    outputs,
    connection: { region, s3ForcePathStyle: false },
  };
}
