import { Match, Template } from 'aws-cdk-lib/assertions';
import { DETAIL_TYPES, EVENT_SOURCES } from '../../contracts/events';
import { stateMachineDefinition } from './asl';
import {
  actionsOf,
  logicalIdOf,
  PolicyStatement,
  resourcesOfType,
  statementsOfRole,
  synthPipeline,
} from './synth-helpers';

const dev = synthPipeline({ maxReceiveCount: 7, workerHandlerTimeoutSeconds: 90, mapMaxConcurrency: 6 });
const template = dev.template;

const bucketId = logicalIdOf(template, 'AWS::S3::Bucket', 'IngestBucket');
const busId = logicalIdOf(template, 'AWS::Events::EventBus', 'MessagingBus');
const queueId = (fragment: string) => logicalIdOf(template, 'AWS::SQS::Queue', fragment);
const ingestQueueId = queueId('ProductIngestQueueF');
const medusaQueueId = queueId('MedusaSyncQueue8');

describe('ingest bucket', () => {
  const bucket = resourcesOfType(template, 'AWS::S3::Bucket')[bucketId];

  it('is private, encrypted, versioned, access-logged and sends events to EventBridge', () => {
    expect(bucket.Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: {
        DestinationBucketName: { Ref: logicalIdOf(template, 'AWS::S3::Bucket', 'IngestAccessLogs') },
      },
      NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
    });
  });

  it('keeps uploads under incoming/ until deleted, or expires them after incomingExpirationDays', () => {
    const rulesOf = (stack: typeof template) => {
      const [ingestBucket] = Object.entries(resourcesOfType(stack, 'AWS::S3::Bucket'))
        .filter(([id]) => id.startsWith('IngestBucket'))
        .map(([, resource]) => resource);
      return (ingestBucket.Properties?.LifecycleConfiguration as { Rules: Record<string, unknown>[] }).Rules;
    };
    expect(rulesOf(template).filter((rule) => rule.Prefix === 'incoming/')).toEqual([]);
    const expiring = synthPipeline({ incomingExpirationDays: 30 }).template;
    expect(rulesOf(expiring)).toContainEqual(
      expect.objectContaining({ Id: 'expire-incoming', Prefix: 'incoming/', ExpirationInDays: 30 }),
    );
  });

  it('expires staging batches and reports after the configured days', () => {
    const rules = (bucket.Properties?.LifecycleConfiguration as { Rules: Record<string, unknown>[] }).Rules;
    expect(rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Prefix: 'staging/', ExpirationInDays: 7, Status: 'Enabled' }),
        expect.objectContaining({ Prefix: 'reports/', ExpirationInDays: 90, Status: 'Enabled' }),
        expect.objectContaining({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }),
      ]),
    );
  });

  it('denies every request that is not over TLS, on every bucket (ingest, its access logs, the webhook logs)', () => {
    const policies = Object.values(resourcesOfType(template, 'AWS::S3::BucketPolicy'));
    expect(policies).toHaveLength(3);
    for (const policy of policies) {
      expect(policy.Properties?.PolicyDocument).toMatchObject({
        Statement: expect.arrayContaining([
          expect.objectContaining({
            Effect: 'Deny',
            Action: 's3:*',
            Principal: { AWS: '*' },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      });
    }
  });

  it('grants no public principal anything', () => {
    for (const policy of Object.values(resourcesOfType(template, 'AWS::S3::BucketPolicy'))) {
      const statements = (policy.Properties?.PolicyDocument as { Statement: PolicyStatement[] }).Statement;
      const publicAllows = statements.filter(
        (statement) =>
          statement.Effect === 'Allow' && JSON.stringify(statement.Principal ?? '').includes('"*"'),
      );
      expect(publicAllows).toEqual([]);
    }
  });
});

describe('trigger', () => {
  const [triggerId, trigger] = Object.entries(resourcesOfType(template, 'AWS::Events::Rule')).find(([id]) =>
    id.includes('ProductIngestionTrigger'),
  )!;

  it('starts the state machine for every object under incoming/ on the default bus', () => {
    expect(triggerId).toBeDefined();
    expect(trigger.Properties?.EventBusName).toBeUndefined();
    expect(trigger.Properties?.EventPattern).toEqual({
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: {
        bucket: { name: [{ Ref: bucketId }] },
        object: { key: [{ prefix: 'incoming/' }] },
      },
    });
  });

  it('retries delivery and dead-letters what it cannot deliver', () => {
    expect(trigger.Properties?.Targets).toEqual([
      expect.objectContaining({
        Arn: { Ref: logicalIdOf(template, 'AWS::StepFunctions::StateMachine', 'ProductIngestion') },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId('TriggerDeadLetterQueue'), 'Arn'] } },
        RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 20 },
      }),
    ]);
  });
});

describe('ProductIngestion state machine', () => {
  const definition = stateMachineDefinition(template);
  const states = definition.States;

  it('runs Prepare → Validate → Skipped? → ForEachBatch → Summarize → EmitCompleted → AllPublished?', () => {
    expect(definition.StartAt).toBe('Prepare');
    expect(states.Prepare.Next).toBe('Validate');
    expect(states.Validate.Next).toBe('Skipped?');
    expect(states['Skipped?']).toMatchObject({ Type: 'Choice', Default: 'ForEachBatch' });
    expect(states.ForEachBatch.Next).toBe('Summarize');
    expect(states.Summarize.Next).toBe('EmitCompleted');
    expect(states.EmitCompleted.Next).toBe('AllPublished?');
    expect(states['AllPublished?']).toMatchObject({
      Type: 'Choice',
      Choices: [{ Variable: '$.summary.counts.failed', NumericGreaterThan: 0, Next: 'ProductsNotPublished' }],
      Default: 'Completed',
    });
  });

  it('uses the execution name as the ingestion id and passes only the S3 detail on', () => {
    expect(states.Prepare.Parameters).toEqual({
      'ingestionId.$': '$$.Execution.Name',
      'detail.$': '$.detail',
    });
    expect(states.Validate.Parameters).toEqual({ 'ingestionId.$': '$.ingestionId', 'detail.$': '$.detail' });
  });

  it("runs a Distributed Map over Validate's batch manifest: one Express child per batch, results to S3", () => {
    const map = states.ForEachBatch as unknown as Record<string, unknown> & {
      ItemProcessor: {
        ProcessorConfig: unknown;
        StartAt: string;
        States: Record<string, { Next?: string; End?: boolean }>;
      };
    };
    expect(map).not.toHaveProperty('ItemsPath');
    expect(map.ItemReader).toEqual({
      Resource: 'arn:<ref:AWS::Partition>:states:::s3:getObject',
      ReaderConfig: { InputType: 'JSONL' },
      Parameters: { Bucket: `<ref:${bucketId}>`, 'Key.$': '$.validation.manifest.key' },
    });
    expect(map.ItemSelector).toEqual({
      'ingestionId.$': '$.ingestionId',
      'batchKey.$': '$$.Map.Item.Value.key',
      'count.$': '$$.Map.Item.Value.count',
    });
    expect(map.MaxConcurrency).toBe(6);
    expect(map.ToleratedFailurePercentage).toBe(10);
    expect(map.ResultWriter).toEqual({
      Resource: 'arn:<ref:AWS::Partition>:states:::s3:putObject',
      Parameters: { Bucket: `<ref:${bucketId}>`, Prefix: 'staging/map-results' },
    });
    expect(map.ResultPath).toBe('$.mapRun');
    expect(map.ItemProcessor.ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' });
    expect(map.ItemProcessor.StartAt).toBe('Transform');
    expect(map.ItemProcessor.States.Transform.Next).toBe('Publish');
    expect(map.ItemProcessor.States.Publish.End).toBe(true);
    expect(states.Summarize.Parameters).toEqual({ 'validation.$': '$.validation', 'mapRun.$': '$.mapRun' });
  });

  it('invokes each Lambda task with retries and backoff for Lambda service errors only', () => {
    const map = states.ForEachBatch as unknown as {
      ItemProcessor: { States: Record<string, typeof states.Validate> };
    };
    const tasks = [
      states.Validate,
      states.Summarize,
      map.ItemProcessor.States.Transform,
      map.ItemProcessor.States.Publish,
    ];
    for (const task of tasks) {
      expect(task.Retry).toEqual([
        expect.objectContaining({
          ErrorEquals: expect.arrayContaining(['Lambda.ServiceException', 'Lambda.TooManyRequestsException']),
          BackoffRate: 2,
          MaxAttempts: 6,
          JitterStrategy: 'FULL',
        }),
      ]);
      expect(task.Retry![0].ErrorEquals).not.toContain('States.ALL');
    }
  });

  it('catches every fatal path into Failed; IngestionFailed comes from the status change, not a state', () => {
    for (const name of ['Validate', 'ForEachBatch', 'Summarize', 'EmitCompleted', 'EmitSkipped']) {
      expect(states[name].Catch).toEqual([
        { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Failed' },
      ]);
    }
    expect(states).not.toHaveProperty('EmitFailed');
    expect(states.Failed).toEqual({ Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' });
  });

  it('sends every failed, timed-out or aborted execution of this state machine to ReportFailure', () => {
    const [, rule] = Object.entries(resourcesOfType(template, 'AWS::Events::Rule')).find(([id]) =>
      id.startsWith('ProductIngestionFailures'),
    )!;
    expect(rule.Properties?.EventBusName).toBeUndefined();
    expect(rule.Properties?.EventPattern).toEqual({
      source: ['aws.states'],
      'detail-type': ['Step Functions Execution Status Change'],
      detail: {
        stateMachineArn: [
          { Ref: logicalIdOf(template, 'AWS::StepFunctions::StateMachine', 'ProductIngestion') },
        ],
        status: ['FAILED', 'TIMED_OUT', 'ABORTED'],
      },
    });
    expect(rule.Properties?.Targets).toEqual([
      expect.objectContaining({
        Arn: {
          'Fn::GetAtt': [logicalIdOf(template, 'AWS::Lambda::Function', 'FunctionsReportFailure'), 'Arn'],
        },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId('FailureRuleDeadLetterQueue'), 'Arn'] } },
        RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 20 },
      }),
    ]);
  });

  it('emits IngestionCompleted with the summary on the products bus', () => {
    const emit = states.EmitCompleted as unknown as { Parameters: { Entries: Record<string, unknown>[] } };
    expect(emit.Parameters.Entries).toEqual([
      {
        EventBusName: `<ref:${busId}>`,
        Source: EVENT_SOURCES.ingestion,
        DetailType: DETAIL_TYPES.ingestionCompleted,
        'Detail.$': '$.summary',
      },
    ]);
  });

  it('logs everything to a vended log group with retention, traces with X-Ray and times out', () => {
    expect(definition.TimeoutSeconds).toBe(120 * 60);
    const logGroupId = logicalIdOf(template, 'AWS::Logs::LogGroup', 'ProductIngestionLogs');
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/aws/vendedlogs/states/ProductIngestion-dev',
      RetentionInDays: 30,
    });
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: 'ProductIngestion-dev',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: true,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [logGroupId, 'Arn'] } } }],
      },
    });
  });
});

describe('ingestion Lambdas', () => {
  const functions = Object.entries(resourcesOfType(template, 'AWS::Lambda::Function')).filter(([id]) =>
    id.startsWith('Functions'),
  );

  it('are five Node 24 ARM64 functions with tracing, JSON logs in their own log group, sized and timed', () => {
    expect(functions.map(([id]) => id.replace(/Function[0-9A-F]{8}$/, ''))).toEqual([
      'FunctionsValidate',
      'FunctionsTransform',
      'FunctionsPublish',
      'FunctionsSummarize',
      'FunctionsReportFailure',
    ]);
    const sizing = functions.map(([, fn]) => [fn.Properties?.MemorySize, fn.Properties?.Timeout]);
    // Transform and Publish run in an Express child workflow (5 minutes at most): room for a retry.
    expect(sizing).toEqual([
      [1769, 900],
      [1024, 120],
      [512, 120],
      [512, 300],
      [256, 30],
    ]);
    for (const [id, fn] of functions) {
      const name = id.replace(/Function[0-9A-F]{8}$/, '');
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: {
          LogFormat: 'JSON',
          LogGroup: { Ref: logicalIdOf(template, 'AWS::Logs::LogGroup', `${name}Logs`) },
        },
      });
    }
  });

  it('gives every Lambda log group a retention', () => {
    for (const [, group] of Object.entries(resourcesOfType(template, 'AWS::Logs::LogGroup'))) {
      expect(group.Properties?.RetentionInDays).toBe(30);
    }
  });

  it('passes the bucket, bus and limits through the environment', () => {
    const env = (fragment: string) =>
      (
        functions.find(([id]) => id.includes(fragment))![1].Properties?.Environment as {
          Variables: Record<string, unknown>;
        }
      ).Variables;
    expect(env('Validate')).toMatchObject({
      BUCKET_NAME: { Ref: bucketId },
      STAGING_BATCH_SIZE: '250',
      MAX_OBJECT_BYTES: String(2048 * 1024 * 1024),
    });
    expect(env('Publish')).toMatchObject({ BUCKET_NAME: { Ref: bucketId }, EVENT_BUS_NAME: { Ref: busId } });
    expect(env('Validate').TRANSFORM_CONFIG).toBeUndefined();
  });

  it('gives Validate and Transform (only) the configured transform settings', () => {
    const transformConfig = { targetCurrencies: ['AED'] };
    const configured = synthPipeline({ transformConfig });
    const variables = Object.entries(resourcesOfType(configured.template, 'AWS::Lambda::Function'))
      .filter(([id]) => id.startsWith('Functions'))
      .map(([id, fn]) => [
        id.replace(/Function[0-9A-F]{8}$/, ''),
        (fn.Properties?.Environment as { Variables: Record<string, string> }).Variables.TRANSFORM_CONFIG,
      ]);
    expect(variables).toEqual([
      ['FunctionsValidate', JSON.stringify(transformConfig)],
      ['FunctionsTransform', JSON.stringify(transformConfig)],
      ['FunctionsPublish', undefined],
      ['FunctionsSummarize', undefined],
      ['FunctionsReportFailure', undefined],
    ]);
  });

  const s3Grants = (fragment: string) =>
    statementsOfRole(template, `Functions${fragment}Role`)
      .filter((statement) => actionsOf(statement).some((action) => action.startsWith('s3:')))
      .map((statement) => ({
        actions: actionsOf(statement),
        prefixes: (Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource]).map(
          (resource) => (resource as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1][1],
        ),
      }));

  it('grants each Lambda only the bucket prefixes it needs', () => {
    expect(s3Grants('Validate')).toEqual([
      { actions: ['s3:GetObject', 's3:GetObjectVersion'], prefixes: ['/incoming/*'] },
      { actions: ['s3:AbortMultipartUpload', 's3:PutObject'], prefixes: ['/reports/*', '/staging/*'] },
    ]);
    expect(s3Grants('Transform')).toEqual([
      { actions: ['s3:GetObject'], prefixes: ['/staging/*'] },
      { actions: ['s3:PutObject'], prefixes: ['/reports/*', '/staging/*'] },
    ]);
    expect(s3Grants('Publish')).toEqual([
      { actions: ['s3:GetObject'], prefixes: ['/staging/*'] },
      { actions: ['s3:PutObject'], prefixes: ['/reports/*'] },
    ]);
    expect(s3Grants('Summarize')).toEqual([
      { actions: ['s3:GetObject'], prefixes: ['/staging/map-results/*'] },
      { actions: ['s3:PutObject'], prefixes: ['/reports/*'] },
    ]);
    expect(s3Grants('ReportFailure')).toEqual([
      { actions: ['s3:GetObject', 's3:PutObject'], prefixes: ['/reports/*'] },
    ]);
  });

  it('lets only Publish and ReportFailure put events, and only on the products bus', () => {
    for (const name of ['Validate', 'Transform', 'Summarize']) {
      const actions = statementsOfRole(template, `Functions${name}Role`).flatMap(actionsOf);
      expect(actions.filter((action) => action.startsWith('events:'))).toEqual([]);
    }
    for (const name of ['Publish', 'ReportFailure']) {
      expect(statementsOfRole(template, `Functions${name}Role`)).toContainEqual(
        expect.objectContaining({ Action: 'events:PutEvents', Resource: { 'Fn::GetAtt': [busId, 'Arn'] } }),
      );
    }
  });

  it('writes logs only to its own log group (no AWS managed policy)', () => {
    for (const [id, role] of Object.entries(resourcesOfType(template, 'AWS::IAM::Role'))) {
      if (!id.startsWith('Functions')) continue;
      expect(role.Properties?.ManagedPolicyArns).toBeUndefined();
      const name = id.replace(/Role[0-9A-F]{8}$/, '');
      expect(statementsOfRole(template, id)).toContainEqual(
        expect.objectContaining({
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::Logs::LogGroup', `${name}Logs`), 'Arn'] },
        }),
      );
    }
  });
});

describe('no wildcard permissions beyond what a reason covers', () => {
  const allStatements = Object.values(resourcesOfType(template, 'AWS::IAM::Policy')).flatMap(
    (policy) => (policy.Properties?.PolicyDocument as { Statement: PolicyStatement[] }).Statement,
  );
  // Actions that AWS offers no resource-level permissions for (acknowledged in lib/nag).
  const resourceLessActions =
    /^(xray:|ecr:GetAuthorizationToken$|logs:(CreateLogDelivery|DeleteLogDelivery|DescribeLogGroups|DescribeResourcePolicies|GetLogDelivery|ListLogDeliveries|PutResourcePolicy|UpdateLogDelivery))/;

  it('has no wildcard action in any policy', () => {
    for (const statement of allStatements) {
      for (const action of actionsOf(statement)) expect(action).not.toMatch(/\*/);
    }
  });

  it('uses Resource "*" only for actions without resource-level permissions', () => {
    const starred = allStatements.filter((statement) => statement.Resource === '*');
    expect(starred.length).toBeGreaterThan(0);
    for (const statement of starred) {
      for (const action of actionsOf(statement)) expect(action).toMatch(resourceLessActions);
    }
  });
});

describe('products bus', () => {
  it('is archived for replay with the configured retention', () => {
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'products-dev' });
    template.hasResourceProperties('AWS::Events::Archive', {
      SourceArn: { 'Fn::GetAtt': [busId, 'Arn'] },
      RetentionDays: 30,
    });
  });

  it.each([
    [
      'ProductIngestRule',
      EVENT_SOURCES.ingestion,
      [DETAIL_TYPES.productIngested],
      'ProductIngestQueueF',
      'ProductIngestTargetDeadLetterQueue',
    ],
    [
      'MedusaSyncRule',
      EVENT_SOURCES.pimcore,
      [DETAIL_TYPES.productPublished, DETAIL_TYPES.productUnpublished],
      'MedusaSyncQueue8',
      'MedusaSyncTargetDeadLetterQueue',
    ],
  ])(
    '%s routes %s %j to its queue, with a target DLQ and retries',
    (rule, source, detailTypes, queue, dlq) => {
      const [, resource] = Object.entries(resourcesOfType(template, 'AWS::Events::Rule')).find(([id]) =>
        id.includes(rule),
      )!;
      expect(resource.Properties).toMatchObject({
        EventBusName: { Ref: busId },
        EventPattern: { source: [source], 'detail-type': detailTypes },
        Targets: [
          expect.objectContaining({
            Arn: { 'Fn::GetAtt': [queueId(queue), 'Arn'] },
            DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId(dlq), 'Arn'] } },
            RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 20 },
          }),
        ],
      });
    },
  );
});

describe('queues', () => {
  const queues = resourcesOfType(template, 'AWS::SQS::Queue');

  it('encrypts every queue with SQS-managed keys (KMS-managed keys break EventBridge delivery)', () => {
    expect(Object.keys(queues)).toHaveLength(10);
    for (const queue of Object.values(queues)) {
      expect(queue.Properties?.SqsManagedSseEnabled).toBe(true);
      expect(queue.Properties?.KmsMasterKeyId).toBeUndefined();
    }
  });

  it('gives each work queue a DLQ after the configured receive count and a visibility of 2× the handler timeout', () => {
    for (const [id, name] of [
      [ingestQueueId, 'product-ingest-dev'],
      [medusaQueueId, 'medusa-sync-dev'],
    ]) {
      expect(queues[id].Properties).toMatchObject({
        QueueName: name,
        VisibilityTimeout: 180,
        ReceiveMessageWaitTimeSeconds: 20,
        MessageRetentionPeriod: 4 * 86400,
        RedrivePolicy: {
          maxReceiveCount: 7,
          deadLetterTargetArn: { 'Fn::GetAtt': [expect.stringContaining('DeadLetterQueue'), 'Arn'] },
        },
      });
    }
  });

  it('keeps dead letters longer than the work queues keep messages', () => {
    for (const [id, queue] of Object.entries(queues)) {
      if (!id.includes('DeadLetterQueue')) continue;
      expect(queue.Properties?.MessageRetentionPeriod).toBe(14 * 86400);
    }
  });

  it('denies non-TLS access to every queue', () => {
    const policies = Object.values(resourcesOfType(template, 'AWS::SQS::QueuePolicy'));
    const protectedQueues = new Set(
      policies
        .filter((policy) =>
          JSON.stringify(policy.Properties?.PolicyDocument).includes('"aws:SecureTransport":"false"'),
        )
        .flatMap((policy) => (policy.Properties?.Queues as { Ref: string }[]).map((queue) => queue.Ref)),
    );
    expect([...protectedQueues].sort()).toEqual(Object.keys(queues).sort());
  });
});

describe('worker access policy (worker=external)', () => {
  const external = synthPipeline({ worker: 'external' }).template;

  it('is the only worker part of the stack, and an output', () => {
    expect(Object.keys(resourcesOfType(template, 'AWS::IAM::ManagedPolicy'))).toEqual([]);
    external.resourceCountIs('AWS::ECS::Service', 0);
    external.resourceCountIs('AWS::ElastiCache::ServerlessCache', 0);
    expect(Object.keys(external.toJSON().Outputs)).toContain('WorkerPolicyArn');
  });

  it('is named after the stage and the region (IAM names are account-wide: two regions, one stage)', () => {
    const [policy] = Object.values(resourcesOfType(external, 'AWS::IAM::ManagedPolicy'));
    expect(policy.Properties?.ManagedPolicyName).toBe('product-pipeline-worker-dev-us-east-1');
  });

  it('grants exactly consume on work queues, send to their DLQs and PutEvents on the bus', () => {
    const [policy] = Object.values(resourcesOfType(external, 'AWS::IAM::ManagedPolicy'));
    expect(policy.Properties?.PolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ConsumeWorkQueues',
          Effect: 'Allow',
          Action: [
            'sqs:ChangeMessageVisibility',
            'sqs:DeleteMessage',
            'sqs:GetQueueAttributes',
            'sqs:GetQueueUrl',
            'sqs:ReceiveMessage',
          ],
          Resource: [{ 'Fn::GetAtt': [medusaQueueId, 'Arn'] }, { 'Fn::GetAtt': [ingestQueueId, 'Arn'] }],
        },
        {
          Sid: 'DeadLetterPoisonMessages',
          Effect: 'Allow',
          Action: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
          Resource: [
            { 'Fn::GetAtt': [queueId('MedusaSyncQueueDeadLetterQueue'), 'Arn'] },
            { 'Fn::GetAtt': [queueId('ProductIngestQueueDeadLetterQueue'), 'Arn'] },
          ],
        },
        {
          Sid: 'PublishPimcoreEvents',
          Effect: 'Allow',
          Action: 'events:PutEvents',
          Resource: { 'Fn::GetAtt': [busId, 'Arn'] },
        },
      ],
    });
  });
});

describe('alarms', () => {
  const alarms = Object.values(resourcesOfType(template, 'AWS::CloudWatch::Alarm')).map(
    (alarm) => alarm.Properties!,
  );
  const topicId = logicalIdOf(template, 'AWS::SNS::Topic', 'AlarmTopic');
  const alarmsOn = (metricName: string) => alarms.filter((alarm) => alarm.MetricName === metricName);

  it('fires on any message in any of the five DLQs', () => {
    const dlqAlarms = alarmsOn('ApproximateNumberOfMessagesVisible');
    const watched = dlqAlarms.map(
      (alarm) => (alarm.Dimensions as { Value: { 'Fn::GetAtt': string[] } }[])[0].Value['Fn::GetAtt'][0],
    );
    const dlqs = Object.keys(resourcesOfType(template, 'AWS::SQS::Queue')).filter((id) =>
      id.includes('DeadLetterQueue'),
    );
    expect(watched.sort()).toEqual(dlqs.sort());
    for (const alarm of dlqAlarms) {
      expect(alarm).toMatchObject({
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        Statistic: 'Maximum',
      });
    }
  });

  it('fires when a work queue falls behind', () => {
    const ageAlarms = alarmsOn('ApproximateAgeOfOldestMessage');
    expect(ageAlarms).toHaveLength(2);
    for (const alarm of ageAlarms) expect(alarm.Threshold).toBe(900);
  });

  it('watches executions failed, timed out and throttled', () => {
    for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionThrottled']) {
      expect(alarmsOn(metric)).toHaveLength(1);
    }
  });

  it('watches errors and throttles of every Lambda', () => {
    expect(alarmsOn('Errors')).toHaveLength(5);
    expect(alarmsOn('Throttles')).toHaveLength(5);
  });

  it('watches failed and dead-lettered deliveries of every rule, with the bus dimension on custom-bus rules', () => {
    for (const metric of ['FailedInvocations', 'InvocationsSentToDlq', 'InvocationsFailedToBeSentToDlq']) {
      const ruleAlarms = alarmsOn(metric);
      expect(ruleAlarms).toHaveLength(4);
      const withBus = ruleAlarms.filter((alarm) => JSON.stringify(alarm.Dimensions).includes('EventBusName'));
      expect(withBus).toHaveLength(2);
    }
  });

  it('notifies the encrypted alarm topic on alarm and on recovery', () => {
    // DLQs, queue ages, executions, Lambdas, rules, the worker's 9 and the reconciliation's 3 (docs: README, Alarms).
    expect(alarms.length).toBe(7 + 2 + 3 + 10 + 12 + 9 + 3);
    // No data from a worker service means no task reports, and no finished run means none finished: those
    // alarms' own cases. The drift alarm keeps the last run's verdict between nightly runs.
    const missingData = (alarm: Record<string, unknown>) => {
      const watched = JSON.stringify(alarm);
      if (watched.includes('RunningTaskCount') || watched.includes('ReconcileRuns')) return 'breaching';
      return watched.includes('ReconcileDrift') ? 'ignore' : 'notBreaching';
    };
    for (const alarm of alarms) {
      expect(alarm.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(alarm.OKActions).toEqual([{ Ref: topicId }]);
      expect(alarm.TreatMissingData).toBe(missingData(alarm));
    }
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('has a dashboard of the flow', () => {
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', {
      DashboardName: 'product-pipeline-dev-us-east-1',
    });
  });
});

describe('outputs', () => {
  it('tells the worker and the operator every name they need', () => {
    expect(Object.keys(template.toJSON().Outputs).sort()).toEqual([
      'AlarmTopicArn',
      'DashboardName',
      'EventBusName',
      'IngestBucketName',
      'MedusaApiKeySecretArn',
      'MedusaSyncDlqUrl',
      'MedusaSyncQueueUrl',
      'PimcoreApiKeySecretArn',
      'ProductIngestDlqUrl',
      'ProductIngestQueueUrl',
      'ReconcileSecurityGroupId',
      'ReconcileSubnetIds',
      'ReconcileTaskDefinitionArn',
      'StateMachineArn',
      'WebhookSecretArn',
      'WebhookUrl',
      'WorkerClusterName',
      'WorkerIngestServiceName',
      'WorkerLogGroupName',
      'WorkerRelayServiceName',
    ]);
  });
});

describe('stages', () => {
  const prod = synthPipeline({ stage: 'prod', alarmEmail: 'ops@example.com' });

  it('destroys data with a dev stack and retains it with a prod stack', () => {
    const policies = (t: Template, type: string) =>
      Object.values(t.findResources(type)).map((resource) => resource.DeletionPolicy as string);
    for (const type of ['AWS::S3::Bucket', 'AWS::SQS::Queue', 'AWS::Logs::LogGroup', 'AWS::KMS::Key']) {
      expect(new Set(policies(template, type))).toEqual(new Set(['Delete']));
      expect(new Set(policies(prod.template, type))).toEqual(new Set(['Retain']));
    }
    expect(prod.stack.terminationProtection).toBe(true);
    expect(dev.stack.terminationProtection).toBe(false);
    prod.template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
  });

  it('keeps prod logs and archive a year, and names resources by stage', () => {
    prod.template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
    prod.template.hasResourceProperties('AWS::Events::Archive', { RetentionDays: 365 });
    prod.template.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'product-ingest-prod' });
    prod.template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: 'ProductIngestion-prod',
    });
  });

  it('subscribes the alarm e-mail when one is configured', () => {
    prod.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
  });
});
