import { isJsonObject, type JsonObject, type JsonValue } from '../aws-json/json';
import type { LambdaInvoker } from '../lambda/in-process-lambdas';
import { distributedMapState, isDistributedMap, replacementTask } from './distributed-map/map-state';
import type { DistributedMapState, PreparedDefinition, TaskResource } from './prepared-types';

/**
 * The longest timer Node.js keeps (2^31-1 ms): a longer one fires at once. AWS's default Task timeout
 * (99999999 s) and its longest execution timeout (one year) are both longer, so they are capped here.
 */
const MAX_TIMER_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/**
 * AWS runs at most 40 iterations of an inline Map at once: "Use the Map state in Distributed mode
 * when … you need a concurrency of more than 40 concurrent iterations" (Step Functions Developer Guide,
 * state-map-distributed.html); state-map-inline.html gives 40 as the inline limit.
 */
export const INLINE_MAP_MAX_CONCURRENCY = 40;

/**
 * Reads the Task states of a definition and adapts it to the local runner:
 * - a Task without TimeoutSeconds gets AWS's default (no limit, capped to MAX_TIMER_SECONDS) instead
 *   of the 60 s the States Language specification gives it, which aws-local-stepfunctions applies;
 * - timeouts longer than a Node.js timer are capped;
 * - an inline Map runs at most INLINE_MAP_MAX_CONCURRENCY iterations at once, as in AWS;
 * - a Distributed Map (which the library does not know) becomes a Task run by a Map Run handler.
 */
export function prepareDefinition(definition: JsonObject, lambdas: LambdaInvoker): PreparedDefinition {
  // A JSON copy, not structuredClone: under jest that makes objects of another realm, which
  // aws-local-stepfunctions does not take for plain objects.
  const copy = JSON.parse(JSON.stringify(definition)) as JsonObject;
  const tasks = new Map<string, TaskResource>();
  const distributedMaps = new Map<string, DistributedMapState>();
  const names = new Set<string>();
  const problems: string[] = [];
  capTimeout(copy);
  visitStates(copy, (name, state, states) => {
    // Task handlers are attached by state name, which AWS requires to be unique in a state machine.
    if (names.has(name)) problems.push(`state name ${name} is used twice`);
    names.add(name);
    if (state.Type === 'Map' && isDistributedMap(state)) {
      // The ItemProcessor is the child executions' state machine; ProcessorConfig is the Map's.
      const machine: JsonObject = isJsonObject(state.ItemProcessor) ? { ...state.ItemProcessor } : {};
      delete machine.ProcessorConfig;
      const child = prepareDefinition(machine, lambdas);
      if (child.notRunnable) problems.push(`Map state ${name}: ${child.notRunnable}`);
      distributedMaps.set(name, distributedMapState(name, state, child));
      states[name] = replacementTask(state, MAX_TIMER_SECONDS);
      return false;
    }
    if (state.Type === 'Map') capInlineConcurrency(state);
    if (state.Type !== 'Task') return true;
    if (state.TimeoutSeconds === undefined && state.TimeoutSecondsPath === undefined) {
      state.TimeoutSeconds = MAX_TIMER_SECONDS;
    }
    capTimeout(state);
    tasks.set(name, taskResource(String(state.Resource), lambdas));
    return true;
  });
  return {
    definition: copy,
    tasks,
    distributedMaps,
    notRunnable: problems.length > 0 ? problems.join('; ') : undefined,
  };
}

function taskResource(resource: string, lambdas: LambdaInvoker): TaskResource {
  if (/^arn:[^:]+:lambda:[^:]*:[^:]*:function:/.test(resource)) {
    return lambdas.find(resource)
      ? { kind: 'lambda', resource }
      : { kind: 'unsupported', resource, reason: 'the template has no such Lambda function with a handler' };
  }
  if (/^arn:[^:]+:states:::lambda:invoke$/.test(resource)) return { kind: 'lambda-invoke', resource };
  if (/^arn:[^:]+:states:::events:putEvents$/.test(resource)) return { kind: 'put-events', resource };
  return { kind: 'unsupported', resource, reason: 'this service integration is not emulated' };
}

/** Calls `visit` on every state, and on the states nested in it unless `visit` returns false. */
function visitStates(
  machine: JsonObject,
  visit: (name: string, state: JsonObject, states: JsonObject) => boolean,
): void {
  const states = isJsonObject(machine.States) ? machine.States : {};
  for (const [name, state] of Object.entries(states)) {
    if (!isJsonObject(state)) continue;
    if (!visit(name, state, states)) continue;
    for (const nested of nestedMachines(state)) visitStates(nested, visit);
  }
}

function nestedMachines(state: JsonObject): JsonObject[] {
  const candidates: JsonValue[] = [
    state.ItemProcessor ?? null,
    state.Iterator ?? null,
    ...(Array.isArray(state.Branches) ? state.Branches : []),
  ];
  return candidates.filter(isJsonObject);
}

/** MaxConcurrency absent, 0 or over 40 → 40. A MaxConcurrencyPath value is the library's to read. */
function capInlineConcurrency(state: JsonObject): void {
  if (state.MaxConcurrencyPath !== undefined) return;
  const limit = typeof state.MaxConcurrency === 'number' ? state.MaxConcurrency : 0;
  if (limit === 0 || limit > INLINE_MAP_MAX_CONCURRENCY) state.MaxConcurrency = INLINE_MAP_MAX_CONCURRENCY;
}

function capTimeout(node: JsonObject): void {
  if (typeof node.TimeoutSeconds === 'number') {
    node.TimeoutSeconds = Math.min(node.TimeoutSeconds, MAX_TIMER_SECONDS);
  }
}
