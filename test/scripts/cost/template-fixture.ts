import type { CfnTemplate } from '../../../local/template/cfn-template';
import { ASSUMPTIONS } from '../../../scripts/cost/assumptions';
import type { CostInputs } from '../../../scripts/cost/cost-model';
import type { IngestionSample } from '../../../scripts/cost/measure-ingestion';
import type { WorkerSample } from '../../../scripts/cost/measure-worker';
import { loadPriceList } from '../../../scripts/cost/prices';
import { templateFacts } from '../../../scripts/cost/template-facts';

export type MapDesign =
  | { readonly mode: 'INLINE' }
  | {
      readonly mode: 'DISTRIBUTED';
      readonly children: 'STANDARD' | 'EXPRESS';
      readonly batchesPerChild?: number;
    };

const lambdaArn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;

/** The ingestion workflow in either Map design, as the state machine definition holds it. */
export function definitionOf(design: MapDesign): Record<string, unknown> {
  const children = {
    StartAt: 'Transform',
    States: {
      Transform: { Type: 'Task', Resource: lambdaArn('transform'), Next: 'Publish' },
      Publish: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: { FunctionName: lambdaArn('publish') },
        End: true,
      },
    },
  };
  const map =
    design.mode === 'INLINE'
      ? {
          Type: 'Map',
          ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, ...children },
          Next: 'Summarize',
        }
      : {
          Type: 'Map',
          ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSONL' } },
          ItemBatcher: { MaxItemsPerBatch: design.batchesPerChild ?? 1 },
          ResultWriter: { Resource: 'arn:aws:states:::s3:putObject' },
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: design.children },
            ...children,
          },
          Next: 'Summarize',
        };
  return {
    StartAt: 'Validate',
    States: {
      Validate: {
        Type: 'Task',
        Resource: lambdaArn('validate'),
        Next: 'Skipped?',
        Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Failed' }],
      },
      'Skipped?': {
        Type: 'Choice',
        Choices: [{ Variable: '$.skipped', IsPresent: true, Next: 'Done' }],
        Default: 'ForEachBatch',
      },
      ForEachBatch: map,
      Summarize: { Type: 'Task', Resource: lambdaArn('summarize'), Next: 'Done' },
      Done: { Type: 'Succeed' },
      Failed: { Type: 'Fail' },
    },
  };
}

function fn(name: string, memory: number, logLevel?: string) {
  return {
    Type: 'AWS::Lambda::Function',
    Properties: {
      FunctionName: name.toLowerCase(),
      MemorySize: memory,
      Architectures: ['arm64'],
      Environment: {
        Variables: { STAGING_BATCH_SIZE: '250', ...(logLevel ? { POWERTOOLS_LOG_LEVEL: logLevel } : {}) },
      },
      LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: `${name}Logs` } },
    },
    Metadata: { 'aws:cdk:path': `Test/Functions/${name}/Function/Resource` },
  };
}

function service(consumer: string) {
  return {
    [`${consumer}Task`]: {
      Type: 'AWS::ECS::TaskDefinition',
      Properties: {
        Family: consumer,
        Cpu: '512',
        Memory: '1024',
        RuntimePlatform: { CpuArchitecture: 'ARM64' },
        ContainerDefinitions: [
          {
            Name: 'worker',
            Environment: [{ Name: 'WORKER_CONSUMERS', Value: consumer }],
            LogConfiguration: { LogDriver: 'awslogs', Options: { 'awslogs-group': { Ref: 'WorkerLogs' } } },
          },
        ],
      },
    },
    [`${consumer}Service`]: {
      Type: 'AWS::ECS::Service',
      Properties: { TaskDefinition: { Ref: `${consumer}Task` }, DesiredCount: 1 },
    },
  };
}

/** A small template with what the cost model reads: the workflow, its functions, the worker, logs, archive. */
export function templateOf(
  design: MapDesign,
  options: { readonly lambdaLogLevel?: string; readonly stateMachineLogLevel?: string } = {},
): CfnTemplate {
  const logGroup = { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 30 } };
  return {
    Resources: {
      Validate: fn('Validate', 1769, options.lambdaLogLevel),
      Transform: fn('Transform', 1024, options.lambdaLogLevel),
      Publish: fn('Publish', 512, options.lambdaLogLevel),
      Summarize: fn('Summarize', 256, options.lambdaLogLevel),
      ValidateLogs: logGroup,
      TransformLogs: logGroup,
      PublishLogs: logGroup,
      SummarizeLogs: logGroup,
      WorkerLogs: logGroup,
      MachineLogs: logGroup,
      Machine: {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: {
          StateMachineName: 'Ingestion',
          StateMachineType: 'STANDARD',
          DefinitionString: JSON.stringify(definitionOf(design)),
          LoggingConfiguration: {
            Level: options.stateMachineLogLevel ?? 'ALL',
            IncludeExecutionData: true,
            Destinations: [
              { CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': ['MachineLogs', 'Arn'] } } },
            ],
          },
        },
      },
      Archive: {
        Type: 'AWS::Events::Archive',
        Properties: {
          EventPattern: { source: ['product-pipeline.ingestion', 'product-pipeline.pimcore'] },
          RetentionDays: 30,
        },
      },
      Bucket: {
        Type: 'AWS::S3::Bucket',
        Properties: {
          LifecycleConfiguration: { Rules: [{ Prefix: 'staging/', ExpirationInDays: 7, Status: 'Enabled' }] },
        },
      },
      Nat: { Type: 'AWS::EC2::NatGateway', Properties: {} },
      ...service('product-ingest'),
      ...service('medusa-sync'),
    },
  };
}

const INGESTION: IngestionSample = {
  products: 1000,
  batches: 4,
  uploadBytesPerProduct: 22_000,
  stagedBytesPerProduct: 3700,
  canonicalBytesPerProduct: 2300,
  productIngested: { entryBytes: 2600, chunksPerEvent: 1, envelopeBytes: 2800, messageChunks: 1 },
  putEventsCallsPerProduct: 0.1,
  cpuMsPerProduct: { Validate: 0.5, Transform: 0.25, Publish: 0.1 },
  canonical: [],
};

const WORKER: WorkerSample = {
  products: 50,
  ingest: { logEvents: 1, logBytes: 400, deliveries: 1, handedBack: 0, webhookRequests: 0, eventsPut: 0 },
  relay: { logEvents: 7, logBytes: 4000, deliveries: 3, handedBack: 1, webhookRequests: 2, eventsPut: 2 },
  productPublished: { entryBytes: 200, chunksPerEvent: 1, envelopeBytes: 380, messageChunks: 1 },
};

/** The model's inputs for a fixture template, with fixed samples standing in for the measurements. */
export function inputsFor(template: CfnTemplate): CostInputs {
  return {
    facts: templateFacts(template, 'Test'),
    prices: loadPriceList(),
    ingestion: INGESTION,
    worker: WORKER,
    assumptions: { ...ASSUMPTIONS },
  };
}
