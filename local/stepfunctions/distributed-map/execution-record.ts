import { isJsonObject, type JsonObject, type JsonValue } from '../../aws-json/json';
import type { LocalExecution } from '../local-execution';

/** How results are shaped: ResultWriter.WriterConfig.Transformation (ResultWriter (Map)). */
export type Transformation = 'NONE' | 'COMPACT' | 'FLATTEN';

/**
 * A finished child execution as a Map Run reports it, in the shape of the guide's "Transformation
 * NONE" example (ResultWriter (Map)): ExecutionArn, Input, InputDetails, Name, Output, OutputDetails,
 * RedriveCount, RedriveStatus, RedriveStatusReason, StartDate, StateMachineArn, Status, StopDate, with
 * Error and Cause for an execution that did not succeed. Dates are ISO 8601 strings with milliseconds.
 */
export function executionRecord(child: LocalExecution): JsonObject {
  const succeeded = child.status === 'SUCCEEDED';
  const record: JsonObject = {
    ExecutionArn: child.arn,
    Input: child.input,
    InputDetails: { Included: true },
    Name: child.name,
  };
  if (succeeded) {
    record.Output = child.output ?? 'null';
    record.OutputDetails = { Included: true };
  } else {
    if (child.error !== undefined) record.Error = child.error;
    if (child.cause !== undefined) record.Cause = child.cause;
  }
  record.RedriveCount = 0;
  // A failed child of a Map Run is redriven through its Map Run (DescribeExecution's redriveStatus).
  record.RedriveStatus = succeeded ? 'NOT_REDRIVABLE' : 'REDRIVABLE_BY_MAP_RUN';
  if (succeeded) record.RedriveStatusReason = 'Execution is SUCCEEDED and cannot be redriven';
  record.StartDate = new Date(child.startDate).toISOString();
  record.StateMachineArn = child.stateMachineArn;
  record.Status = child.status;
  record.StopDate = new Date(child.stopDate ?? Date.now()).toISOString();
  return sortedKeys(record);
}

/** An item never started because the Map Run failed (PENDING_n.json). */
export function pendingRecord(input: JsonValue): JsonObject {
  return { Input: JSON.stringify(input), InputDetails: { Included: true }, Status: 'PENDING' };
}

/**
 * What a finished child contributes to the results: the record (NONE, and always for a child that did
 * not succeed), its output (COMPACT), or each element of an array output (FLATTEN).
 */
export function resultEntries(child: LocalExecution, transformation: Transformation): JsonValue[] {
  if (child.status !== 'SUCCEEDED' || transformation === 'NONE') return [executionRecord(child)];
  const output = JSON.parse(child.output ?? 'null') as JsonValue;
  return transformation === 'FLATTEN' && Array.isArray(output) ? output : [output];
}

function sortedKeys(record: JsonObject): JsonObject {
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((key) => [key, record[key]]),
  );
}

export function transformationOf(writerConfig: JsonValue | undefined, exported: boolean): Transformation {
  const value = isJsonObject(writerConfig) ? writerConfig.Transformation : undefined;
  if (value === 'NONE' || value === 'COMPACT' || value === 'FLATTEN') return value;
  // NONE is the default when results go to S3, COMPACT when they are the state's output.
  return exported ? 'NONE' : 'COMPACT';
}
