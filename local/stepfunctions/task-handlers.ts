import type { S3Client } from '@aws-sdk/client-s3';
import { isJsonObject, type JsonValue } from '../aws-json/json';
import type { PutEventsEntry } from '../eventbridge/event-entry';
import type { PutEventsResultEntry } from '../eventbridge/local-event-bridge';
import type { LambdaInvoker } from '../lambda/in-process-lambdas';
import type { TaskResource } from './prepared-types';
import { runPutEventsTask, type EventPublisher } from './put-events-task';
import { TaskFailure, UnsupportedTask } from './task-errors';

/** How an AWS service puts its own events (`aws.*` sources) on a bus: LocalEventBridge.putEvent. */
export interface ServiceEventPublisher {
  putEvent(busName: string, entry: Omit<PutEventsEntry, 'EventBusName'>): Promise<PutEventsResultEntry>;
}

/** What Task states (and Distributed Map states) reach: the stack's Lambdas, the local EventBridge, S3. */
export interface TaskIntegrations {
  readonly lambdas: LambdaInvoker;
  readonly events: EventPublisher;
  /** Where Step Functions puts "Execution Status Change" events (the default bus); none when absent. */
  readonly serviceEvents?: ServiceEventPublisher;
  /** S3 for Distributed Map ItemReader / ResultWriter; default: a client of the SDK's environment. */
  readonly s3?: () => S3Client;
}

export type TaskHandler = (input: JsonValue) => Promise<JsonValue>;

/**
 * One execution's handlers for its Task states, keyed by state name (how aws-local-stepfunctions
 * overrides a Task's resource). A Lambda function ARN as Resource returns the handler's result as is
 * (`payloadResponseOnly`); `lambda:invoke` wraps it as the Invoke response; both fail with the name of
 * what the handler threw.
 */
export function taskHandlers(
  tasks: ReadonlyMap<string, TaskResource>,
  integrations: TaskIntegrations,
  caller: { readonly executionArn: string; readonly stateMachineArn: string },
): Record<string, TaskHandler> {
  const handlerFor = (task: TaskResource): TaskHandler => {
    switch (task.kind) {
      case 'lambda':
        return (input) => integrations.lambdas.invoke(task.resource, input);
      case 'lambda-invoke':
        return async (input) => {
          const parameters = isJsonObject(input) ? input : {};
          if (typeof parameters.FunctionName !== 'string') {
            throw new TaskFailure('Lambda.InvalidParameterValueException', 'FunctionName is required.');
          }
          const payload = await integrations.lambdas.invoke(
            parameters.FunctionName,
            parameters.Payload ?? {},
          );
          return { ExecutedVersion: '$LATEST', Payload: payload, StatusCode: 200 };
        };
      case 'put-events':
        return (input) => runPutEventsTask(integrations.events, input, caller);
      case 'unsupported':
        return () => Promise.reject(new UnsupportedTask(`Task resource ${task.resource}: ${task.reason}.`));
    }
  };
  return Object.fromEntries([...tasks].map(([name, task]) => [name, handlerFor(task)]));
}
