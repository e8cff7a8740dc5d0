import type { StateMachine } from 'aws-local-stepfunctions';
import type { JsonObject, JsonValue } from '../aws-json/json';
import type { TaskResource } from './prepared-definition';

/** An event aws-local-stepfunctions logs while it runs (the package does not export the type). */
type RunEvent =
  ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer Event> ? Event : never;

/**
 * The execution's events in the shape GetExecutionHistory returns: execution and state transitions,
 * Map iterations and Task failures. Retries and catches have no event of their own in AWS either (they
 * show as the state being entered again, or the catcher's state being entered).
 */
export class ExecutionHistory {
  private readonly events: JsonObject[] = [];

  constructor(private readonly tasks: ReadonlyMap<string, TaskResource>) {}

  get all(): readonly JsonObject[] {
    return this.events;
  }

  record(event: RunEvent): void {
    const mapped = this.describe(event);
    if (!mapped) return;
    const [type, detailsKey, details] = mapped;
    const id = this.events.length + 1;
    this.events.push({
      timestamp: event.timestamp / 1000,
      type,
      id,
      previousEventId: id - 1,
      [detailsKey]: details,
    });
  }

  private describe(event: RunEvent): [string, string, JsonObject] | undefined {
    switch (event.type) {
      case 'ExecutionStarted':
        return ['ExecutionStarted', 'executionStartedEventDetails', dataField('input', event.input)];
      case 'ExecutionSucceeded':
        return ['ExecutionSucceeded', 'executionSucceededEventDetails', dataField('output', event.output)];
      case 'ExecutionFailed':
        return ['ExecutionFailed', 'executionFailedEventDetails', errorFields(event.Error, event.Cause)];
      case 'ExecutionAborted':
        return ['ExecutionAborted', 'executionAbortedEventDetails', {}];
      case 'ExecutionTimeout':
        return ['ExecutionTimedOut', 'executionTimedOutEventDetails', { error: 'States.Timeout' }];
      case 'StateEntered':
        return [
          `${event.state.type}StateEntered`,
          'stateEnteredEventDetails',
          { name: event.state.name, ...dataField('input', event.state.input) },
        ];
      case 'StateExited':
        return [
          `${event.state.type}StateExited`,
          'stateExitedEventDetails',
          { name: event.state.name, ...dataField('output', event.state.output ?? null) },
        ];
      case 'StateFailed':
        return this.taskFailure(event.state.name, errorFields(event.Error, event.Cause));
      case 'MapIterationStarted':
      case 'MapIterationSucceeded':
      case 'MapIterationFailed': {
        const detailsKey = `${event.type[0].toLowerCase()}${event.type.slice(1)}EventDetails`;
        return [event.type, detailsKey, { name: event.parentState.name, index: event.index }];
      }
      default:
        return undefined;
    }
  }

  /** LambdaFunctionFailed for a Lambda ARN resource, TaskFailed for an integration; nothing for other states. */
  private taskFailure(stateName: string, error: JsonObject): [string, string, JsonObject] | undefined {
    const task = this.tasks.get(stateName);
    if (!task) return undefined;
    if (task.kind === 'lambda') return ['LambdaFunctionFailed', 'lambdaFunctionFailedEventDetails', error];
    const [resourceType = '', resource = ''] = task.resource.split(':').slice(5);
    return ['TaskFailed', 'taskFailedEventDetails', { resourceType, resource, ...error }];
  }
}

function dataField(name: 'input' | 'output', value: JsonValue): JsonObject {
  return { [name]: JSON.stringify(value), [`${name}Details`]: { truncated: false } };
}

function errorFields(error: string, cause: unknown): JsonObject {
  return { error, cause: typeof cause === 'string' ? cause : JSON.stringify(cause ?? null) };
}
