import { AwsServiceError } from '../aws-json/aws-service-error';
import type { AwsJsonService } from '../aws-json/aws-json-protocol';
import { InputFields } from '../aws-json/input-fields';
import type { JsonObject } from '../aws-json/json';
import type { RuleModel, RuleTargetModel } from '../template/stack-model';
import { archiveReplayOperations } from './archive-replay-operations';
import type { PutEventsEntry } from './event-entry';
import { eventBridgeInputErrors } from './input-errors';
import { PutEventsRequestError, type LocalEventBridge } from './local-event-bridge';

/**
 * The EventBridge API in the AWS JSON 1.1 protocol: PutEvents, read-only calls for tools, and the
 * template's archives with their replays.
 */
export function eventBridgeService(eventBridge: LocalEventBridge): AwsJsonService {
  const fields = (input: JsonObject) => new InputFields(input, eventBridgeInputErrors);
  const busOf = (input: JsonObject, member: string) => {
    const name = fields(input).optionalString(member) ?? 'default';
    const bus = eventBridge.findBus(name);
    if (!bus) throw new AwsServiceError('ResourceNotFoundException', `Event bus ${name} does not exist.`);
    return bus;
  };

  return {
    targetPrefix: 'AWSEvents',
    jsonVersion: '1.1',
    errorTypePrefix: '',
    queryCompatible: false,
    operations: {
      ...archiveReplayOperations(eventBridge),
      PutEvents: async (input) => {
        const entries = (fields(input).optionalObjectList('Entries') ?? []).map(putEventsEntryOf);
        try {
          const results = await eventBridge.putEvents(entries);
          return {
            FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length,
            Entries: results.map((result) => ({ ...result })),
          };
        } catch (error) {
          if (error instanceof PutEventsRequestError)
            throw new AwsServiceError('ValidationException', error.message);
          throw error;
        }
      },
      DescribeEventBus: (input) => {
        const bus = busOf(input, 'Name');
        return { Name: bus.name, Arn: bus.arn };
      },
      ListEventBuses: (input) => {
        const prefix = fields(input).optionalString('NamePrefix') ?? '';
        const buses = eventBridge.eventBuses.filter((bus) => bus.name.startsWith(prefix));
        return { EventBuses: buses.map((bus) => ({ Name: bus.name, Arn: bus.arn })) };
      },
      ListRules: (input) => {
        const bus = busOf(input, 'EventBusName');
        const prefix = fields(input).optionalString('NamePrefix') ?? '';
        const rules = eventBridge.rulesOf(bus.name).filter((rule) => rule.name.startsWith(prefix));
        return { Rules: rules.map(ruleJson) };
      },
      ListTargetsByRule: (input) => {
        const bus = busOf(input, 'EventBusName');
        const name = fields(input).requiredString('Rule');
        const rule = eventBridge.rulesOf(bus.name).find((candidate) => candidate.name === name);
        if (!rule)
          throw new AwsServiceError(
            'ResourceNotFoundException',
            `Rule ${name} does not exist on EventBus ${bus.name}.`,
          );
        return { Targets: rule.targets.map(targetJson) };
      },
    },
  };
}

/** An entry with the member types the API model declares (the content is checked per entry later). */
function putEventsEntryOf(entry: JsonObject): PutEventsEntry {
  const member = new InputFields(entry, eventBridgeInputErrors);
  const time = entry.Time;
  if (time !== undefined && typeof time !== 'number')
    throw eventBridgeInputErrors.invalid('Time must be a timestamp.');
  return {
    Source: member.optionalString('Source'),
    DetailType: member.optionalString('DetailType'),
    Detail: member.optionalString('Detail'),
    Resources: member.optionalStringList('Resources'),
    Time: time,
    EventBusName: member.optionalString('EventBusName'),
    TraceHeader: member.optionalString('TraceHeader'),
  };
}

function ruleJson(rule: RuleModel): JsonObject {
  return {
    Name: rule.name,
    Arn: rule.arn,
    EventPattern: JSON.stringify(rule.eventPattern),
    State: rule.enabled ? 'ENABLED' : 'DISABLED',
    EventBusName: rule.eventBusName,
  };
}

function targetJson(target: RuleTargetModel): JsonObject {
  const json: JsonObject = { Id: target.id, Arn: target.arn };
  if (target.roleArn) json.RoleArn = target.roleArn;
  if (target.deadLetterArn) json.DeadLetterConfig = { Arn: target.deadLetterArn };
  if (target.retryPolicy) {
    const policy: JsonObject = {};
    if (target.retryPolicy.maximumRetryAttempts !== undefined)
      policy.MaximumRetryAttempts = target.retryPolicy.maximumRetryAttempts;
    if (target.retryPolicy.maximumEventAgeSeconds !== undefined)
      policy.MaximumEventAgeInSeconds = target.retryPolicy.maximumEventAgeSeconds;
    json.RetryPolicy = policy;
  }
  if (target.input !== undefined) json.Input = target.input;
  if (target.inputPath !== undefined) json.InputPath = target.inputPath;
  return json;
}
