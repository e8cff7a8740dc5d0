import { isJsonObject, type JsonObject } from '../../local/aws-json/json';

export type ExecutionType = 'STANDARD' | 'EXPRESS';

/** What one item of the workflow's Map costs: the states it passes through and where they run. */
export interface MapShape {
  readonly mode: 'INLINE' | 'DISTRIBUTED';
  /** DISTRIBUTED only: each child workflow is an execution of this type. */
  readonly childExecutionType?: ExecutionType;
  /** Staged batches one iteration (or child workflow) handles: ItemBatcher's MaxItemsPerBatch, else 1. */
  readonly batchesPerChild: number;
  /** States each iteration or child workflow enters on its way to success. */
  readonly statesPerChild: number;
  /** Lambda tasks each iteration or child workflow calls, by function ARN. */
  readonly lambdaTasksPerChild: readonly string[];
  /** DISTRIBUTED only: ItemReader reads the item list from S3, ResultWriter writes results there. */
  readonly readsItemsFromS3: boolean;
  readonly writesResultsToS3: boolean;
}

export interface WorkflowShape {
  /** States the execution enters outside the Map (the Map state itself included), on the success path. */
  readonly statesOutsideMap: number;
  /** Lambda tasks outside the Map, by function ARN. */
  readonly lambdaTasksOutsideMap: readonly string[];
  readonly map: MapShape;
}

/**
 * The success path of an ingestion through the state machine's definition: from StartAt along `Next`,
 * a Choice by its Default (in this workflow the Default is always the way on when nothing went wrong:
 * not skipped, everything published), to the first Succeed or `End`. The one Map state on that path is
 * what scales with the products.
 */
export function workflowShapeOf(definition: JsonObject): WorkflowShape {
  const path = successPath(definition);
  const maps = path.filter((state) => state.Type === 'Map');
  if (maps.length !== 1) throw new Error(`expected one Map state on the success path, found ${maps.length}`);
  return {
    statesOutsideMap: path.length,
    lambdaTasksOutsideMap: lambdaTasks(path),
    map: mapShapeOf(maps[0]),
  };
}

function mapShapeOf(map: JsonObject): MapShape {
  const processor = objectAt(map, 'ItemProcessor') ?? objectAt(map, 'Iterator');
  if (!processor) throw new Error('the Map state has no ItemProcessor');
  const config = objectAt(processor, 'ProcessorConfig');
  const distributed = config?.Mode === 'DISTRIBUTED';
  const childPath = successPath(processor);
  const batcher = objectAt(map, 'ItemBatcher');
  const maxItems = batcher?.MaxItemsPerBatch;
  return {
    mode: distributed ? 'DISTRIBUTED' : 'INLINE',
    ...(distributed
      ? { childExecutionType: config?.ExecutionType === 'EXPRESS' ? 'EXPRESS' : 'STANDARD' }
      : {}),
    batchesPerChild: typeof maxItems === 'number' && maxItems > 0 ? maxItems : 1,
    statesPerChild: childPath.length,
    lambdaTasksPerChild: lambdaTasks(childPath),
    readsItemsFromS3: distributed && objectAt(map, 'ItemReader') !== undefined,
    writesResultsToS3: distributed && objectAt(map, 'ResultWriter') !== undefined,
  };
}

function successPath(machine: JsonObject): JsonObject[] {
  const states = objectAt(machine, 'States') ?? {};
  const path: JsonObject[] = [];
  let name = machine.StartAt;
  while (typeof name === 'string') {
    const state = objectAt(states, name);
    if (!state) throw new Error(`the definition names a state ${name} it does not have`);
    if (path.includes(state)) throw new Error(`the success path loops at ${name}`);
    path.push(state);
    if (state.Type === 'Succeed' || state.Type === 'Fail' || state.End === true) break;
    name = state.Type === 'Choice' ? state.Default : state.Next;
  }
  return path;
}

/** The functions the Task states call: a Lambda ARN as Resource, or lambda:invoke's FunctionName. */
function lambdaTasks(path: readonly JsonObject[]): string[] {
  return path.flatMap((state) => {
    if (state.Type !== 'Task' || typeof state.Resource !== 'string') return [];
    if (state.Resource.includes(':lambda:') && state.Resource.includes(':function:')) return [state.Resource];
    const name = objectAt(state, 'Parameters')?.FunctionName ?? objectAt(state, 'Arguments')?.FunctionName;
    return state.Resource.startsWith('arn:aws:states:::lambda:invoke') && typeof name === 'string'
      ? [name]
      : [];
  });
}

function objectAt(object: JsonObject, key: string): JsonObject | undefined {
  const value = object[key];
  return isJsonObject(value) ? value : undefined;
}
