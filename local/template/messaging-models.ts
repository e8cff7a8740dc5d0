import { isJsonObject, type JsonObject, type JsonValue } from '../aws-json/json';
import { numberOf, type ModelListings } from './model-listings';
import { eventBusNameOf, type PhysicalResources } from './physical-resources';
import type {
  ArchiveModel,
  EventBusModel,
  QueueModel,
  RuleModel,
  RuleTargetKind,
  RuleTargetModel,
} from './stack-model';

export function queueModel(
  logicalId: string,
  resources: PhysicalResources,
  listings: ModelListings,
): QueueModel | undefined {
  const property = (name: string) => resources.property(logicalId, name);
  if (property('FifoQueue') === true || property('FifoQueue') === 'true') {
    listings.addUnsupported(logicalId, 'AWS::SQS::Queue', 'FIFO queues are not emulated');
    return undefined;
  }
  const redrive = property('RedrivePolicy');
  const redrivePolicy = typeof redrive === 'string' ? (JSON.parse(redrive) as JsonValue) : redrive;
  return {
    logicalId,
    name: resources.getAtt(logicalId, 'QueueName') as string,
    url: resources.getAtt(logicalId, 'QueueUrl') as string,
    arn: resources.getAtt(logicalId, 'Arn') as string,
    visibilityTimeoutSeconds: numberOf(property('VisibilityTimeout')),
    messageRetentionSeconds: numberOf(property('MessageRetentionPeriod')),
    receiveMessageWaitTimeSeconds: numberOf(property('ReceiveMessageWaitTimeSeconds')),
    delaySeconds: numberOf(property('DelaySeconds')),
    maximumMessageSize: numberOf(property('MaximumMessageSize')),
    redrive: isJsonObject(redrivePolicy)
      ? {
          deadLetterTargetArn: String(redrivePolicy.deadLetterTargetArn),
          maxReceiveCount: numberOf(redrivePolicy.maxReceiveCount) ?? 1,
        }
      : undefined,
  };
}

export function eventBusModel(logicalId: string, resources: PhysicalResources): EventBusModel {
  return {
    logicalId,
    name: resources.ref(logicalId) as string,
    arn: resources.getAtt(logicalId, 'Arn') as string,
  };
}

/**
 * An archive of one of the stack's buses (SourceArn). One whose source bus the template does not hold
 * (another stack's, or an ARN without a local value) is listed as unsupported: nothing would reach it.
 */
export function archiveModel(
  logicalId: string,
  resources: PhysicalResources,
  listings: ModelListings,
  eventBuses: readonly EventBusModel[],
): ArchiveModel | undefined {
  const property = (name: string) => resources.property(logicalId, name);
  const sourceArn = property('SourceArn');
  const bus = eventBuses.find((candidate) => candidate.arn === sourceArn);
  if (!bus) {
    const reason = `its source bus ${JSON.stringify(sourceArn)} is not a bus of this template`;
    listings.addUnsupported(logicalId, 'AWS::Events::Archive', reason);
    return undefined;
  }
  const pattern = property('EventPattern');
  const eventPattern = typeof pattern === 'string' ? (JSON.parse(pattern) as JsonValue) : pattern;
  const description = property('Description');
  return {
    logicalId,
    name: resources.ref(logicalId) as string,
    arn: resources.getAtt(logicalId, 'Arn') as string,
    eventSourceArn: bus.arn,
    eventBusName: bus.name,
    eventPattern: isJsonObject(eventPattern) ? eventPattern : undefined,
    retentionDays: numberOf(property('RetentionDays')),
    description: typeof description === 'string' && description !== '' ? description : undefined,
  };
}

export function ruleModel(
  logicalId: string,
  resources: PhysicalResources,
  listings: ModelListings,
): RuleModel | undefined {
  const property = (name: string) => resources.property(logicalId, name);
  const pattern = property('EventPattern');
  const eventPattern = typeof pattern === 'string' ? (JSON.parse(pattern) as JsonValue) : pattern;
  if (!isJsonObject(eventPattern)) {
    listings.addUnsupported(
      logicalId,
      'AWS::Events::Rule',
      'rules without an EventPattern (schedules) are not emulated',
    );
    return undefined;
  }
  const targets = (property('Targets') ?? []) as JsonValue[];
  return {
    logicalId,
    name: resources.ref(logicalId) as string,
    arn: resources.getAtt(logicalId, 'Arn') as string,
    eventBusName: eventBusNameOf(property('EventBusName')),
    eventPattern,
    enabled: property('State') !== 'DISABLED',
    targets: targets.filter(isJsonObject).flatMap((target) => {
      const model = targetModel(target);
      if (typeof model === 'string') listings.addUnsupported(logicalId, 'AWS::Events::Rule', model);
      return typeof model === 'string' ? [] : [model];
    }),
  };
}

/** The target as the runtime delivers to it, or why it cannot. */
function targetModel(target: JsonObject): RuleTargetModel | string {
  const id = String(target.Id);
  const arn = String(target.Arn);
  const kind = targetKindOf(arn);
  if (!kind)
    return `target ${id} (${arn}): only SQS queues, state machines and Lambda functions are delivered to locally`;
  if (target.InputTransformer !== undefined) return `target ${id}: InputTransformer is not emulated`;
  const deadLetterConfig = target.DeadLetterConfig;
  const retryPolicy = target.RetryPolicy;
  return {
    id,
    arn,
    kind,
    roleArn: typeof target.RoleArn === 'string' ? target.RoleArn : undefined,
    deadLetterArn: isJsonObject(deadLetterConfig) ? String(deadLetterConfig.Arn) : undefined,
    retryPolicy: isJsonObject(retryPolicy)
      ? {
          maximumRetryAttempts: numberOf(retryPolicy.MaximumRetryAttempts),
          maximumEventAgeSeconds: numberOf(retryPolicy.MaximumEventAgeInSeconds),
        }
      : undefined,
    input: typeof target.Input === 'string' ? target.Input : undefined,
    inputPath: typeof target.InputPath === 'string' ? target.InputPath : undefined,
  };
}

function targetKindOf(arn: string): RuleTargetKind | undefined {
  const [, , service, , , resource = ''] = arn.split(':');
  if (service === 'sqs') return 'sqs';
  if (service === 'states' && resource === 'stateMachine') return 'state-machine';
  if (service === 'lambda' && resource === 'function') return 'lambda';
  return undefined;
}
