import {
  ExecutionAbortedError,
  ExecutionError,
  ExecutionTimeoutError,
  type StateMachine,
} from 'aws-local-stepfunctions';
import type { JsonValue } from '../aws-json/json';
import type { ExecutionHistory } from './execution-history';
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

/** One execution of a state machine, run by aws-local-stepfunctions, with what DescribeExecution shows. */
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
  private readonly abort: () => void;

  constructor(start: ExecutionStart) {
    this.arn = start.arn;
    this.name = start.name;
    this.stateMachineArn = start.stateMachineArn;
    this.input = start.input;
    this.history = start.history;
    const run = start.runner.run(JSON.parse(start.input) as JsonValue, {
      overrides: { taskResourceLocalHandlers: { ...start.handlers } },
      // $$.Execution.Name is the ingestion id in this project's workflow.
      context: {
        Execution: { Id: start.arn, Name: start.name },
        StateMachine: { Id: start.stateMachineArn, Name: start.stateMachineName },
      },
    });
    this.abort = run.abort;
    const settled = run.result.then(
      (output) => this.settle({ status: 'SUCCEEDED', output: JSON.stringify(output) }),
      (error: unknown) => this.settle(outcomeOf(error)),
    );
    const logged = (async () => {
      for await (const event of run.eventLogs) start.history.record(event);
    })();
    this.finished = Promise.all([settled, logged]).then(() => undefined);
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
