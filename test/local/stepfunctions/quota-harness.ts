import * as path from 'node:path';
import type { JsonObject } from '../../../local/aws-json/json';
import type { LocalExecution } from '../../../local/stepfunctions/local-execution';
import type { FunctionModel } from '../../../local/template/stack-model';
import { ACCOUNT_PREFIX, finished, stateMachine, stepFunctionsWith } from '../step-functions-harness';

const HANDLERS_SOURCE = path.join(__dirname, 'quota-task-handlers.ts');

/** A function of quota-task-handlers.ts: ARN `${ACCOUNT_PREFIX}:<exportName>`. */
export function quotaFunction(exportName: string): FunctionModel {
  return {
    logicalId: exportName,
    name: exportName,
    arn: lambdaArn(exportName),
    constructPath: `Test/${exportName}/Function/Resource`,
    handlerSource: HANDLERS_SOURCE,
    handlerExport: exportName,
    environment: {},
    timeoutSeconds: 30,
    memorySize: 128,
  };
}

export const lambdaArn = (exportName: string) => `${ACCOUNT_PREFIX}:${exportName}`;

/** A putEvents Task: its entries reach the harness's RecordingEvents, so a test sees whether it ran. */
export function emitTask(detailType: string, next: JsonObject): JsonObject {
  return {
    Type: 'Task',
    Resource: 'arn:aws:states:::events:putEvents',
    Parameters: { Entries: [{ Source: 'test.quotas', DetailType: detailType, Detail: { ran: true } }] },
    ResultPath: null,
    ...next,
  };
}

/** Step Functions with these state machines and quota-task-handlers.ts's functions; `run` waits for an execution's end. */
export function runner(definitions: Record<string, JsonObject>, functions: readonly string[]) {
  const machines = Object.entries(definitions).map(([name, definition]) => stateMachine(name, definition));
  const { stepFunctions, events } = stepFunctionsWith(machines, functions.map(quotaFunction));
  const run = (machine: string, input: unknown, name?: string): Promise<LocalExecution> =>
    finished(
      stepFunctions.start({
        stateMachineArn: `arn:aws:states:us-east-1:000000000000:stateMachine:${machine}`,
        input: JSON.stringify(input),
        name,
      }),
    );
  return { run, events, stop: () => stepFunctions.stop() };
}

/** The history's event types, in order. */
export const eventTypes = (execution: LocalExecution) => execution.history.all.map((event) => event.type);

/** The names of the states the execution entered. */
export function enteredStates(execution: LocalExecution): string[] {
  return execution.history.all.flatMap((event) => {
    const details = event.stateEnteredEventDetails;
    return details && typeof details === 'object' && !Array.isArray(details) ? [String(details.name)] : [];
  });
}
