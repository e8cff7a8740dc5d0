import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildStackModel } from '../../../local/template/build-stack-model';
import type { CfnTemplate } from '../../../local/template/cfn-template';
import { handlerSourceFor } from '../../../local/template/handler-source';
import { loadStackTemplate } from '../../../local/template/load-stack-template';
import { bucketNameFrom } from '../../../local/template/physical-resources';
import type { ResourceListing, ServiceModel, StackModel } from '../../../local/template/stack-model';
import { synthesizeTemplate } from '../synthesized-template';

const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..', '..');
const SQS_ENDPOINT = 'http://127.0.0.1:9324';

describe('the synthesized pipeline template, as the local runtime models it', () => {
  let templatePath: string;
  let model: StackModel;

  beforeAll(() => {
    templatePath = synthesizeTemplate();
    model = loadStackTemplate(templatePath, { sqsEndpoint: SQS_ENDPOINT });
  });

  it('uses the local account, the default region and the stack name', () => {
    expect(model.environment).toMatchObject({
      stackName: 'ProductPipeline-dev',
      accountId: '000000000000',
      region: 'us-east-1',
    });
  });

  it('models the work queues with their settings and dead-letter queues', () => {
    const queue = model.queues.find((candidate) => candidate.name === 'product-ingest-dev');
    expect(queue).toEqual({
      logicalId: expect.stringMatching(/^MessagingProductIngestQueue/),
      name: 'product-ingest-dev',
      url: `${SQS_ENDPOINT}/000000000000/product-ingest-dev`,
      arn: 'arn:aws:sqs:us-east-1:000000000000:product-ingest-dev',
      // Twice LOCAL_WORKER_CONTEXT's workerHandlerTimeoutSeconds.
      visibilityTimeoutSeconds: 20,
      messageRetentionSeconds: 345600,
      receiveMessageWaitTimeSeconds: 20,
      redrive: {
        deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:product-ingest-dev-dlq',
        maxReceiveCount: 5,
      },
    });
    expect(model.queues.map((candidate) => candidate.name).sort()).toEqual([
      'medusa-sync-dev',
      'medusa-sync-dev-dlq',
      'medusa-sync-dev-target-dlq',
      'product-ingest-dev',
      'product-ingest-dev-dlq',
      'product-ingest-dev-target-dlq',
      'product-ingestion-failures-dev-dlq',
      'product-ingestion-report-failure-dev-dlq',
      'product-ingestion-trigger-dev-dlq',
      'product-pipeline-dev-reconcile-schedule-dlq',
    ]);
  });

  it('models the products bus and the implicit default bus', () => {
    expect(model.eventBuses).toEqual([
      { name: 'default', arn: 'arn:aws:events:us-east-1:000000000000:event-bus/default' },
      {
        logicalId: expect.stringMatching(/^MessagingBus/),
        name: 'products-dev',
        arn: 'arn:aws:events:us-east-1:000000000000:event-bus/products-dev',
      },
    ]);
  });

  it('models the rules with resolved patterns and targets', () => {
    const ingest = model.rules.find((rule) => rule.logicalId.startsWith('MessagingProductIngestRule'));
    expect(ingest).toMatchObject({
      eventBusName: 'products-dev',
      arn: expect.stringMatching(/^arn:aws:events:us-east-1:000000000000:rule\/products-dev\//),
      eventPattern: { source: ['product-pipeline.ingestion'], 'detail-type': ['ProductIngested'] },
      enabled: true,
      targets: [
        {
          id: 'Target0',
          kind: 'sqs',
          arn: 'arn:aws:sqs:us-east-1:000000000000:product-ingest-dev',
          deadLetterArn: 'arn:aws:sqs:us-east-1:000000000000:product-ingest-dev-target-dlq',
          retryPolicy: { maximumRetryAttempts: 20, maximumEventAgeSeconds: 86400 },
        },
      ],
    });

    const trigger = model.rules.find((rule) => rule.logicalId.startsWith('ProductIngestionTrigger'));
    const bucket = model.buckets.find((candidate) => candidate.logicalId.startsWith('IngestBucket'));
    expect(trigger).toMatchObject({
      eventBusName: 'default',
      eventPattern: { detail: { bucket: { name: [bucket!.name] } } },
      targets: [
        {
          kind: 'state-machine',
          arn: 'arn:aws:states:us-east-1:000000000000:stateMachine:ProductIngestion-dev',
          roleArn: expect.stringMatching(/^arn:aws:iam::000000000000:role\//),
          deadLetterArn: 'arn:aws:sqs:us-east-1:000000000000:product-ingestion-trigger-dev-dlq',
        },
      ],
    });
  });

  it('models the archive of the products bus', () => {
    expect(model.archives).toEqual([
      {
        logicalId: expect.stringMatching(/^MessagingBusArchive/),
        name: 'products-dev-archive',
        arn: 'arn:aws:events:us-east-1:000000000000:archive/products-dev-archive',
        eventSourceArn: 'arn:aws:events:us-east-1:000000000000:event-bus/products-dev',
        eventBusName: 'products-dev',
        eventPattern: { source: ['product-pipeline.ingestion', 'product-pipeline.pimcore'] },
        retentionDays: 30,
        description: 'Every event on the products bus, for replay after an incident',
      },
    ]);
  });

  it('gives buckets without a BucketName a stable, valid, lowercase name', () => {
    const bucket = model.buckets.find((candidate) => candidate.logicalId.startsWith('IngestBucket'));
    expect(bucket).toEqual({
      logicalId: bucket!.logicalId,
      name: `productpipeline-dev-${bucket!.logicalId.toLowerCase()}`,
      arn: `arn:aws:s3:::productpipeline-dev-${bucket!.logicalId.toLowerCase()}`,
      eventBridgeEnabled: true,
    });
    expect(loadStackTemplate(templatePath).buckets.map((candidate) => candidate.name)).toEqual(
      model.buckets.map((candidate) => candidate.name),
    );
  });

  it('resolves the state machine definition to the local function and bus ARNs', () => {
    const [stateMachine] = model.stateMachines;
    const functionArn = (name: string) =>
      model.functions.find((fn) => fn.constructPath.includes(`/${name}/`))!.arn;
    const states = stateMachine.definition.States as Record<string, Record<string, unknown>>;
    expect(stateMachine).toMatchObject({ name: 'ProductIngestion-dev', type: 'STANDARD' });
    expect(states.Validate.Resource).toBe(functionArn('Validate'));
    expect(states.Summarize.Resource).toBe(functionArn('Summarize'));
    expect(states.EmitCompleted).toMatchObject({
      Resource: 'arn:aws:states:::events:putEvents',
      Parameters: {
        Entries: [{ EventBusName: 'arn:aws:events:us-east-1:000000000000:event-bus/products-dev' }],
      },
    });
  });

  it('maps every pipeline function to its handler source, with its environment', () => {
    expect(model.functions.map((fn) => path.relative(REPOSITORY_ROOT, fn.handlerSource)).sort()).toEqual([
      'lambdas/handlers/publish.ts',
      'lambdas/handlers/report-failure.ts',
      'lambdas/handlers/summarize.ts',
      'lambdas/handlers/transform.ts',
      'lambdas/handlers/validate.ts',
    ]);
    const publish = model.functions.find((fn) => fn.handlerSource.endsWith('publish.ts'))!;
    const reportFailure = model.functions.find((fn) => fn.handlerSource.endsWith('report-failure.ts'))!;
    expect(reportFailure.deadLetterArn).toBe(
      'arn:aws:sqs:us-east-1:000000000000:product-ingestion-report-failure-dev-dlq',
    );
    expect(publish).toMatchObject({
      handlerExport: 'handler',
      timeoutSeconds: 120,
      environment: { EVENT_BUS_NAME: 'products-dev', BUCKET_NAME: model.outputs.IngestBucketName },
    });
  });

  it('resolves the stack outputs to local values', () => {
    expect(model.outputs).toMatchObject({
      EventBusName: 'products-dev',
      ProductIngestQueueUrl: `${SQS_ENDPOINT}/000000000000/product-ingest-dev`,
      MedusaSyncDlqUrl: `${SQS_ENDPOINT}/000000000000/medusa-sync-dev-dlq`,
      StateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:ProductIngestion-dev',
    });
  });

  it("models the worker's ECS services with their task definitions resolved to local values", () => {
    const containerOf = (service: ServiceModel) =>
      model.taskDefinitions.find((task) => task.arn === service.taskDefinitionArn)!.containers[0];
    const [ingest, relay] = model.services;
    const secretArn = (name: string) =>
      `arn:aws:secretsmanager:us-east-1:000000000000:secret:product-pipeline/dev/${name}-local0`;
    expect(model.services).toHaveLength(2);
    expect(containerOf(ingest)).toEqual({
      name: 'worker',
      environment: expect.objectContaining({
        WORKER_CONSUMERS: 'product-ingest',
        PRODUCT_INGEST_QUEUE_URL: `${SQS_ENDPOINT}/000000000000/product-ingest-dev`,
        PRODUCT_INGEST_DLQ_URL: `${SQS_ENDPOINT}/000000000000/product-ingest-dev-dlq`,
        PRODUCTS_EVENT_BUS_NAME: 'products-dev',
        REDIS_URL: 'rediss://product-pipeline-dev.serverless.local:6379',
        REDIS_MODE: 'cluster',
        PIMCORE_DATAHUB_ENDPOINT: 'products',
        PORT: '3000',
      }),
      unresolved: {},
      secrets: {
        PIMCORE_API_KEY: secretArn('pimcore-api-key'),
        MEDUSA_SECRET_API_KEY: secretArn('medusa-secret-api-key'),
        PIMCORE_WEBHOOK_SECRETS: secretArn('pimcore-webhook-secrets'),
        PIMCORE_WEBHOOK_TOKENS: secretArn('pimcore-webhook-tokens'),
      },
      logStreamPrefix: 'ingest',
      stopTimeoutSeconds: 30,
    });
    expect(containerOf(relay)).toMatchObject({
      environment: expect.objectContaining({
        WORKER_CONSUMERS: 'medusa-sync',
        MEDUSA_SYNC_QUEUE_URL: `${SQS_ENDPOINT}/000000000000/medusa-sync-dev`,
      }),
      logStreamPrefix: 'relay',
    });
    // Only the relay is behind the load balancer's webhook rule.
    expect(ingest).toMatchObject({ desiredCount: 1, routes: [] });
    expect(relay.routes).toEqual([
      { paths: ['/webhooks/pimcore'], methods: ['POST'], containerName: 'worker' },
    ]);
  });

  it('accounts for every resource: emulated, stood in for, listed as not needed, or listed as unsupported', () => {
    const template = JSON.parse(readFileSync(templatePath, 'utf8')) as CfnTemplate;
    const emulated =
      model.queues.length +
      model.eventBuses.length -
      1 +
      model.rules.length +
      model.archives.length +
      model.buckets.length +
      model.stateMachines.length +
      model.functions.length +
      model.taskDefinitions.length +
      model.services.length;
    const listed = model.notEmulated.length + model.standIns.length + model.unsupported.length;
    expect(emulated + listed).toBe(Object.keys(template.Resources).length);
    expect(model.unsupported).toEqual([]);
    const typesOf = (listings: readonly ResourceListing[]) => [
      ...new Set(listings.map((listing) => listing.type)),
    ];
    expect(typesOf(model.notEmulated)).toEqual(
      expect.arrayContaining([
        'AWS::IAM::Role',
        'AWS::CloudWatch::Alarm',
        'AWS::KMS::Key',
        'Custom::S3AutoDeleteObjects',
        'AWS::ECS::Cluster',
      ]),
    );
    expect(typesOf(model.standIns)).toEqual(
      expect.arrayContaining([
        'AWS::ElastiCache::ServerlessCache',
        'AWS::SecretsManager::Secret',
        'AWS::ElasticLoadBalancingV2::LoadBalancer',
        'AWS::WAFv2::WebACL',
        'AWS::ApplicationAutoScaling::ScalingPolicy',
        'AWS::EC2::VPC',
      ]),
    );
    expect(model.notEmulated).toContainEqual(
      expect.objectContaining({
        type: 'AWS::Lambda::Function',
        reason: expect.stringContaining('custom resource provider'),
      }),
    );
  });
});

describe('stack model from inline templates', () => {
  const build = (template: CfnTemplate, constructPaths?: Map<string, string>) =>
    buildStackModel(template, {
      stackName: 'Demo',
      region: 'eu-west-1',
      sqsEndpoint: SQS_ENDPOINT,
      constructPaths,
    });

  it('resolves Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select, Fn::Split, parameters and AWS::NoValue', () => {
    const model = build({
      Parameters: { Stage: { Default: 'test' } },
      Resources: {
        Dlq: {
          Type: 'AWS::SQS::Queue',
          Properties: { QueueName: { 'Fn::Join': ['-', ['jobs', { Ref: 'Stage' }, 'dlq']] } },
        },
        Jobs: {
          Type: 'AWS::SQS::Queue',
          Properties: {
            QueueName: { 'Fn::Select': [1, { 'Fn::Split': [',', 'x,jobs,y'] }] },
            DelaySeconds: { Ref: 'AWS::NoValue' },
            RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': 'Dlq.Arn' }, maxReceiveCount: '3' },
          },
        },
      },
      Outputs: {
        Summary: {
          Value: { 'Fn::Sub': '${AWS::Region}/${AWS::AccountId}/${Jobs.QueueName}/${Dlq}/${!Literal}' },
        },
        Variables: {
          Value: { 'Fn::Sub': ['${Name}@${AWS::Partition}', { Name: { Ref: 'AWS::StackName' } }] },
        },
      },
    });
    expect(model.queues.map((queue) => queue.name)).toEqual(['jobs-test-dlq', 'jobs']);
    expect(model.queues[1]).toMatchObject({
      delaySeconds: undefined,
      redrive: {
        deadLetterTargetArn: 'arn:aws:sqs:eu-west-1:000000000000:jobs-test-dlq',
        maxReceiveCount: 3,
      },
    });
    expect(model.outputs).toEqual({
      Summary: `eu-west-1/000000000000/jobs/${SQS_ENDPOINT}/000000000000/jobs-test-dlq/\${Literal}`,
      Variables: 'Demo@aws',
    });
  });

  it('lists what it cannot emulate instead of ignoring it', () => {
    const model = build({
      Resources: {
        Table: { Type: 'AWS::DynamoDB::Table' },
        Orders: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'orders.fifo', FifoQueue: true } },
        Nightly: { Type: 'AWS::Events::Rule', Properties: { ScheduleExpression: 'rate(1 day)' } },
        Imported: {
          Type: 'AWS::SQS::Queue',
          Properties: { QueueName: { 'Fn::ImportValue': 'shared-queue' } },
        },
        ToTopic: {
          Type: 'AWS::Events::Rule',
          Properties: {
            EventPattern: '{"source":["demo"]}',
            Targets: [
              { Id: 'Topic', Arn: 'arn:aws:sns:eu-west-1:000000000000:demo' },
              { Id: 'Queue', Arn: 'arn:aws:sqs:eu-west-1:000000000000:demo', InputPath: '$.detail' },
            ],
          },
        },
        Role: { Type: 'AWS::IAM::Role' },
        SharedArchive: {
          Type: 'AWS::Events::Archive',
          Properties: { SourceArn: 'arn:aws:events:eu-west-1:000000000000:event-bus/shared' },
        },
      },
    });
    expect(model.unsupported).toEqual([
      { logicalId: 'Table', type: 'AWS::DynamoDB::Table', reason: expect.any(String) },
      { logicalId: 'Orders', type: 'AWS::SQS::Queue', reason: 'FIFO queues are not emulated' },
      { logicalId: 'Nightly', type: 'AWS::Events::Rule', reason: expect.stringContaining('EventPattern') },
      { logicalId: 'Imported', type: 'AWS::SQS::Queue', reason: expect.stringContaining('Fn::ImportValue') },
      { logicalId: 'ToTopic', type: 'AWS::Events::Rule', reason: expect.stringContaining('target Topic') },
      {
        logicalId: 'SharedArchive',
        type: 'AWS::Events::Archive',
        reason: expect.stringContaining('not a bus of this template'),
      },
    ]);
    expect(model.rules[0].targets).toEqual([
      expect.objectContaining({ id: 'Queue', kind: 'sqs', inputPath: '$.detail' }),
    ]);
    expect(model.notEmulated).toEqual([
      { logicalId: 'Role', type: 'AWS::IAM::Role', reason: expect.any(String) },
    ]);
  });

  it('models an ECS service and its task definition variable by variable, naming one without a local value', () => {
    const model = build({
      Resources: {
        Jobs: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'jobs' } },
        Task: {
          Type: 'AWS::ECS::TaskDefinition',
          Properties: {
            ContainerDefinitions: [
              {
                Name: 'worker',
                Environment: [
                  { Name: 'QUEUE_URL', Value: { Ref: 'Jobs' } },
                  { Name: 'SHARED', Value: { 'Fn::ImportValue': 'shared-value' } },
                ],
                Secrets: [{ Name: 'API_KEY', ValueFrom: 'arn:aws:ssm:eu-west-1:000000000000:parameter/key' }],
              },
            ],
          },
        },
        Service: {
          Type: 'AWS::ECS::Service',
          Properties: {
            TaskDefinition: { Ref: 'Task' },
            DesiredCount: 2,
            LoadBalancers: [
              { ContainerName: 'worker', ContainerPort: 3000, TargetGroupArn: { Ref: 'Targets' } },
            ],
          },
        },
        Targets: { Type: 'AWS::ElasticLoadBalancingV2::TargetGroup' },
        Rule: {
          Type: 'AWS::ElasticLoadBalancingV2::ListenerRule',
          Properties: {
            Actions: [
              { Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: { Ref: 'Targets' } }] } },
            ],
            Conditions: [{ Field: 'path-pattern', Values: ['/hooks'] }],
          },
        },
      },
    });
    const [task] = model.taskDefinitions;
    expect(task.containers).toEqual([
      {
        name: 'worker',
        environment: { QUEUE_URL: `${SQS_ENDPOINT}/000000000000/jobs` },
        unresolved: { SHARED: expect.stringContaining('Fn::ImportValue') },
        secrets: { API_KEY: 'arn:aws:ssm:eu-west-1:000000000000:parameter/key' },
      },
    ]);
    expect(model.services).toEqual([
      {
        logicalId: 'Service',
        taskDefinitionArn: task.arn,
        desiredCount: 2,
        routes: [{ paths: ['/hooks'], methods: [], containerName: 'worker' }],
      },
    ]);
    expect(model.standIns.map((listing) => listing.logicalId)).toEqual(['Targets', 'Rule']);
    expect(model.unsupported).toEqual([]);
  });

  it('finds a function handler through tree.json paths when the template has no path metadata', () => {
    const template: CfnTemplate = {
      Resources: {
        Fn: {
          Type: 'AWS::Lambda::Function',
          Properties: { Handler: 'index.main', Environment: { Variables: { N: 1 } } },
        },
        Missing: {
          Type: 'AWS::Lambda::Function',
          Metadata: { 'aws:cdk:path': 'Demo/Functions/Unknown/Function/Resource' },
        },
      },
    };
    const model = build(template, new Map([['Fn', 'Demo/Functions/Validate/Function/Resource']]));
    expect(model.functions).toEqual([
      expect.objectContaining({
        name: 'Demo-Fn',
        arn: 'arn:aws:lambda:eu-west-1:000000000000:function:Demo-Fn',
        handlerSource: path.join(REPOSITORY_ROOT, 'lambdas', 'handlers', 'validate.ts'),
        handlerExport: 'main',
        environment: { N: '1' },
        timeoutSeconds: 3,
      }),
    ]);
    expect(model.unsupported).toEqual([
      expect.objectContaining({
        logicalId: 'Missing',
        reason: expect.stringContaining('lambdas/handlers/unknown.ts'),
      }),
    ]);
  });

  it('maps construct paths to handler files by the function construct name, lower-cased', () => {
    expect(handlerSourceFor('Stack/Functions/Publish/Function/Resource', '/repo')).toBe(
      '/repo/lambdas/handlers/publish.ts',
    );
    expect(handlerSourceFor('Stack/Custom::Provider/Handler', '/repo')).toBeUndefined();
  });

  it.each([
    ['ProductPipeline-dev-IngestBucketEDD8587D', 'productpipeline-dev-ingestbucketedd8587d'],
    ['My_Stack-Bucket', 'my-stack-bucket'],
    ['A-', 'a-bucket'],
    [`S-${'x'.repeat(80)}`, `s-${'x'.repeat(61)}`],
  ])('derives the bucket name of %s', (base, expected) => {
    expect(bucketNameFrom(base)).toBe(expected);
  });
});
