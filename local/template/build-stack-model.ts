import * as path from 'node:path';
import type { CfnTemplate } from './cfn-template';
import { listenerRoutesOf, serviceModel, taskDefinitionModel } from './ecs-models';
import { UnsupportedIntrinsicError } from './intrinsics';
import { archiveModel, eventBusModel, queueModel, ruleModel } from './messaging-models';
import { ModelListings } from './model-listings';
import { PhysicalResources } from './physical-resources';
import { customResourceProviders, EMULATED_TYPES, notNeededReason, standInReason } from './resource-support';
import type {
  ArchiveModel,
  BucketModel,
  EventBusModel,
  FunctionModel,
  LocalEnvironment,
  QueueModel,
  RuleModel,
  ServiceModel,
  StackModel,
  StateMachineModel,
  TaskDefinitionModel,
} from './stack-model';
import { bucketModel, functionModel, stateMachineModel } from './workload-models';

export interface StackModelOptions {
  readonly stackName: string;
  /** Default us-east-1. */
  readonly region?: string;
  /** Default 000000000000. */
  readonly accountId?: string;
  /** The local SQS endpoint queue URLs start with; default `https://sqs.<region>.amazonaws.com`. */
  readonly sqsEndpoint?: string;
  /** Where lambdas/handlers/ lives; default the repository this file is in. */
  readonly projectRoot?: string;
  /** Logical id → construct path (tree.json), for functions without aws:cdk:path metadata. */
  readonly constructPaths?: ReadonlyMap<string, string>;
}

const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..');

/** The model of a synthesized stack with every intrinsic resolved to its local value. */
export function buildStackModel(template: CfnTemplate, options: StackModelOptions): StackModel {
  const region = options.region ?? 'us-east-1';
  const environment: LocalEnvironment = {
    stackName: options.stackName,
    accountId: options.accountId ?? '000000000000',
    region,
    partition: 'aws',
    urlSuffix: 'amazonaws.com',
    sqsEndpoint: (options.sqsEndpoint ?? `https://sqs.${region}.amazonaws.com`).replace(/\/$/, ''),
  };
  const resources = new PhysicalResources(template, environment);
  const listings = new ModelListings();
  const queues: QueueModel[] = [];
  const eventBuses: EventBusModel[] = [
    { name: 'default', arn: `arn:aws:events:${region}:${environment.accountId}:event-bus/default` },
  ];
  const rules: RuleModel[] = [];
  const archives: ArchiveModel[] = [];
  // Archives name their bus by ARN: they are built once every bus is known, whatever the template's order.
  const archiveIds: string[] = [];
  const buckets: BucketModel[] = [];
  const stateMachines: StateMachineModel[] = [];
  const functions: FunctionModel[] = [];
  const taskDefinitions: TaskDefinitionModel[] = [];
  const services: ServiceModel[] = [];
  const listenerRoutes = listenerRoutesOf(template, resources, listings);
  const functionContext = {
    resources,
    listings,
    constructPaths: options.constructPaths ?? new Map<string, string>(),
    projectRoot: options.projectRoot ?? REPOSITORY_ROOT,
    customResourceProviders: customResourceProviders(template),
  };
  const builders: Record<string, (logicalId: string) => void> = {
    'AWS::SQS::Queue': (id) => collect(queues, queueModel(id, resources, listings)),
    'AWS::Events::EventBus': (id) => collect(eventBuses, eventBusModel(id, resources)),
    'AWS::Events::Rule': (id) => collect(rules, ruleModel(id, resources, listings)),
    'AWS::Events::Archive': (id) => archiveIds.push(id),
    'AWS::S3::Bucket': (id) => collect(buckets, bucketModel(id, resources)),
    'AWS::StepFunctions::StateMachine': (id) =>
      collect(stateMachines, stateMachineModel(id, resources, listings)),
    'AWS::Lambda::Function': (id) =>
      collect(functions, functionModel(id, template.Resources[id], functionContext)),
    'AWS::ECS::TaskDefinition': (id) => collect(taskDefinitions, taskDefinitionModel(id, resources)),
    'AWS::ECS::Service': (id) => collect(services, serviceModel(id, resources, listenerRoutes)),
  };

  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    const notNeeded = notNeededReason(resource.Type);
    const standIn = standInReason(resource.Type);
    if (notNeeded) {
      listings.addNotEmulated(logicalId, resource.Type, notNeeded);
    } else if (standIn) {
      listings.addStandIn(logicalId, resource.Type, standIn);
    } else if (!EMULATED_TYPES.has(resource.Type)) {
      listings.addUnsupported(logicalId, resource.Type, 'no local emulation for this resource type');
    } else if (resource.Condition !== undefined) {
      listings.addUnsupported(
        logicalId,
        resource.Type,
        `template conditions (${resource.Condition}) are not evaluated`,
      );
    } else {
      listUnresolvable(logicalId, resource.Type, listings, () => builders[resource.Type](logicalId));
    }
  }
  for (const logicalId of archiveIds) {
    listUnresolvable(logicalId, 'AWS::Events::Archive', listings, () =>
      collect(archives, archiveModel(logicalId, resources, listings, eventBuses)),
    );
  }

  return {
    environment,
    queues,
    eventBuses,
    rules,
    archives,
    buckets,
    stateMachines,
    functions,
    taskDefinitions,
    services,
    outputs: resolvedOutputs(template, resources),
    unsupported: listings.unsupported,
    notEmulated: listings.notEmulated,
    standIns: listings.standIns,
  };
}

/** Builds a model; a resource needing an intrinsic without local value is listed instead. */
function listUnresolvable(logicalId: string, type: string, listings: ModelListings, build: () => void): void {
  try {
    build();
  } catch (error) {
    if (!(error instanceof UnsupportedIntrinsicError)) throw error;
    listings.addUnsupported(logicalId, type, error.message);
  }
}

function collect<T>(models: T[], model: T | undefined): void {
  if (model !== undefined) models.push(model);
}

function resolvedOutputs(template: CfnTemplate, resources: PhysicalResources): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const [name, output] of Object.entries(template.Outputs ?? {})) {
    if (output.Condition !== undefined) continue;
    const value = resources.resolve(output.Value);
    outputs[name] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return outputs;
}
