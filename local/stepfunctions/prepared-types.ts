import type { JsonObject, JsonValue } from '../aws-json/json';

/**
 * The types of a definition prepared for the local runner (prepared-definition.ts), in a file of their
 * own: a Distributed Map's ItemProcessor is itself a prepared definition.
 */

/** How the local runtime runs a Task resource. */
export type TaskResource =
  | { readonly kind: 'lambda'; readonly resource: string }
  | { readonly kind: 'lambda-invoke'; readonly resource: string }
  | { readonly kind: 'put-events'; readonly resource: string }
  | { readonly kind: 'unsupported'; readonly resource: string; readonly reason: string };

export interface PreparedDefinition {
  /** The definition aws-local-stepfunctions runs: timeouts made AWS-like (see prepareDefinition). */
  readonly definition: JsonObject;
  /** Every Task state (nested ones too, state names are unique in a state machine) → its resource. */
  readonly tasks: ReadonlyMap<string, TaskResource>;
  /**
   * Every Distributed Map state → what its Map Run needs. In `definition` it is a Task (run by a
   * handler of distributed-map/), its ItemProcessor prepared on its own as the child executions' machine.
   */
  readonly distributedMaps: ReadonlyMap<string, DistributedMapState>;
  /** Why this state machine cannot run locally, if it cannot. */
  readonly notRunnable?: string;
}

/**
 * A Distributed Map state as the local runtime runs it: the fields its Map Run reads, and its
 * ItemProcessor prepared as a state machine of its own (each item runs as a child execution).
 * Fields evaluated against the Map's effective input (ItemReader / ResultWriter Parameters, BatchInput,
 * the `…Path` fields) are evaluated by aws-local-stepfunctions itself, as the Parameters of the Task
 * that stands for the Map (see replacementTask), and reach the Map Run as `MapRunRequest.Evaluated`.
 */
export interface DistributedMapState {
  readonly stateName: string;
  /** The Map Run ARN's label: `Label`, else a UUID derived from the state name (AWS generates one). */
  readonly label: string;
  readonly executionType: 'STANDARD' | 'EXPRESS';
  readonly itemReader?: JsonObject;
  readonly itemsPath?: string;
  /** `ItemSelector`, or `Parameters` (its former name). */
  readonly itemSelector?: JsonValue;
  readonly itemBatcher?: JsonObject;
  readonly resultWriter?: JsonObject;
  readonly processor: PreparedDefinition;
}
