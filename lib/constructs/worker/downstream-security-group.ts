import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';

export interface DownstreamSecurityGroupProps {
  readonly vpc: ec2.IVpc;
  readonly description: string;
  /** The worker's plain settings: PIMCORE_BASE_URL and MEDUSA_BASE_URL name the ports to open. */
  readonly environment: Readonly<Record<string, string>>;
}

/**
 * The security group of tasks that call Pimcore and Medusa: no inbound rule of its own, and outbound
 * only to 443 (the AWS APIs) and the ports of the Pimcore and Medusa URLs. Callers add what else their
 * tasks need (the worker services: Redis, the webhook load balancer).
 */
export function downstreamSecurityGroup(
  scope: Construct,
  id: string,
  props: DownstreamSecurityGroupProps,
): ec2.SecurityGroup {
  const group = new ec2.SecurityGroup(scope, id, {
    vpc: props.vpc,
    description: props.description,
    allowAllOutbound: false,
  });
  for (const port of outboundPorts(props.environment)) {
    group.addEgressRule(
      ec2.Peer.anyIpv4(),
      ec2.Port.tcp(port),
      `HTTPS to AWS APIs, Pimcore and Medusa (${port})`,
    );
  }
  return group;
}

/** 443 for the AWS APIs, plus the ports of the Pimcore and Medusa URLs. */
function outboundPorts(environment: Readonly<Record<string, string>>): number[] {
  const ports = [environment.PIMCORE_BASE_URL, environment.MEDUSA_BASE_URL].map((address) => {
    const url = new URL(address);
    return url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  });
  return [...new Set([443, ...ports])];
}
