import { randomUUID } from 'node:crypto';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { AwsServiceError } from '../aws-json/aws-service-error';
import type { StateMachineStarter } from '../eventbridge/target-delivery';
import type { ResourceListing, StateMachineModel } from '../template/stack-model';
import { ExecutionHistory } from './execution-history';
import { LocalExecution, type ExecutionStatus } from './local-execution';
import { prepareDefinition, type PreparedDefinition } from './prepared-definition';
import { taskHandlers, type TaskIntegrations } from './task-handlers';

export interface StartExecutionRequest {
  readonly stateMachineArn: string;
  /** JSON text; default `{}`. */
  readonly input?: string;
  /** Default: a random UUID. */
  readonly name?: string;
}

interface LoadedStateMachine {
  readonly model: StateMachineModel;
  readonly prepared: PreparedDefinition;
  /** Undefined when the definition cannot run locally (prepared.notRunnable or the library refused it). */
  readonly runner: StateMachine | undefined;
  readonly notRunnable: string | undefined;
}

/** Execution names as AWS accepts them: 1–80 characters, none of these, no control characters. */
const FORBIDDEN_NAME_CHARACTERS = /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/;
const isControlCharacter = (character: string) => {
  const code = character.codePointAt(0) ?? 0;
  return code < 0x20 || (code >= 0x7f && code <= 0x9f);
};

/**
 * Step Functions for the state machines of the stack: executions run the template's ASL with
 * aws-local-stepfunctions, their Task states reaching the in-process Lambdas and the local EventBridge.
 * EventBridge's state machine targets start executions through it too. Errors are AwsServiceError
 * with the API's error names (StateMachineDoesNotExist, ExecutionDoesNotExist, ExecutionAlreadyExists, …).
 */
export class LocalStepFunctions implements StateMachineStarter {
  private readonly machines = new Map<string, LoadedStateMachine>();
  private readonly executions = new Map<string, LocalExecution>();

  constructor(
    stateMachines: readonly StateMachineModel[],
    private readonly integrations: TaskIntegrations,
  ) {
    for (const model of stateMachines) this.machines.set(model.arn, load(model, integrations));
  }

  get stateMachines(): readonly StateMachineModel[] {
    return [...this.machines.values()].map(({ model }) => model);
  }

  /** What of the state machines will not run as in AWS: Task resources not emulated, definitions refused. */
  get unsupported(): ResourceListing[] {
    const type = 'AWS::StepFunctions::StateMachine';
    return [...this.machines.values()].flatMap(({ model, prepared, notRunnable }) => {
      const listing = (reason: string) => ({ logicalId: model.logicalId, type, reason });
      const tasks = [...prepared.tasks].flatMap(([state, task]) =>
        task.kind === 'unsupported'
          ? [listing(`state ${state}: ${task.resource} fails locally (${task.reason})`)]
          : [],
      );
      return notRunnable ? [listing(`cannot run locally: ${notRunnable}`), ...tasks] : tasks;
    });
  }

  /** EventBridge's StateMachineStarter: resolves once the execution has started, not when it ends. */
  async startExecution(stateMachineArn: string, input: string): Promise<LocalExecution> {
    return this.start({ stateMachineArn, input });
  }

  describeExecution(executionArn: string): LocalExecution {
    const execution = this.executions.get(executionArn);
    if (!execution)
      throw new AwsServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    return execution;
  }

  /** Newest first, as AWS lists them. */
  listExecutions(stateMachineArn: string, status?: ExecutionStatus): LocalExecution[] {
    this.machine(stateMachineArn);
    return [...this.executions.values()]
      .filter((execution) => execution.stateMachineArn === stateMachineArn)
      .filter((execution) => status === undefined || execution.status === status)
      .reverse();
  }

  stopExecution(executionArn: string, error?: string, cause?: string): LocalExecution {
    const execution = this.describeExecution(executionArn);
    execution.stop(error, cause);
    return execution;
  }

  /** Ends every running execution (ABORTED), so no timer or Task keeps the process alive after a stop. */
  async stop(): Promise<void> {
    const running = [...this.executions.values()].filter((execution) => execution.status === 'RUNNING');
    running.forEach((execution) => execution.stop('LocalRuntime.Stopped', 'The local runtime was stopped.'));
    await Promise.all(running.map((execution) => execution.finished));
  }

  /** StartExecution: the new execution, running. */
  start(request: StartExecutionRequest): LocalExecution {
    const machine = this.machine(request.stateMachineArn);
    const input = request.input ?? '{}';
    checkInput(input);
    const name = request.name ?? randomUUID();
    checkName(name);
    const arn = machine.model.arn.replace(':stateMachine:', ':execution:') + `:${name}`;
    const existing = this.executions.get(arn);
    // AWS answers a repeated start of a running execution with the same input with that execution.
    if (existing?.status === 'RUNNING' && existing.input === input) return existing;
    if (existing) throw new AwsServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    if (!machine.runner) {
      throw new AwsServiceError(
        'InvalidDefinition',
        `${machine.model.name} cannot run locally: ${machine.notRunnable ?? 'invalid definition'}`,
      );
    }
    const caller = { executionArn: arn, stateMachineArn: machine.model.arn };
    const execution = new LocalExecution({
      arn,
      name,
      stateMachineArn: machine.model.arn,
      stateMachineName: machine.model.name,
      input,
      runner: machine.runner,
      handlers: taskHandlers(machine.prepared.tasks, this.integrations, caller),
      history: new ExecutionHistory(machine.prepared.tasks),
    });
    this.executions.set(arn, execution);
    return execution;
  }

  private machine(stateMachineArn: string): LoadedStateMachine {
    const machine = this.machines.get(stateMachineArn);
    if (!machine) {
      throw new AwsServiceError(
        'StateMachineDoesNotExist',
        `State Machine Does Not Exist: '${stateMachineArn}'`,
      );
    }
    return machine;
  }
}

function load(model: StateMachineModel, integrations: TaskIntegrations): LoadedStateMachine {
  const prepared = prepareDefinition(model.definition, integrations.lambdas);
  if (prepared.notRunnable) return { model, prepared, runner: undefined, notRunnable: prepared.notRunnable };
  try {
    const runner = new StateMachine(prepared.definition as unknown as StateMachineDefinition);
    return { model, prepared, runner, notRunnable: undefined };
  } catch (error) {
    return { model, prepared, runner: undefined, notRunnable: (error as Error).message };
  }
}

function checkInput(input: string): void {
  try {
    JSON.parse(input);
  } catch {
    throw new AwsServiceError(
      'InvalidExecutionInput',
      'Invalid State Machine Execution Input: not valid JSON',
    );
  }
}

function checkName(name: string): void {
  if (
    name.length < 1 ||
    name.length > 80 ||
    FORBIDDEN_NAME_CHARACTERS.test(name) ||
    [...name].some(isControlCharacter)
  ) {
    throw new AwsServiceError('InvalidName', `Invalid Name: '${name}'`);
  }
}
