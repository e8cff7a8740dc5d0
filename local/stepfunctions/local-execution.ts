import {
  ExecutionAbortedError,
  ExecutionError,
  ExecutionTimeoutError,
  type StateMachine,
} from 'aws-local-stepfunctions';
import type { JsonValue } from '../aws-json/json';
import type { ExecutionHistory } from './execution-history';
import { exceedsPayloadQuota, inputTooLarge, taskResultTooLarge, type QuotaBreach } from './quotas';
import { QuotaExceeded } from './task-errors';
import type { TaskHandler } from './task-handlers';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface ExecutionStart {
  readonly arn: string;
  readonly name: string;
  readonly stateMachineArn: string;
  readonly stateMachineName: string;
  /** The execution input as JSON text (already checked). */
  readonly input: string;
  readonly runner: StateMachine;
  readonly handlers: Readonly<Record<string, TaskHandler>>;
  readonly history: ExecutionHistory;
}

interface Outcome {
  readonly status: Exclude<ExecutionStatus, 'RUNNING'>;
  readonly output?: string;
  readonly error?: string;
  readonly cause?: string;
}

/**
 * One execution of a state machine, run by aws-local-stepfunctions, with what DescribeExecution shows.
 * It fails as AWS fails an execution that breaks a quota (quotas.ts): the history finds a state input or
 * output over the payload quota, or itself full; the Task handlers find their input or result over it.
 * Then the execution is FAILED at once and its run aborted, and no Task starts after that: the runner's
 * events reach the history a moment after they happen, so every Task first waits for them (one
 * macrotask) and refuses to run once the execution has broken a quota.
 */
export class LocalExecution {
  readonly arn: string;
  readonly name: string;
  readonly stateMachineArn: string;
  readonly input: string;
  readonly history: ExecutionHistory;
  readonly startDate = Date.now();
  /** Settles when the execution has ended and its history is complete. */
  readonly finished: Promise<void>;
  private outcome: (Outcome & { readonly stopDate: number }) | undefined;
  private breach: QuotaBreach | undefined;
  private readonly abort: () => void;

  constructor(start: ExecutionStart) {
    this.arn = start.arn;
    this.name = start.name;
    this.stateMachineArn = start.stateMachineArn;
    this.input = start.input;
    this.history = start.history;
    const handlers = Object.entries(start.handlers).map(([state, handler]) => [
      state,
      this.guarded(state, handler),
    ]);
    const run = start.runner.run(JSON.parse(start.input) as JsonValue, {
      overrides: { taskResourceLocalHandlers: Object.fromEntries(handlers) },
      // $$.Execution.Name is the ingestion id in this project's workflow.
      context: {
        Execution: { Id: start.arn, Name: start.name },
        StateMachine: { Id: start.stateMachineArn, Name: start.stateMachineName },
      },
    });
    this.abort = run.abort;
    const ended = run.result.then(
      (output): Outcome => ({ status: 'SUCCEEDED', output: JSON.stringify(output) }),
      outcomeOf,
    );
    const logged = (async () => {
      for await (const event of run.eventLogs) {
        const breach = start.history.record(event);
        if (breach) this.fail(breach);
      }
    })();
    // The run's own ending counts only once its events are recorded: one of them may break a quota.
    this.finished = Promise.all([ended, logged]).then(([outcome]) => this.settle(outcome));
  }

  get status(): ExecutionStatus {
    return this.outcome?.status ?? 'RUNNING';
  }

  get stopDate(): number | undefined {
    return this.outcome?.stopDate;
  }

  get output(): string | undefined {
    return this.outcome?.output;
  }

  get error(): string | undefined {
    return this.outcome?.error;
  }

  get cause(): string | undefined {
    return this.outcome?.cause;
  }

  /** StopExecution: ends a running execution as ABORTED (a Task already running finishes in the background). */
  stop(error?: string, cause?: string): void {
    if (this.outcome) return;
    this.settle({ status: 'ABORTED', error, cause });
    this.abort();
  }

  /** Wraps a Task handler in the quota checks: see the class comment. */
  private guarded(stateName: string, handler: TaskHandler): TaskHandler {
    return async (input) => {
      await new Promise((resolve) => setImmediate(resolve));
      if (this.breach) throw new QuotaExceeded(this.breach);
      if (exceedsPayloadQuota(JSON.stringify(input ?? null))) {
        this.failTask(inputTooLarge(stateName, stateName));
      }
      const result = await handler(input);
      if (exceedsPayloadQuota(JSON.stringify(result ?? null))) {
        this.failTask(taskResultTooLarge(stateName, this.history.tasks.get(stateName)));
      }
      return result;
    };
  }

  private failTask(breach: QuotaBreach): never {
    this.fail(breach);
    throw new QuotaExceeded(breach);
  }

  /** Fails the execution on a quota breach, as AWS does: no Retry or Catch applies, the run stops. */
  private fail(breach: QuotaBreach): void {
    if (this.outcome) return;
    this.breach = breach;
    this.settle({ status: 'FAILED', error: breach.error, cause: breach.cause });
    this.history.fail(breach);
    this.abort();
  }

  private settle(outcome: Outcome): void {
    this.outcome ??= { ...outcome, stopDate: Date.now() };
  }
}

function outcomeOf(error: unknown): Outcome {
  if (error instanceof ExecutionTimeoutError) {
    return {
      status: 'TIMED_OUT',
      error: 'States.Timeout',
      cause: 'The execution ran longer than its TimeoutSeconds.',
    };
  }
  if (error instanceof ExecutionAbortedError) return { status: 'ABORTED' };
  // ExecutionError wraps what failed the execution: its name is the States error, its message the cause.
  const failure = error instanceof ExecutionError && error.cause instanceof Error ? error.cause : error;
  if (failure instanceof Error) return { status: 'FAILED', error: failure.name, cause: failure.message };
  return { status: 'FAILED', error: 'States.Runtime', cause: String(failure) };
}
