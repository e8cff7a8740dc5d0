import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { isJsonObject, type JsonObject, type JsonValue } from '../aws-json/json';
import type { CfnResource } from './cfn-template';
import { handlerSourceFor } from './handler-source';
import { numberOf, type ModelListings } from './model-listings';
import type { PhysicalResources } from './physical-resources';
import type { BucketModel, FunctionModel, StateMachineModel } from './stack-model';

export function bucketModel(logicalId: string, resources: PhysicalResources): BucketModel {
  const notifications = resources.property(logicalId, 'NotificationConfiguration');
  const eventBridge = isJsonObject(notifications) ? notifications.EventBridgeConfiguration : undefined;
  const enabled = isJsonObject(eventBridge) ? eventBridge.EventBridgeEnabled : undefined;
  return {
    logicalId,
    name: resources.ref(logicalId) as string,
    arn: resources.getAtt(logicalId, 'Arn') as string,
    eventBridgeEnabled: enabled === true || enabled === 'true',
  };
}

export function stateMachineModel(
  logicalId: string,
  resources: PhysicalResources,
  listings: ModelListings,
): StateMachineModel | undefined {
  const property = (name: string) => resources.property(logicalId, name);
  const definitionString = property('DefinitionString');
  const definitionObject = property('Definition');
  const text =
    typeof definitionString === 'string'
      ? definitionString
      : isJsonObject(definitionObject)
        ? JSON.stringify(definitionObject)
        : undefined;
  if (text === undefined) {
    const reason = 'definitions stored in S3 (DefinitionS3Location) are not read locally';
    listings.addUnsupported(logicalId, 'AWS::StepFunctions::StateMachine', reason);
    return undefined;
  }
  const substitutions = property('DefinitionSubstitutions');
  return {
    logicalId,
    name: resources.getAtt(logicalId, 'Name') as string,
    arn: resources.getAtt(logicalId, 'Arn') as string,
    type: String(property('StateMachineType') ?? 'STANDARD'),
    definition: JSON.parse(substitute(text, isJsonObject(substitutions) ? substitutions : {})) as JsonObject,
  };
}

/** DefinitionSubstitutions: `${key}` in the definition text replaced by its value. */
function substitute(text: string, substitutions: JsonObject): string {
  return text.replace(/\$\{([^}]+)\}/g, (match, key: string) =>
    Object.hasOwn(substitutions, key) ? String(substitutions[key]) : match,
  );
}

export function functionModel(
  logicalId: string,
  resource: CfnResource,
  context: {
    readonly resources: PhysicalResources;
    readonly listings: ModelListings;
    readonly constructPaths: ReadonlyMap<string, string>;
    readonly projectRoot: string;
    /** Functions that serve custom resources. */
    readonly customResourceProviders: ReadonlySet<string>;
  },
): FunctionModel | undefined {
  const { resources, listings } = context;
  const type = 'AWS::Lambda::Function';
  if (context.customResourceProviders.has(logicalId)) {
    listings.addNotEmulated(logicalId, type, 'custom resource provider: deployment housekeeping');
    return undefined;
  }
  const metadataPath = resource.Metadata?.['aws:cdk:path'];
  const constructPath =
    typeof metadataPath === 'string' ? metadataPath : context.constructPaths.get(logicalId);
  if (!constructPath) {
    listings.addUnsupported(
      logicalId,
      type,
      'no construct path (aws:cdk:path metadata or tree.json) to find its handler',
    );
    return undefined;
  }
  const handlerSource = handlerSourceFor(constructPath, context.projectRoot);
  if (!handlerSource || !existsSync(handlerSource)) {
    const expected = handlerSource
      ? path.relative(context.projectRoot, handlerSource)
      : '<Name>/Function in the path';
    listings.addUnsupported(logicalId, type, `no handler source for ${constructPath} (expected ${expected})`);
    return undefined;
  }
  const property = (name: string) => resources.property(logicalId, name);
  const environment = property('Environment');
  const variables =
    isJsonObject(environment) && isJsonObject(environment.Variables) ? environment.Variables : {};
  return {
    logicalId,
    name: resources.ref(logicalId) as string,
    arn: resources.getAtt(logicalId, 'Arn') as string,
    constructPath,
    handlerSource,
    handlerExport: String(property('Handler') ?? 'index.handler')
      .split('.')
      .at(-1)!,
    environment: Object.fromEntries(Object.entries(variables).map(([key, value]) => [key, stringOf(value)])),
    timeoutSeconds: numberOf(property('Timeout')) ?? 3,
    memorySize: numberOf(property('MemorySize')) ?? 128,
    ...deadLetterArnOf(property('DeadLetterConfig')),
  };
}

function deadLetterArnOf(config: JsonValue | undefined): { deadLetterArn?: string } {
  const arn = isJsonObject(config) ? config.TargetArn : undefined;
  return typeof arn === 'string' ? { deadLetterArn: arn } : {};
}

function stringOf(value: JsonValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
