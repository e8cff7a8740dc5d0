import { isJsonObject, type JsonObject, type JsonValue } from '../aws-json/json';
import type { PutEventsEntry } from '../eventbridge/event-entry';
import { PutEventsRequestError, type PutEventsResultEntry } from '../eventbridge/local-event-bridge';
import { TaskFailure } from './task-errors';

/** Where the events go: the local EventBridge. */
export interface EventPublisher {
  putEvents(entries: readonly PutEventsEntry[]): Promise<PutEventsResultEntry[]>;
}

/**
 * The optimized `arn:aws:states:::events:putEvents` integration: the task's `Entries` (a `Detail` object
 * is sent as its JSON text) with the execution and state machine ARNs appended to each entry's
 * `Resources`; its result is the PutEvents response. A response with failed entries fails the task with
 * `EventBridge.FailedEntry`, as AWS documents; a refused request with `EventBridge.ValidationException`.
 */
export async function runPutEventsTask(
  publisher: EventPublisher,
  parameters: JsonValue,
  caller: { readonly executionArn: string; readonly stateMachineArn: string },
): Promise<JsonValue> {
  const entries = isJsonObject(parameters) ? parameters.Entries : undefined;
  if (!Array.isArray(entries) || !entries.every(isJsonObject)) {
    throw new TaskFailure('EventBridge.ValidationException', 'Parameters must hold a list of Entries.');
  }
  let results: PutEventsResultEntry[];
  try {
    results = await publisher.putEvents(
      entries.map((entry) => putEventsEntry(entry, [caller.executionArn, caller.stateMachineArn])),
    );
  } catch (error) {
    if (!(error instanceof PutEventsRequestError)) throw error;
    throw new TaskFailure('EventBridge.ValidationException', error.message);
  }
  const response: JsonObject = {
    Entries: results.map((result) => ({ ...result })),
    FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length,
  };
  if (response.FailedEntryCount !== 0)
    throw new TaskFailure('EventBridge.FailedEntry', JSON.stringify(response));
  return response;
}

function putEventsEntry(entry: JsonObject, callerArns: readonly string[]): PutEventsEntry {
  const text = (value: JsonValue | undefined) => (typeof value === 'string' ? value : undefined);
  const resources = Array.isArray(entry.Resources)
    ? entry.Resources.filter((item) => typeof item === 'string')
    : [];
  return {
    Source: text(entry.Source),
    DetailType: text(entry.DetailType),
    Detail:
      entry.Detail === undefined || typeof entry.Detail === 'string'
        ? entry.Detail
        : JSON.stringify(entry.Detail),
    EventBusName: text(entry.EventBusName),
    Resources: [...resources, ...callerArns],
    TraceHeader: text(entry.TraceHeader),
  };
}
