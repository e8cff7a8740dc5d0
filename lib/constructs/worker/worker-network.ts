import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface WorkerNetworkProps {
  /** An existing VPC (looked up at synth, which needs AWS credentials once; CDK caches the answer). */
  readonly vpcId?: string;
  /** One NAT gateway (dev: cheaper) or one per AZ (prod: an AZ outage does not cut the worker off). */
  readonly natGateways: number;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * Where the worker runs: private subnets in two AZs whose only way out is a NAT gateway. The worker
 * must reach Pimcore and Medusa, which live on the internet, so a NAT gateway is needed whatever else is
 * chosen; VPC interface endpoints for SQS, EventBridge, Secrets Manager, ECR and Logs would add about
 * $7 a month each per AZ on top of it and are left out (README: Deploy to AWS, cost). Flow logs record
 * rejected traffic.
 */
export class WorkerNetwork extends Construct {
  readonly vpc: ec2.IVpc;

  constructor(scope: Construct, id: string, props: WorkerNetworkProps) {
    super(scope, id);
    if (props.vpcId !== undefined) {
      this.vpc = ec2.Vpc.fromLookup(this, 'Vpc', { vpcId: props.vpcId });
      return;
    }
    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: props.natGateways,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
      ],
      restrictDefaultSecurityGroup: true,
    });
    const flowLogs = new logs.LogGroup(this, 'FlowLogs', {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs),
      trafficType: ec2.FlowLogTrafficType.REJECT,
    });
    this.vpc = vpc;
  }
}
