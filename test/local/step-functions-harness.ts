import * as path from 'node:path';
import type { JsonObject } from '../../local/aws-json/json';
import type { PutEventsEntry } from '../../local/eventbridge/event-entry';
import type { PutEventsResultEntry } from '../../local/eventbridge/local-event-bridge';
import { InProcessLambdas } from '../../local/lambda/in-process-lambdas';
import type { LocalExecution } from '../../local/stepfunctions/local-execution';
import { LocalStepFunctions } from '../../local/stepfunctions/local-step-functions';
import type { FunctionModel, StateMachineModel } from '../../local/template/stack-model';

export const ACCOUNT_PREFIX = 'arn:aws:lambda:us-east-1:000000000000:function';
const FIXTURE_SOURCE = path.join(__dirname, 'fixtures', 'task-handlers.ts');

/** A function of the fixture module: ARN `${ACCOUNT_PREFIX}:<exportName>`. */
export function fixtureFunction(exportName: string, timeoutSeconds = 30): FunctionModel {
  return {
    logicalId: exportName,
    name: exportName,
    arn: `${ACCOUNT_PREFIX}:${exportName}`,
    constructPath: `Test/${exportName}/Function/Resource`,
    handlerSource: FIXTURE_SOURCE,
    handlerExport: exportName,
    environment: {},
    timeoutSeconds,
    memorySize: 128,
  };
}

export const lambdaArn = (exportName: string) => `${ACCOUNT_PREFIX}:${exportName}`;

export function stateMachine(name: string, definition: JsonObject): StateMachineModel {
  return {
    logicalId: name,
    name,
    arn: `arn:aws:states:us-east-1:000000000000:stateMachine:${name}`,
    type: 'STANDARD',
    definition,
  };
}

/** EventBridge stand-in: records entries; entries whose Source is `fail` are refused. */
export class RecordingEvents {
  readonly entries: PutEventsEntry[] = [];

  async putEvents(entries: readonly PutEventsEntry[]): Promise<PutEventsResultEntry[]> {
    this.entries.push(...entries);
    return entries.map((entry) =>
      entry.Source === 'fail'
        ? { ErrorCode: 'InternalFailure', ErrorMessage: 'refused by the test' }
        : { EventId: `event-${this.entries.length}` },
    );
  }
}

export function stepFunctionsWith(
  machines: readonly StateMachineModel[],
  functions: readonly FunctionModel[],
) {
  const events = new RecordingEvents();
  const stepFunctions = new LocalStepFunctions(machines, {
    lambdas: new InProcessLambdas(functions),
    events,
  });
  return { stepFunctions, events };
}

export async function finished(execution: LocalExecution): Promise<LocalExecution> {
  await execution.finished;
  return execution;
}
