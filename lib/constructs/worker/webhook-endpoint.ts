import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

/** The one path of the worker that is public. */
export const WEBHOOK_PATH = '/webhooks/pimcore';

export interface WebhookEndpointProps {
  readonly vpc: ec2.IVpc;
  readonly certificateArn: string;
  /** Source addresses allowed to call the webhook; default any. */
  readonly allowedCidrs?: readonly string[];
  /** Requests one source address may send in 5 minutes before AWS WAF blocks it. */
  readonly rateLimit: number;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * Pimcore's way in: an internet-facing Application Load Balancer that answers HTTPS with the given ACM
 * certificate, redirects HTTP to HTTPS, and forwards only `POST /webhooks/pimcore` (optionally only from
 * the allowed CIDRs) to the worker; every other request gets a 404 from the load balancer itself, so
 * `/health`, `/ready` and `/metrics` are never reachable from outside. AWS WAF rate-limits each source
 * address and applies AWS's managed known-bad-inputs rules. Chosen over API Gateway with a VPC link: WAF
 * does not attach to HTTP APIs, a REST API's VPC link needs a Network Load Balancer in front of the tasks
 * anyway, and the ALB's health checks take part in ECS deployments (README: Deploy to AWS).
 */
export class WebhookEndpoint extends Construct {
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  readonly url: string;
  /** True when only the allowed CIDRs may connect. */
  readonly restricted: boolean;

  constructor(scope: Construct, id: string, props: WebhookEndpointProps) {
    super(scope, id);
    this.restricted = props.allowedCidrs !== undefined;
    const accessLogs = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: props.removalPolicy,
      autoDeleteObjects: props.removalPolicy === RemovalPolicy.DESTROY,
    });
    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'Webhook load balancer: HTTPS (and HTTP, redirected) from the allowed sources',
      allowAllOutbound: false,
    });
    for (const peer of peersOf(props.allowedCidrs)) {
      securityGroup.addIngressRule(peer, ec2.Port.tcp(443), 'HTTPS to the Pimcore webhook');
      securityGroup.addIngressRule(peer, ec2.Port.tcp(80), 'HTTP, redirected to HTTPS');
    }
    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: props.vpc,
      internetFacing: true,
      securityGroup,
      dropInvalidHeaderFields: true,
    });
    this.loadBalancer.logAccessLogs(accessLogs, 'webhook');

    // Not addRedirect(): it opens port 80 to everyone, whatever the allow-list says.
    this.loadBalancer.addListener('Http', {
      port: 80,
      open: false,
      defaultAction: elbv2.ListenerAction.redirect({ protocol: 'HTTPS', port: '443', permanent: true }),
    });
    const https = this.loadBalancer.addListener('Https', {
      port: 443,
      certificates: [acm.Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn)],
      sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
      open: false,
      defaultAction: elbv2.ListenerAction.fixedResponse(404, {
        contentType: 'text/plain',
        messageBody: 'Not found',
      }),
    });
    this.targetGroup = new elbv2.ApplicationTargetGroup(this, 'Worker', {
      vpc: props.vpc,
      port: 3000,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.IP,
      // The worker's own readiness: Redis and SQS reachable. Checked on the task, not through the listener.
      healthCheck: { path: '/ready', healthyHttpCodes: '200', interval: Duration.seconds(15) },
      deregistrationDelay: Duration.seconds(20),
    });
    https.addAction('Webhook', {
      priority: 10,
      conditions: [
        elbv2.ListenerCondition.pathPatterns([WEBHOOK_PATH]),
        elbv2.ListenerCondition.httpRequestMethods(['POST']),
        ...(props.allowedCidrs === undefined
          ? []
          : [elbv2.ListenerCondition.sourceIps([...props.allowedCidrs])]),
      ],
      action: elbv2.ListenerAction.forward([this.targetGroup]),
    });

    const acl = new wafv2.CfnWebACL(this, 'Firewall', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('PimcoreWebhook'),
      rules: [
        {
          name: 'RateLimitPerSource',
          priority: 0,
          action: { block: {} },
          statement: { rateBasedStatement: { limit: props.rateLimit, aggregateKeyType: 'IP' } },
          visibilityConfig: visibility('RateLimitPerSource'),
        },
        {
          name: 'KnownBadInputs',
          priority: 1,
          overrideAction: { none: {} },
          statement: {
            managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesKnownBadInputsRuleSet' },
          },
          visibilityConfig: visibility('KnownBadInputs'),
        },
      ],
    });
    new wafv2.CfnWebACLAssociation(this, 'FirewallAssociation', {
      resourceArn: this.loadBalancer.loadBalancerArn,
      webAclArn: acl.attrArn,
    });
    this.url = `https://${this.loadBalancer.loadBalancerDnsName}${WEBHOOK_PATH}`;
  }

  /** Registers the service's tasks behind the webhook rule and lets the load balancer reach them. */
  attach(service: ecs.FargateService): void {
    this.targetGroup.addTarget(service.loadBalancerTarget({ containerName: 'worker', containerPort: 3000 }));
    service.connections.allowFrom(
      this.loadBalancer,
      ec2.Port.tcp(3000),
      'Webhook requests and health checks',
    );
  }
}

function peersOf(cidrs: readonly string[] | undefined): ec2.IPeer[] {
  if (cidrs === undefined) return [ec2.Peer.anyIpv4(), ec2.Peer.anyIpv6()];
  return cidrs.map((cidr) => (cidr.includes(':') ? ec2.Peer.ipv6(cidr) : ec2.Peer.ipv4(cidr)));
}

function visibility(metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty {
  return { cloudWatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true };
}
