import type { z } from 'zod';
import { ingestionKeys } from '../../contracts/workflow';
import { s3Client } from './aws-clients';
import { requiredEnv } from './env';
import { logger } from './observability';
import { writeJsonObject } from './s3-objects';

/** What `reports/<ingestionId>/failure.json` holds when a step fails the ingestion. */
export interface FailureReport {
  readonly ingestionId: string;
  readonly step: string;
  /** The error's name (NotJson, DecompressedTooLarge…), as IngestionFailed's `error`. */
  readonly error: string;
  /** Its message. */
  readonly cause: string;
  readonly time: string;
}

/**
 * The Lambda handler of a workflow step. A step's error fails the ingestion: the state machine catches
 * it into IngestionFailed, whose `cause` (like the execution's) is what the Lambda runtime reports,
 * stack included. So the whole error goes to this function's log only; the error is thrown on with its
 * stack cut to "name: message", so no stack trace or source path leaves the system; and
 * `reports/<ingestionId>/failure.json` records it next to the rejects.
 */
export function workflowStep<Schema extends z.ZodType, Output>(
  step: string,
  schema: Schema,
  ingestionIdOf: (input: z.output<Schema>) => string,
  run: (input: z.output<Schema>) => Promise<Output>,
): (event: unknown) => Promise<Output> {
  return async (event) => {
    let ingestionId: string | undefined;
    try {
      const input = schema.parse(event);
      ingestionId = ingestionIdOf(input);
      return await run(input);
    } catch (thrown) {
      const error = thrown instanceof Error ? thrown : new Error(String(thrown));
      logger.error(`${step} failed`, error);
      if (ingestionId !== undefined) await reportFailure(step, ingestionId, error);
      error.stack = `${error.name}: ${error.message}`;
      throw error;
    }
  };
}

async function reportFailure(step: string, ingestionId: string, error: Error): Promise<void> {
  const report: FailureReport = {
    ingestionId,
    step,
    error: error.name,
    cause: error.message,
    time: new Date().toISOString(),
  };
  try {
    const location = { bucket: requiredEnv('BUCKET_NAME'), key: ingestionKeys.failureReport(ingestionId) };
    await writeJsonObject(s3Client(), location, report);
  } catch (writeError) {
    // The step's own error is the one the ingestion fails with; this one is only logged.
    logger.error('failure report not written', writeError as Error);
  }
}
