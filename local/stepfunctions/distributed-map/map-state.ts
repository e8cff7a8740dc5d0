import { createHash } from 'node:crypto';
import { isJsonObject, type JsonObject, type JsonValue } from '../../aws-json/json';
import type { DistributedMapState, PreparedDefinition } from '../prepared-types';

/** What the Task standing for a Distributed Map hands its handler. */
export interface MapRunRequest {
  /** The Map's effective input (after InputPath). */
  readonly Input: JsonValue;
  /** The context object (`$$`): Execution (Id, Name, StartTime) and StateMachine. */
  readonly Context: JsonObject;
  /** The fields of evaluatedFields, evaluated. */
  readonly Evaluated: JsonObject;
}

/** Map fields (and their `…Path` forms) evaluated once, against the effective input. */
const PATH_FIELDS = ['MaxConcurrency', 'ToleratedFailureCount', 'ToleratedFailurePercentage'] as const;

export function isDistributedMap(state: JsonObject): boolean {
  const processor = isJsonObject(state.ItemProcessor) ? state.ItemProcessor : {};
  const config = isJsonObject(processor.ProcessorConfig) ? processor.ProcessorConfig : {};
  return config.Mode === 'DISTRIBUTED' || state.ItemReader !== undefined;
}

export function distributedMapState(
  stateName: string,
  state: JsonObject,
  processor: PreparedDefinition,
): DistributedMapState {
  const processorConfig = isJsonObject(state.ItemProcessor) ? state.ItemProcessor.ProcessorConfig : null;
  const executionType =
    isJsonObject(processorConfig) && processorConfig.ExecutionType === 'EXPRESS' ? 'EXPRESS' : 'STANDARD';
  return {
    stateName,
    label: typeof state.Label === 'string' ? state.Label : generatedLabel(stateName),
    executionType,
    itemReader: isJsonObject(state.ItemReader) ? state.ItemReader : undefined,
    itemsPath: typeof state.ItemsPath === 'string' ? state.ItemsPath : undefined,
    itemSelector: state.ItemSelector ?? state.Parameters,
    itemBatcher: isJsonObject(state.ItemBatcher) ? state.ItemBatcher : undefined,
    resultWriter: isJsonObject(state.ResultWriter) ? state.ResultWriter : undefined,
    processor,
  };
}

/**
 * The Task aws-local-stepfunctions runs in place of a Distributed Map: the Map's InputPath,
 * ResultSelector, ResultPath, OutputPath, Retry, Catch and Next/End, and Parameters that hand the
 * handler the effective input (`$`), the context object (`$$`) and every field AWS evaluates against
 * the effective input (but ItemsPath, whose array would double the input), evaluated by the library
 * (paths, `$$`, intrinsic functions) as AWS would.
 */
export function replacementTask(state: JsonObject, timeoutSeconds: number): JsonObject {
  const kept = ['Comment', 'InputPath', 'ResultSelector', 'ResultPath', 'OutputPath', 'Retry', 'Catch'];
  const task: JsonObject = { Type: 'Task', Resource: 'arn:aws:states:::local:distributedMap' };
  for (const field of kept) if (state[field] !== undefined) task[field] = state[field];
  // Only the context fields an ItemSelector may use (not $$.Execution.Input): this Task's input must
  // stay within the payload quota like any other state's, though AWS checks no Task here.
  const context = {
    Execution: {
      'Id.$': '$$.Execution.Id',
      'Name.$': '$$.Execution.Name',
      'StartTime.$': '$$.Execution.StartTime',
    },
    'StateMachine.$': '$$.StateMachine',
  };
  task.Parameters = { 'Input.$': '$', Context: context, Evaluated: evaluatedFields(state) };
  // A Map Run has no time limit of its own (the States Language's 60 s Task default does not apply).
  task.TimeoutSeconds = timeoutSeconds;
  if (state.End === true) task.End = true;
  else task.Next = state.Next ?? null;
  return task;
}

function evaluatedFields(state: JsonObject): JsonObject {
  const fields: JsonObject = {};
  for (const name of PATH_FIELDS) copyField(state, name, fields);
  const reader = isJsonObject(state.ItemReader) ? state.ItemReader : undefined;
  if (reader) {
    fields.ItemReaderParameters = reader.Parameters ?? {};
    const config = isJsonObject(reader.ReaderConfig) ? reader.ReaderConfig : {};
    copyField(config, 'MaxItems', fields);
  }
  const batcher = isJsonObject(state.ItemBatcher) ? state.ItemBatcher : undefined;
  if (batcher) {
    copyField(batcher, 'MaxItemsPerBatch', fields);
    copyField(batcher, 'MaxInputBytesPerBatch', fields);
    if (batcher.BatchInput !== undefined) fields.BatchInput = batcher.BatchInput;
  }
  const writer = isJsonObject(state.ResultWriter) ? state.ResultWriter : undefined;
  if (writer?.Parameters !== undefined) fields.ResultWriterParameters = writer.Parameters;
  return fields;
}

/** `Name` as is, or `NamePath` as `Name.$` so that the library resolves it. */
function copyField(source: JsonObject, name: string, target: JsonObject): void {
  if (source[name] !== undefined) target[name] = source[name];
  else if (typeof source[`${name}Path`] === 'string') target[`${name}.$`] = source[`${name}Path`];
}

/** AWS names unlabelled Map Runs with a generated UUID; a name-based one keeps local ARNs stable. */
function generatedLabel(stateName: string): string {
  return nameBasedUuid(`label:${stateName}`);
}

/** A version 3 (MD5, name-based) UUID: the form of AWS's Map Run child execution names. */
export function nameBasedUuid(name: string): string {
  const bytes = createHash('md5').update(name).digest();
  bytes[6] = (bytes[6] & 0x0f) | 0x30;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
