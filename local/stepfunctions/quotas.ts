import type { JsonValue } from '../aws-json/json';
import type { TaskResource } from './prepared-types';

/**
 * The Step Functions quotas the local runtime enforces, so that a design that breaks on them in AWS
 * breaks locally first. Sources:
 * - Step Functions Developer Guide, "Step Functions service quotas" (service-quotas.html, formerly
 *   limits-overview.html), "Quotas related to task executions": "Maximum input or output size for a
 *   task, state, or execution: 262,144 bytes of data as a UTF-8 encoded string. This quota affects tasks
 *   (activity, Lambda function, or integrated service), state or execution output, and input data when
 *   scheduling a task, entering a state, or starting an execution."
 * - Same page, "Quotas related to state machine executions": "Maximum execution history size: 25,000
 *   events in a single state machine execution history. If the execution history reaches this quota,
 *   the execution will fail." (hard quota, Standard workflows).
 * - Developer Guide, "Handling errors in Step Functions workflows" (concepts-error-handling.html):
 *   States.DataLimitExceeded is "a terminal error that can't be caught by the States.ALL error type",
 *   reported when "the output of a connector is larger than payload size quota", "the output of a state
 *   is larger than payload size quota" or "after Parameters processing, the input of a state is larger
 *   than the payload size quota".
 */
export const MAX_PAYLOAD_BYTES = 262_144;
export const MAX_HISTORY_EVENTS = 25_000;

/** Why an execution fails on a quota: the Error and Cause Step Functions reports. */
export interface QuotaBreach {
  readonly error: string;
  readonly cause: string;
  /** The Task state whose input or result broke the quota: its history shows the Task failing first. */
  readonly failedTask?: string;
}

/** The UTF-8 size of a value as JSON text, how the payload quota measures it. */
export function payloadBytes(value: JsonValue): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

export function exceedsPayloadQuota(jsonText: string): boolean {
  return Buffer.byteLength(jsonText, 'utf8') > MAX_PAYLOAD_BYTES;
}

const DATA_LIMIT_EXCEEDED = 'States.DataLimitExceeded';

/**
 * A result or a state output over the payload quota. The Cause is AWS's, as seen in its execution
 * histories (recorded against AWS in localstack's test_states_errors snapshot, 2024-03, and quoted in
 * public issues): `subject` is the state's name for a state output, the function ARN for a Lambda ARN
 * resource, the integration's service (`lambda`, `events`) for an optimized integration.
 */
export function resultTooLarge(subject: string, failedTask?: string): QuotaBreach {
  return {
    error: DATA_LIMIT_EXCEEDED,
    cause: `The state/task '${subject}' returned a result with a size exceeding the maximum number of bytes service limit.`,
    failedTask,
  };
}

/**
 * A Task's result over the payload quota, named as AWS names what returned it: a Lambda function ARN,
 * an optimized integration's service (`arn:aws:states:::lambda:invoke` → `lambda`), else the state.
 */
export function taskResultTooLarge(stateName: string, task: TaskResource | undefined): QuotaBreach {
  if (task?.kind === 'lambda') return resultTooLarge(task.resource, stateName);
  const isIntegration = task?.kind === 'lambda-invoke' || task?.kind === 'put-events';
  return resultTooLarge(isIntegration ? task.resource.split(':')[5] : stateName, stateName);
}

/**
 * A state's input over the payload quota. AWS documents the error but no source shows its Cause for an
 * input: this wording, modelled on the result's, is an assumption.
 */
export function inputTooLarge(stateName: string, failedTask?: string): QuotaBreach {
  return {
    error: DATA_LIMIT_EXCEEDED,
    cause: `The state/task '${stateName}' received an input with a size exceeding the maximum number of bytes service limit.`,
    failedTask,
  };
}

/**
 * The execution history full. Error and Cause as AWS reports them (executions failed this way, quoted in
 * public issues: loads/ardere#86, floci-io/floci#2734): the ExecutionFailed event is the 25,000th.
 */
export const HISTORY_LIMIT_REACHED: QuotaBreach = {
  error: 'States.Runtime',
  cause: `The execution reached the maximum number of history events (${MAX_HISTORY_EVENTS}).`,
};
