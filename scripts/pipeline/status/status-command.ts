import {
  EXIT_OK,
  EXIT_PROBLEM,
  humanDuration,
  paint,
  table,
  writeJson,
  writeLine,
  type CliIo,
} from '../cli-io';
import type { AwsClients } from '../target/aws-clients';
import { queueNameOf, type PipelineTarget } from '../target/pipeline-target';
import { ingestionDetail, recentIngestions, type Ingestion, type IngestionDetail } from './ingestions';
import { oldestMessageAges } from './oldest-message-ages';
import { OLDEST_AGE_NOT_READ, queueDepth, type QueueDepth } from './queue-depths';
import { workerReadiness, type WorkerReadiness } from './worker-readiness';

export interface StatusOptions {
  readonly ingestionId?: string;
  readonly limit: number;
  readonly workerUrl?: string;
  readonly json: boolean;
}

interface DeadLetterDepth extends QueueDepth {
  readonly kind: string;
}

export interface StatusReport {
  readonly target: string;
  readonly ingestions?: readonly Ingestion[];
  readonly ingestion?: IngestionDetail;
  readonly queues: readonly (QueueDepth & {
    readonly oldestMessageAge: string;
    /** CloudWatch's ApproximateAgeOfOldestMessage; null where it was not read or has no datapoint. */
    readonly oldestMessageAgeSeconds: number | null;
  })[];
  readonly deadLetterQueues: readonly DeadLetterDepth[];
  readonly worker?: WorkerReadiness;
  /** What makes the exit code 1, one sentence each. */
  readonly problems: readonly string[];
}

const ENDED_BADLY = new Set(['FAILED', 'TIMED_OUT', 'ABORTED']);

function problemsOf(report: Omit<StatusReport, 'problems'>, requestedId: string | undefined): string[] {
  const problems: string[] = [];
  if (requestedId !== undefined && !report.ingestion) problems.push(`no ingestion ${requestedId}`);
  const shown = report.ingestion ?? report.ingestions?.[0];
  if (shown && ENDED_BADLY.has(shown.status)) problems.push(`ingestion ${shown.ingestionId} ${shown.status}`);
  for (const queue of report.deadLetterQueues) {
    const held = queue.visible + queue.inFlight + queue.delayed;
    if (held > 0) problems.push(`${queue.name} holds ${held} message(s)`);
  }
  if (report.worker && !report.worker.ready) problems.push(`worker not ready (${report.worker.url})`);
  return problems;
}

/** What `pipeline status` shows: ingestions, queue depths, DLQ depths, and the worker's readiness when asked. */
export async function gatherStatus(
  target: PipelineTarget,
  clients: AwsClients,
  options: Pick<StatusOptions, 'ingestionId' | 'limit' | 'workerUrl'>,
): Promise<StatusReport> {
  const reading = {
    sfn: clients.sfn,
    s3: clients.s3,
    bucket: target.outputs.bucket,
    stateMachineArn: target.outputs.stateMachineArn,
  };
  const [ingestions, queues, deadLetterQueues, worker, ages] = await Promise.all([
    options.ingestionId === undefined
      ? recentIngestions(reading, options.limit)
      : ingestionDetail(reading, options.ingestionId),
    Promise.all(target.workQueues.map((queue) => queueDepth(clients.sqs, queue.name, queue.url))),
    Promise.all(
      target.deadLetterQueues.map(async (queue) => ({
        ...(await queueDepth(clients.sqs, queue.name, queue.url)),
        kind: queue.kind,
      })),
    ),
    options.workerUrl === undefined ? undefined : workerReadiness(options.workerUrl),
    clients.cloudWatch === undefined
      ? undefined
      : oldestMessageAges(
          clients.cloudWatch,
          target.workQueues.map((queue) => queueNameOf(queue.url)),
        ),
  ]);
  const ageOf = (queue: QueueDepth) => {
    if (ages === undefined) return { oldestMessageAge: OLDEST_AGE_NOT_READ, oldestMessageAgeSeconds: null };
    const seconds = ages.get(queueNameOf(queue.url));
    return seconds === undefined
      ? { oldestMessageAge: 'no datapoint (CloudWatch)', oldestMessageAgeSeconds: null }
      : { oldestMessageAge: humanDuration(seconds * 1000), oldestMessageAgeSeconds: seconds };
  };
  const report = {
    target: target.description,
    ...(Array.isArray(ingestions) ? { ingestions } : { ingestion: ingestions }),
    queues: queues.map((queue) => ({ ...queue, ...ageOf(queue) })),
    deadLetterQueues,
    ...(worker && { worker }),
  };
  return { ...report, problems: problemsOf(report, options.ingestionId) };
}

function statusText(io: CliIo, status: string): string {
  if (status === 'SUCCEEDED') return paint(io, 'green', status);
  if (ENDED_BADLY.has(status)) return paint(io, 'red', status);
  return paint(io, 'yellow', status);
}

const countText = (value: number | undefined) => (value === undefined ? '-' : String(value));

/** The table shows the commonest reasons; --json and `status <id>` show them all. */
function reasonsText(ingestion: Ingestion, shown = 3): string {
  if (!ingestion.rejects) return '-';
  const reasons = Object.entries(ingestion.rejects.byReason).sort(([, a], [, b]) => b - a);
  const text = reasons
    .slice(0, shown)
    .map(([reason, count]) => `${reason} ${count}`)
    .join(', ');
  const more = reasons.length > shown ? `, +${reasons.length - shown} more` : '';
  return `${text || 'none'}${more}${ingestion.rejects.truncated ? ' (first 100,000 only)' : ''}`;
}

function ingestionsTable(io: CliIo, ingestions: readonly Ingestion[], reasonsShown = 3): string {
  return table(
    io,
    [
      'ingestion',
      'status',
      'file',
      'valid',
      'rejected',
      'published',
      'failed',
      'duration',
      'rejects by reason',
    ],
    ingestions.map((ingestion) => [
      ingestion.ingestionId,
      statusText(io, ingestion.status),
      ingestion.sourceKey ?? '-',
      countText(ingestion.counts?.valid),
      countText(ingestion.counts?.rejected),
      countText(ingestion.counts?.published),
      countText(ingestion.counts?.failed),
      humanDuration(ingestion.durationMs),
      reasonsText(ingestion, reasonsShown),
    ]),
  );
}

function detailLines(io: CliIo, detail: IngestionDetail): string[] {
  const present = new Set(detail.reportObjects.map((object) => object.key));
  const keyLine = (label: string, key: string) =>
    `  ${label.padEnd(15)} ${key}${present.has(key) ? '' : paint(io, 'dim', ' (not written)')}`;
  const known = new Set(Object.values(detail.reports));
  const others = detail.reportObjects.filter((object) => !known.has(object.key));
  return [
    `started ${detail.startedAt}${detail.stoppedAt ? `, stopped ${detail.stoppedAt}` : ''}`,
    `execution ${detail.executionArn}`,
    'reports:',
    keyLine('summary', detail.reports.summary),
    keyLine('rejects', detail.reports.rejects),
    keyLine('failed batches', detail.reports.failedBatches),
    keyLine('failure', detail.reports.failure),
    ...others.map((object) => `  ${''.padEnd(15)} ${object.key}`),
    ...(detail.error
      ? [
          paint(
            io,
            'red',
            `error: ${detail.error.error ?? ''}${detail.error.cause ? `: ${detail.error.cause}` : ''}`,
          ),
        ]
      : []),
    ...(detail.failure
      ? [
          paint(
            io,
            'red',
            `failure.json: step ${detail.failure.step}, ${detail.failure.error}: ${detail.failure.cause}`,
          ),
        ]
      : []),
  ];
}

function render(io: CliIo, report: StatusReport): void {
  writeLine(io, paint(io, 'bold', `Pipeline: ${report.target}`));
  writeLine(io);
  if (report.ingestion) {
    writeLine(io, ingestionsTable(io, [report.ingestion], Number.POSITIVE_INFINITY));
    for (const line of detailLines(io, report.ingestion)) writeLine(io, line);
  } else if (report.ingestions) {
    writeLine(
      io,
      report.ingestions.length === 0 ? 'No ingestions yet.' : ingestionsTable(io, report.ingestions),
    );
  }
  writeLine(io);
  writeLine(
    io,
    table(
      io,
      ['queue', 'waiting', 'in flight', 'delayed', 'oldest message'],
      report.queues.map((queue) => [
        queue.name,
        String(queue.visible),
        String(queue.inFlight),
        String(queue.delayed),
        queue.oldestMessageAge,
      ]),
    ),
  );
  writeLine(
    io,
    table(
      io,
      ['dead-letter queue', 'kind', 'messages'],
      report.deadLetterQueues.map((queue) => {
        const held = queue.visible + queue.inFlight + queue.delayed;
        return [queue.name, queue.kind, held > 0 ? paint(io, 'red', String(held)) : '0'];
      }),
    ),
  );
  if (report.worker) {
    const { url, ready, status, detail } = report.worker;
    // A ready worker's answer is a long health document (in --json); a refusal's says what is down.
    const state = ready
      ? paint(io, 'green', 'ready')
      : paint(io, 'red', `NOT READY: ${detail.slice(0, 200)}`);
    writeLine(io, `worker ${url}: ${state} (${status ?? 'no answer'})`);
  }
  writeLine(io);
  writeLine(
    io,
    report.problems.length === 0
      ? paint(io, 'green', 'No problems found.')
      : paint(io, 'red', `Problems: ${report.problems.join('; ')}`),
  );
}

export async function statusCommand(
  io: CliIo,
  target: PipelineTarget,
  clients: AwsClients,
  options: StatusOptions,
): Promise<number> {
  const report = await gatherStatus(target, clients, options);
  if (options.json) writeJson(io, report);
  else render(io, report);
  return report.problems.length === 0 ? EXIT_OK : EXIT_PROBLEM;
}
