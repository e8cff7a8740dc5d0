import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { createPipelineApp } from '../../lib/pipeline-app';

/** The context `cdk synth` reads from cdk.json (feature flags and defaults), so tests see the same app. */
const CDK_JSON_CONTEXT = JSON.parse(
  readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8'),
).context;

/** Where the worker finds Pimcore and Medusa: required while worker=ecs (the default). */
export const WORKER_CONTEXT = {
  pimcoreBaseUrl: 'https://pim.example.com',
  medusaBaseUrl: 'https://shop.example.com:9443',
  medusaSalesChannelId: 'sc_01TEST',
};

/** The webhook's HTTPS certificate: required in prod, and it makes the webhook endpoint part of the stack. */
export const CERTIFICATE_ARN =
  'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';

// The CDK CLI always hands the app a region (its configured one, else us-east-1), and the webhook load
// balancer's access logging needs one; tests synthesize as the CLI would.
process.env.CDK_DEFAULT_REGION ??= 'us-east-1';

/**
 * The cloud assemblies of this test file's apps, removed after its tests (an App without an outdir
 * leaves a /tmp/cdk.out* folder behind for every synth).
 */
const ASSEMBLIES = mkdtempSync(path.join(tmpdir(), 'pipeline-test-assemblies-'));
afterAll(() => rmSync(ASSEMBLIES, { recursive: true, force: true }));
let apps = 0;

/** The pipeline app with cdk.json's context plus `context`; bundling is skipped unless asked for. */
export function buildPipelineApp(context: Record<string, unknown> = {}, options: { bundle?: boolean } = {}) {
  apps += 1;
  return createPipelineApp({
    outdir: path.join(ASSEMBLIES, String(apps)),
    context: {
      ...CDK_JSON_CONTEXT,
      ...WORKER_CONTEXT,
      webhookCertificateArn: CERTIFICATE_ARN,
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
      ...context,
    },
  });
}

/** Synthesizes the pipeline (running cdk-nag, which throws on any unacknowledged finding). */
export function synthPipeline(context: Record<string, unknown> = {}, options: { bundle?: boolean } = {}) {
  const { app, stack } = buildPipelineApp(context, options);
  const assembly = app.synth();
  return { app, stack, assembly, template: Template.fromStack(stack) };
}

type Resources = Record<
  string,
  { Type: string; Properties?: Record<string, unknown> } & Record<string, unknown>
>;

export function resourcesOfType(template: Template, type: string): Resources {
  return template.findResources(type) as Resources;
}

/** The logical id of the one resource of `type` whose logical id contains `fragment`. */
export function logicalIdOf(template: Template, type: string, fragment: string): string {
  const ids = Object.keys(resourcesOfType(template, type)).filter((id) => id.includes(fragment));
  if (ids.length !== 1) throw new Error(`expected one ${type} matching ${fragment}, found ${ids.join(', ')}`);
  return ids[0];
}

export interface PolicyStatement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Principal?: unknown;
  Condition?: unknown;
}

/** All statements of the inline policy attached to the role whose logical id contains `roleFragment`. */
export function statementsOfRole(template: Template, roleFragment: string): PolicyStatement[] {
  const roleId = logicalIdOf(template, 'AWS::IAM::Role', roleFragment);
  return Object.values(resourcesOfType(template, 'AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties?.Roles).includes(`"${roleId}"`))
    .flatMap((policy) => (policy.Properties?.PolicyDocument as { Statement: PolicyStatement[] }).Statement);
}

export const actionsOf = (statement: PolicyStatement): string[] =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];
