import {
  DescribeExecutionCommand,
  ExecutionDoesNotExist,
  ListExecutionsCommand,
  type DescribeExecutionOutput,
  type ExecutionListItem,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import type { S3Client } from '@aws-sdk/client-s3';
import { ingestionKeys } from '../../../contracts/workflow';
import {
  listReports,
  readCounts,
  readJsonReport,
  readRejectsByReason,
  type FailureReport,
  type IngestionCounts,
  type RejectsByReason,
  type ReportObject,
} from './ingestion-reports';

export interface Ingestion {
  /** The execution's name: the id in every report key. */
  readonly ingestionId: string;
  readonly executionArn: string;
  readonly status: string;
  readonly sourceKey?: string;
  readonly startedAt: string;
  readonly stoppedAt?: string;
  /** Until now for a running ingestion. */
  readonly durationMs: number;
  /** From summary.json; absent for an ingestion that failed before Summarize, or still runs. */
  readonly counts?: IngestionCounts;
  readonly rejects?: RejectsByReason;
  /** The execution's error (FAILED, TIMED_OUT, ABORTED). */
  readonly error?: { readonly error?: string; readonly cause?: string };
}

export interface IngestionDetail extends Ingestion {
  readonly reports: {
    readonly summary: string;
    readonly rejects: string;
    readonly failedBatches: string;
    readonly failure: string;
  };
  /** Every object under reports/<id>/, with what exists. */
  readonly reportObjects: readonly ReportObject[];
  readonly failure?: FailureReport;
}

interface Reading {
  readonly sfn: SFNClient;
  readonly s3: S3Client;
  readonly bucket: string;
  readonly stateMachineArn: string;
}

const sourceKeyOf = (input: string | undefined) => {
  try {
    return (JSON.parse(input ?? '{}') as { detail?: { object?: { key?: string } } }).detail?.object?.key;
  } catch {
    return undefined;
  }
};

async function ingestionOf(reading: Reading, execution: DescribeExecutionOutput): Promise<Ingestion> {
  const ingestionId = execution.name!;
  const started = execution.startDate ?? new Date();
  const counts = await readCounts(reading.s3, reading.bucket, ingestionId);
  // A succeeded ingestion without rejects has an empty report: not worth a read. Without a summary
  // (failed or running) the report may still hold what was read before the failure.
  const rejects =
    counts === undefined || counts.rejected > 0
      ? await readRejectsByReason(reading.s3, reading.bucket, ingestionId)
      : undefined;
  return {
    ingestionId,
    executionArn: execution.executionArn!,
    status: execution.status ?? 'UNKNOWN',
    sourceKey: sourceKeyOf(execution.input),
    startedAt: started.toISOString(),
    stoppedAt: execution.stopDate?.toISOString(),
    durationMs: (execution.stopDate ?? new Date()).getTime() - started.getTime(),
    counts,
    rejects,
    ...((execution.error !== undefined || execution.cause !== undefined) && {
      error: { error: execution.error, cause: execution.cause },
    }),
  };
}

/** The `limit` most recent executions as ListExecutions gives them (no report read), newest first. */
export async function recentExecutions(
  reading: Pick<Reading, 'sfn' | 'stateMachineArn'>,
  limit: number,
): Promise<ExecutionListItem[]> {
  const { executions = [] } = await reading.sfn.send(
    new ListExecutionsCommand({ stateMachineArn: reading.stateMachineArn, maxResults: limit }),
  );
  return [...executions]
    .sort((a, b) => (b.startDate?.getTime() ?? 0) - (a.startDate?.getTime() ?? 0))
    .slice(0, limit);
}

/** The `limit` most recent ingestions, newest first. */
export async function recentIngestions(reading: Reading, limit: number): Promise<Ingestion[]> {
  const newestFirst = await recentExecutions(reading, limit);
  return Promise.all(
    newestFirst.map(async (item) =>
      ingestionOf(
        reading,
        await reading.sfn.send(new DescribeExecutionCommand({ executionArn: item.executionArn })),
      ),
    ),
  );
}

/** Execution ARNs are the state machine's ARN with `execution` for `stateMachine` and the name appended. */
export const executionArnOf = (stateMachineArn: string, ingestionId: string) =>
  `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${ingestionId}`;

/** One ingestion with its report keys and failure, or undefined when no execution has that id. */
export async function ingestionDetail(
  reading: Reading,
  ingestionId: string,
): Promise<IngestionDetail | undefined> {
  let execution: DescribeExecutionOutput;
  try {
    execution = await reading.sfn.send(
      new DescribeExecutionCommand({ executionArn: executionArnOf(reading.stateMachineArn, ingestionId) }),
    );
  } catch (error) {
    if (error instanceof ExecutionDoesNotExist || (error as Error).name === 'ExecutionDoesNotExist')
      return undefined;
    throw error;
  }
  const [ingestion, reportObjects, failure] = await Promise.all([
    ingestionOf(reading, execution),
    listReports(reading.s3, reading.bucket, ingestionId),
    readJsonReport<FailureReport>(reading.s3, reading.bucket, ingestionKeys.failureReport(ingestionId)),
  ]);
  return {
    ...ingestion,
    reports: {
      summary: ingestionKeys.summaryReport(ingestionId),
      rejects: ingestionKeys.rejectsReport(ingestionId),
      failedBatches: ingestionKeys.failedBatchesReport(ingestionId),
      failure: ingestionKeys.failureReport(ingestionId),
    },
    reportObjects,
    failure,
  };
}
