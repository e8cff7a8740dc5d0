import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { z } from 'zod';
import { DETAIL_TYPES, EVENT_SOURCES, type IngestionFailedDetail } from '../../contracts/events';
import { ingestionKeys, objectCreatedDetailSchema } from '../../contracts/workflow';
import { eventBridgeClient, s3Client } from '../shared/aws-clients';
import { requiredEnv } from '../shared/env';
import { logger, setInvocationLogKeys } from '../shared/observability';
import { objectExists, writeJsonObject } from '../shared/s3-objects';
import type { FailureReport } from '../shared/workflow-step';

/**
 * "Step Functions Execution Status Change", as Step Functions puts it on the default bus for every
 * execution of a Standard workflow (AWS Step Functions Developer Guide, "Automating Step Functions
 * event delivery with EventBridge"). Only the fields read here.
 */
const statusChangeSchema = z.object({
  detail: z.object({
    executionArn: z.string().min(1),
    name: z.string().min(1),
    status: z.enum(['FAILED', 'TIMED_OUT', 'ABORTED']),
    input: z.string().nullish(),
    error: z.string().nullish(),
    cause: z.string().nullish(),
  }),
});
type StatusChange = z.infer<typeof statusChangeSchema>['detail'];

/** The Fail state the workflow ends in after IngestionCompleted: that event already told consumers. */
const AFTER_COMPLETED = 'ProductsNotPublished';

/** The error named for an execution that ended without one (a StopExecution without an error, say): its history event's type. */
const ERROR_BY_STATUS: Record<StatusChange['status'], string> = {
  FAILED: 'ExecutionFailed',
  TIMED_OUT: 'ExecutionTimedOut',
  ABORTED: 'ExecutionAborted',
};

/**
 * ReportFailure: the one sender of IngestionFailed. An EventBridge rule hands it every failed, timed
 * out or aborted execution of the ingestion workflow, so failures the state machine cannot catch
 * (States.DataLimitExceeded, the history limit, the execution timeout, a StopExecution) are reported
 * as surely as a step's error, and each exactly once. It writes `reports/<id>/failure.json` when no
 * step did, then puts the event; an error here is retried by Lambda and ends in its dead-letter queue.
 */
export async function handler(event: unknown): Promise<void> {
  const { detail } = statusChangeSchema.parse(event);
  const ingestionId = detail.name;
  setInvocationLogKeys({ ingestionId });
  if (detail.status === 'FAILED' && detail.error === AFTER_COMPLETED) {
    logger.info('ingestion completed with unpublished products: IngestionCompleted told it', { ingestionId });
    return;
  }
  const failed: IngestionFailedDetail = {
    ingestionId,
    status: detail.status,
    ...sourceOf(detail.input),
    error: detail.error ?? ERROR_BY_STATUS[detail.status],
    cause: detail.cause ?? `The execution ended ${detail.status}.`,
    executionArn: detail.executionArn,
  };
  await recordFailure(failed);
  const response = await eventBridgeClient().send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: requiredEnv('EVENT_BUS_NAME'),
          Source: EVENT_SOURCES.ingestion,
          DetailType: DETAIL_TYPES.ingestionFailed,
          Detail: JSON.stringify(failed),
          Resources: [detail.executionArn],
        },
      ],
    }),
  );
  const [entry] = response.Entries ?? [];
  if (!entry?.EventId) {
    throw new Error(
      `IngestionFailed not put: ${entry?.ErrorCode ?? 'no result'} ${entry?.ErrorMessage ?? ''}`,
    );
  }
  logger.error('ingestion failed', { ...failed });
}

/** The upload the execution was started for: its input is the S3 "Object Created" event. */
function sourceOf(input: string | null | undefined): { sourceBucket?: string; sourceKey?: string } {
  try {
    const parsed = z.object({ detail: objectCreatedDetailSchema }).safeParse(JSON.parse(input ?? 'null'));
    if (parsed.success)
      return { sourceBucket: parsed.data.detail.bucket.name, sourceKey: parsed.data.detail.object.key };
  } catch {
    // Not JSON: an execution started by hand; the event goes without a source.
  }
  return {};
}

/** A step that failed wrote its own report (with its name); a failure of the workflow itself gets one here. */
async function recordFailure(failed: IngestionFailedDetail): Promise<void> {
  const location = {
    bucket: requiredEnv('BUCKET_NAME'),
    key: ingestionKeys.failureReport(failed.ingestionId),
  };
  if (await objectExists(s3Client(), location)) return;
  const report: FailureReport = {
    ingestionId: failed.ingestionId,
    step: 'StateMachine',
    error: failed.error,
    cause: failed.cause,
    time: new Date().toISOString(),
  };
  await writeJsonObject(s3Client(), location, report);
}
