import type { StateMachine } from 'aws-local-stepfunctions';
import type { JsonObject, JsonValue } from '../aws-json/json';
import type { TaskResource } from './prepared-types';
import {
  exceedsPayloadQuota,
  HISTORY_LIMIT_REACHED,
  inputTooLarge,
  MAX_HISTORY_EVENTS,
  resultTooLarge,
  type QuotaBreach,
} from './quotas';

/** An event aws-local-stepfunctions logs while it runs (the package does not export the type). */
type RunEvent =
  ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer Event> ? Event : never;

interface HistoryEvent {
  readonly type: string;
  readonly detailsKey?: string;
  readonly details?: JsonObject;
}

/** What one runner event comes to: history events, or the quota it breaks. */
type Entry = HistoryEvent | { readonly breach: QuotaBreach };

/** The events that end an execution: the last place in a full history is kept for them. */
const ENDINGS = new Set(['ExecutionSucceeded', 'ExecutionFailed', 'ExecutionAborted', 'ExecutionTimedOut']);

/**
 * The execution's events in the shape GetExecutionHistory returns, as many as AWS records, so that the
 * 25,000-event quota (quotas.ts) is reached where AWS reaches it. What AWS records, after the Step
 * Functions API Reference (GetExecutionHistory; HistoryEvent and its `type` values) and execution
 * histories recorded against AWS (localstack's AWS-validated snapshots, e.g. test_states_errors):
 * - every state: `<Type>StateEntered`, and `<Type>StateExited` unless it fails (a Fail state is only entered);
 * - a Task, after entering: for a Lambda function ARN as resource LambdaFunctionScheduled,
 *   LambdaFunctionStarted, then LambdaFunctionSucceeded / Failed / TimedOut; for an integration
 *   TaskScheduled, TaskStarted, then TaskSucceeded / Failed / TimedOut; each retry schedules and starts
 *   it again;
 * - an inline Map: MapStateStarted after entering, MapIterationStarted and MapIterationSucceeded / Failed
 *   per item, MapStateSucceeded / Failed before exiting; a Parallel: ParallelStateStarted and
 *   ParallelStateSucceeded / Failed (no event per branch);
 * - ExecutionStarted, then ExecutionSucceeded / Failed / TimedOut / Aborted.
 * A catch has no event of its own: the caught state exits with the error as output. Details the local
 * runner does not give (a Task's effective parameters and raw result, a Map's item count) are left out.
 * Recording checks the payload quota on every state's input and output too.
 */
export class ExecutionHistory {
  private readonly events: JsonObject[] = [];
  /** Caught Task, Map and Parallel states (instanceKey): they exit without succeeding. */
  private readonly caught = new Set<string>();
  private closed = false;

  constructor(readonly tasks: ReadonlyMap<string, TaskResource>) {}

  get all(): readonly JsonObject[] {
    return this.events;
  }

  /**
   * Records what AWS records for the runner's event. When that breaks a quota it records no more of it
   * and returns the breach, for the caller to fail the execution with (`fail`).
   */
  record(event: RunEvent): QuotaBreach | undefined {
    if (this.closed) return undefined;
    for (const entry of this.entriesFor(event)) {
      if ('breach' in entry) return entry.breach;
      // AWS's ExecutionFailed for a full history is its 25,000th event. (That an execution's own ending
      // may take that place is an assumption: no source shows one.)
      if (this.events.length >= MAX_HISTORY_EVENTS - 1 && !ENDINGS.has(entry.type)) {
        return HISTORY_LIMIT_REACHED;
      }
      this.append(entry, event.timestamp);
    }
    return undefined;
  }

  /** Ends the history with the execution failing on a breach; the aborted run's later events are dropped. */
  fail(breach: QuotaBreach): void {
    if (this.closed) return;
    this.closed = true;
    const now = Date.now();
    if (breach.failedTask && this.events.length < MAX_HISTORY_EVENTS - 1) {
      this.append(this.taskFailure(breach.failedTask, breach.error, breach.cause), now);
    }
    this.append(executionEvent('ExecutionFailed', errorFields(breach.error, breach.cause)), now);
  }

  private append(event: HistoryEvent, timestamp: number): void {
    const id = this.events.length + 1;
    const recorded: JsonObject = {
      timestamp: timestamp / 1000,
      type: event.type,
      id,
      previousEventId: id - 1,
    };
    if (event.detailsKey) recorded[event.detailsKey] = event.details ?? {};
    this.events.push(recorded);
  }

  private *entriesFor(event: RunEvent): Generator<Entry> {
    switch (event.type) {
      case 'ExecutionStarted':
        yield executionEvent('ExecutionStarted', dataField('input', event.input));
        return;
      case 'ExecutionSucceeded':
        yield executionEvent('ExecutionSucceeded', dataField('output', event.output));
        return;
      case 'ExecutionFailed':
        yield executionEvent('ExecutionFailed', errorFields(event.Error, event.Cause));
        return;
      case 'ExecutionAborted':
        yield executionEvent('ExecutionAborted', {});
        return;
      case 'ExecutionTimeout':
        yield executionEvent('ExecutionTimedOut', { error: 'States.Timeout' });
        return;
      case 'StateEntered':
        yield* this.entered(event.state.name, event.state.type, event.state.input);
        return;
      case 'StateExited':
        yield* this.exited(
          event.state.name,
          event.state.type,
          event.state.output ?? null,
          instanceKey(event),
        );
        return;
      case 'StateFailed':
        yield* this.failed(event.state.name, event.state.type, event.Error, event.Cause);
        return;
      case 'StateRetried':
        if (event.state.type === 'Task') yield* this.taskStart(event.state.name);
        return;
      case 'StateCaught':
        this.caught.add(instanceKey(event));
        return;
      case 'MapIterationStarted':
      case 'MapIterationSucceeded':
      case 'MapIterationFailed':
        yield {
          type: event.type,
          detailsKey: detailsKeyOf(event.type),
          details: { name: event.parentState.name, index: event.index },
        };
        return;
      default:
        // ParallelBranch* events: AWS records none per branch.
        return;
    }
  }

  private *entered(name: string, type: string, input: JsonValue): Generator<Entry> {
    const text = JSON.stringify(input);
    if (exceedsPayloadQuota(text)) {
      yield { breach: inputTooLarge(name) };
      return;
    }
    yield {
      type: `${type}StateEntered`,
      detailsKey: 'stateEnteredEventDetails',
      details: { name, input: text, inputDetails: { truncated: false } },
    };
    if (type === 'Task') yield* this.taskStart(name);
    if (type === 'Map' || type === 'Parallel') yield { type: `${type}StateStarted` };
  }

  private *exited(name: string, type: string, output: JsonValue, key: string): Generator<Entry> {
    if (!this.caught.delete(key)) yield* this.succeeded(name, type);
    const text = JSON.stringify(output);
    if (exceedsPayloadQuota(text)) {
      yield { breach: resultTooLarge(name) };
      return;
    }
    yield {
      type: `${type}StateExited`,
      detailsKey: 'stateExitedEventDetails',
      details: { name, output: text, outputDetails: { truncated: false } },
    };
  }

  private *failed(name: string, type: string, error: string, cause: unknown): Generator<Entry> {
    if (type === 'Task') yield this.taskFailure(name, error, cause);
    if (type === 'Map' || type === 'Parallel') yield { type: `${type}StateFailed` };
  }

  private *taskStart(name: string): Generator<Entry> {
    const task = this.tasks.get(name);
    if (task?.kind === 'lambda') {
      yield {
        type: 'LambdaFunctionScheduled',
        detailsKey: 'lambdaFunctionScheduledEventDetails',
        details: { resource: task.resource },
      };
      yield { type: 'LambdaFunctionStarted' };
      return;
    }
    const resource = integrationFields(task);
    yield { type: 'TaskScheduled', detailsKey: 'taskScheduledEventDetails', details: resource };
    yield { type: 'TaskStarted', detailsKey: 'taskStartedEventDetails', details: resource };
  }

  private *succeeded(name: string, type: string): Generator<Entry> {
    if (type === 'Map' || type === 'Parallel') yield { type: `${type}StateSucceeded` };
    if (type !== 'Task') return;
    const task = this.tasks.get(name);
    if (task?.kind === 'lambda') {
      yield { type: 'LambdaFunctionSucceeded', detailsKey: 'lambdaFunctionSucceededEventDetails' };
    } else {
      yield {
        type: 'TaskSucceeded',
        detailsKey: 'taskSucceededEventDetails',
        details: integrationFields(task),
      };
    }
  }

  /** LambdaFunctionFailed / TimedOut for a Lambda ARN resource, TaskFailed / TimedOut for an integration. */
  private taskFailure(name: string, error: string, cause: unknown): HistoryEvent {
    const task = this.tasks.get(name);
    const outcome = error === 'States.Timeout' ? 'TimedOut' : 'Failed';
    if (task?.kind === 'lambda') {
      const type = `LambdaFunction${outcome}`;
      return { type, detailsKey: detailsKeyOf(type), details: errorFields(error, cause) };
    }
    const type = `Task${outcome}`;
    return {
      type,
      detailsKey: detailsKeyOf(type),
      details: { ...integrationFields(task), ...errorFields(error, cause) },
    };
  }
}

function executionEvent(type: string, details: JsonObject): HistoryEvent {
  return { type, detailsKey: detailsKeyOf(type), details };
}

function detailsKeyOf(type: string): string {
  return `${type[0].toLowerCase()}${type.slice(1)}EventDetails`;
}

/** One run of a state: its name within its Map iteration (a nested Map's events carry the outer index). */
function instanceKey(event: { readonly state: { readonly name: string }; readonly index?: number }): string {
  return `${event.index ?? '-'}/${event.state.name}`;
}

/** resourceType and resource as AWS splits an integration ARN: `lambda` / `invoke`, `events` / `putEvents`. */
function integrationFields(task: TaskResource | undefined): JsonObject {
  const [resourceType = '', resource = ''] = (task?.resource ?? '').split(':').slice(5);
  return { resourceType, resource };
}

function dataField(name: 'input' | 'output', value: JsonValue): JsonObject {
  return { [name]: JSON.stringify(value), [`${name}Details`]: { truncated: false } };
}

function errorFields(error: string, cause: unknown): JsonObject {
  return { error, cause: typeof cause === 'string' ? cause : JSON.stringify(cause ?? null) };
}
