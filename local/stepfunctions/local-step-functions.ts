import { randomUUID } from 'node:crypto';
import { S3Client } from '@aws-sdk/client-s3';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { AwsServiceError } from '../aws-json/aws-service-error';
import type { JsonObject, JsonValue } from '../aws-json/json';
import { entrySize, type PutEventsEntry } from '../eventbridge/event-entry';
import type { StateMachineStarter } from '../eventbridge/target-delivery';
import type { ResourceListing, StateMachineModel } from '../template/stack-model';
import { runMapRun, type ChildStart } from './distributed-map/map-run';
import type { MapRunRequest } from './distributed-map/map-state';
import { ExecutionHistory } from './execution-history';
import { LocalExecution, type ExecutionStatus } from './local-execution';
import { prepareDefinition } from './prepared-definition';
import type { PreparedDefinition } from './prepared-types';
import { taskHandlers, type TaskHandler, type TaskIntegrations } from './task-handlers';

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

/** An execution to run: a state machine's (or a Distributed Map's ItemProcessor's) and its identity. */
interface Launch {
  readonly arn: string;
  readonly name: string;
  readonly stateMachineArn: string;
  readonly stateMachineName: string;
  readonly input: string;
  readonly prepared: PreparedDefinition;
  readonly runner: StateMachine;
  readonly type: string;
  readonly mapRunChild: boolean;
}

/** The runners of Distributed Maps' ItemProcessors, made (and so checked) when their machine loads. */
const processorRunners = new WeakMap<PreparedDefinition, StateMachine>();

/** EventBridge's limit for an event; a bigger status event leaves input and output out. */
const MAX_EVENT_BYTES = 256 * 1024;

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
  /** Map Runs under way, settled (never rejecting) when they end. */
  private readonly mapRuns = new Set<Promise<void>>();
  private ownS3: S3Client | undefined;

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

  /**
   * Ends every running execution (ABORTED) and the Map Runs' children with them, so no timer or Task
   * keeps the process alive after a stop.
   */
  async stop(): Promise<void> {
    const running = [...this.executions.values()].filter((execution) => execution.status === 'RUNNING');
    running.forEach((execution) => execution.stop('LocalRuntime.Stopped', 'The local runtime was stopped.'));
    await Promise.all(running.map((execution) => execution.finished));
    while (this.mapRuns.size > 0) await Promise.all(this.mapRuns);
    this.ownS3?.destroy();
    this.ownS3 = undefined;
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
    const execution = this.launch({
      arn,
      name,
      stateMachineArn: machine.model.arn,
      stateMachineName: machine.model.name,
      input,
      prepared: machine.prepared,
      runner: machine.runner,
      type: machine.model.type,
      mapRunChild: false,
    });
    this.executions.set(arn, execution);
    return execution;
  }

  /**
   * Runs an execution: a started one, or a child of a Map Run (which AWS does not list with its parent
   * machine's executions; locally it is not kept once it has ended, so a Map Run of a million items
   * holds only its running children). A STANDARD one puts its status changes on the default bus.
   */
  private launch(launch: Launch): LocalExecution {
    const parentEnded = new AbortController();
    const caller = { executionArn: launch.arn, stateMachineArn: launch.stateMachineArn };
    const execution = new LocalExecution({
      arn: launch.arn,
      name: launch.name,
      stateMachineArn: launch.stateMachineArn,
      stateMachineName: launch.stateMachineName,
      input: launch.input,
      runner: launch.runner,
      handlers: {
        ...taskHandlers(launch.prepared.tasks, this.integrations, caller),
        ...this.mapRunHandlers(launch, parentEnded.signal),
      },
      history: new ExecutionHistory(launch.prepared.tasks),
    });
    void execution.finished.then(() => parentEnded.abort());
    if (launch.type === 'STANDARD') this.publishStatusChanges(execution, launch.mapRunChild);
    return execution;
  }

  /** The handlers of the Tasks that stand for the definition's Distributed Maps. */
  private mapRunHandlers(launch: Launch, signal: AbortSignal): Record<string, TaskHandler> {
    const host = {
      stateMachineArn: launch.stateMachineArn,
      signal,
      s3: () => this.s3(),
      startChild: (child: ChildStart) =>
        this.launch({
          ...child,
          prepared: child.map.processor,
          runner: processorRunners.get(child.map.processor)!,
          type: child.map.executionType,
          mapRunChild: true,
        }),
    };
    const handlers = [...launch.prepared.distributedMaps].map(([stateName, map]) => {
      const handler: TaskHandler = (request) => {
        const run = runMapRun(map, request as unknown as MapRunRequest, host);
        const settled = run.then(
          () => undefined,
          () => undefined,
        );
        this.mapRuns.add(settled);
        void settled.then(() => this.mapRuns.delete(settled));
        return run;
      };
      return [stateName, handler] as const;
    });
    return Object.fromEntries(handlers);
  }

  /** "Step Functions Execution Status Change" on the default bus, at the start and at the end. */
  private publishStatusChanges(execution: LocalExecution, mapRunChild: boolean): void {
    const publisher = this.integrations.serviceEvents;
    if (!publisher) return;
    // Best effort, as AWS delivers these events: a refused one fails nothing.
    const publish = () =>
      publisher.putEvent('default', statusChangeEntry(execution, mapRunChild)).catch(() => undefined);
    void publish();
    void execution.finished.then(publish);
  }

  private s3(): S3Client {
    if (this.integrations.s3) return this.integrations.s3();
    // The SDK's environment, which the local runtime sets once started (AWS_ENDPOINT_URL_S3, credentials).
    this.ownS3 ??= new S3Client({
      endpoint: process.env.AWS_ENDPOINT_URL_S3,
      region: process.env.AWS_REGION ?? 'us-east-1',
      forcePathStyle: true,
    });
    return this.ownS3;
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
    const runner = runnerOf(prepared);
    return { model, prepared, runner, notRunnable: undefined };
  } catch (error) {
    return { model, prepared, runner: undefined, notRunnable: (error as Error).message };
  }
}

/** The library's runner of a prepared definition; those of its Distributed Maps' processors are kept. */
function runnerOf(prepared: PreparedDefinition): StateMachine {
  const runner = new StateMachine(prepared.definition as unknown as StateMachineDefinition);
  for (const map of prepared.distributedMaps.values())
    processorRunners.set(map.processor, runnerOf(map.processor));
  return runner;
}

/**
 * The event AWS puts on the default bus when a STANDARD execution starts and ends ("Step Functions
 * Execution Status Change", EventBridge User Guide: events-ref-states; Step Functions Developer Guide:
 * cw-events): the detail is what DescribeExecution gives, dates in epoch milliseconds, absent values
 * null. An event over EventBridge's 256 KB leaves input and output out (`included: false`).
 */
function statusChangeEntry(
  execution: LocalExecution,
  mapRunChild: boolean,
): Omit<PutEventsEntry, 'EventBusName'> {
  const status = execution.status;
  const ended = status !== 'RUNNING';
  const detail: JsonObject = {
    executionArn: execution.arn,
    stateMachineArn: execution.stateMachineArn,
    name: execution.name,
    status,
    startDate: execution.startDate,
    stopDate: execution.stopDate ?? null,
    input: execution.input,
    output: execution.output ?? null,
    inputDetails: { included: true },
    outputDetails: execution.output === undefined ? null : { included: true },
    error: execution.error ?? null,
    cause: execution.cause ?? null,
    stateMachineVersionArn: null,
    stateMachineAliasArn: null,
    redriveCount: 0,
    redriveDate: null,
    ...redrive(status, mapRunChild),
  };
  const entry = (details: JsonObject) => ({
    Source: 'aws.states',
    DetailType: 'Step Functions Execution Status Change',
    Detail: JSON.stringify(details),
    Resources: [execution.arn],
  });
  const full = entry(detail);
  if (entrySize(full) <= MAX_EVENT_BYTES) return full;
  return entry({
    ...detail,
    input: null,
    inputDetails: { included: false },
    output: null,
    outputDetails: ended && execution.output !== undefined ? { included: false } : null,
  });
}

/** DescribeExecution's redriveStatus and redriveStatusReason for a status. */
function redrive(status: ExecutionStatus, mapRunChild: boolean): Record<string, JsonValue> {
  if (status === 'RUNNING' || status === 'SUCCEEDED') {
    return {
      redriveStatus: 'NOT_REDRIVABLE',
      redriveStatusReason: `Execution is ${status} and cannot be redriven`,
    };
  }
  return { redriveStatus: mapRunChild ? 'REDRIVABLE_BY_MAP_RUN' : 'REDRIVABLE', redriveStatusReason: null };
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
