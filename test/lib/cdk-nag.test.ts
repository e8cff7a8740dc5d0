import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { buildPipelineApp, synthPipeline } from './synth-helpers';

describe('cdk-nag (AwsSolutions + Serverless)', () => {
  it.each(['dev', 'prod'])('finds nothing unacknowledged in the %s stack (synth would throw)', (stage) => {
    const { assembly } = synthPipeline({ stage, alarmEmail: 'ops@example.com' });
    expect(assembly.stacks.map((stack) => stack.stackName)).toEqual([`ProductPipeline-${stage}`]);
  });

  it('fails the synth on a new, unacknowledged finding', () => {
    const { app, stack } = buildPipelineApp();
    const role = new iam.Role(stack, 'TooBroad', { assumedBy: new iam.AccountRootPrincipal() });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:*'], resources: ['*'] }));
    expect(() => app.synth()).toThrow(/AwsSolutions-IAM5/);
  });

  it('gives every acknowledgement a reason', () => {
    const { stack } = synthPipeline();
    const acknowledged = stack.node
      .findAll()
      .flatMap((construct) => construct.node.metadata)
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>))
      // CDK's own acknowledgement of its VPC's literal AZs (W3010) is not this project's.
      .filter(([id]) => !id.startsWith('CloudFormation-Validate::'));
    expect(acknowledged.length).toBeGreaterThan(10);
    for (const [id, reason] of acknowledged) {
      expect(`${id}: ${reason}`).toMatch(/^Annotation::(AwsSolutions|Serverless)-[A-Za-z0-9]+.*: .{40,}/);
    }
  });
});
