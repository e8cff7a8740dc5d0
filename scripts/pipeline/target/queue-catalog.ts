import { GetQueueUrlCommand, QueueDoesNotExist, type SQSClient } from '@aws-sdk/client-sqs';
import { UsageError } from '../../cli/command-line';
import {
  queueNameOf,
  type DeadLetterQueue,
  type PipelineTarget,
  type TargetOutputs,
  type WorkQueue,
} from './pipeline-target';

/**
 * The DLQs that are not stack outputs, by the names the stack gives them (lib/constructs/: product-messaging.ts,
 * ingestion-workflow.ts, ingestion-functions.ts, pipeline-monitoring.ts). `optional`: only some
 * configurations have it (the alarm e-mail's DLQ exists with `alarmEmail` only).
 */
const INGESTION_DLQS = [
  { name: 'ingestion-trigger-dlq', queueName: (stage: string) => `product-ingestion-trigger-${stage}-dlq` },
  { name: 'ingestion-failures-dlq', queueName: (stage: string) => `product-ingestion-failures-${stage}-dlq` },
  {
    name: 'ingestion-report-failure-dlq',
    queueName: (stage: string) => `product-ingestion-report-failure-${stage}-dlq`,
  },
  {
    name: 'alarm-notifications-dlq',
    queueName: (stage: string) => `product-pipeline-${stage}-alarm-notifications-dlq`,
    optional: true,
  },
] as const;

/** The short names `dlq` accepts, for --help (the queue names with the stage left out). */
export const DEAD_LETTER_QUEUE_NAMES = [
  'product-ingest-dlq',
  'product-ingest-target-dlq',
  'medusa-sync-dlq',
  'medusa-sync-target-dlq',
  ...INGESTION_DLQS.map((queue) => queue.name),
] as const;

async function queueUrl(sqs: SQSClient, queueName: string): Promise<string | undefined> {
  try {
    return (await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }))).QueueUrl;
  } catch (error) {
    if (
      error instanceof QueueDoesNotExist ||
      (error as Error).name === 'AWS.SimpleQueueService.NonExistentQueue'
    ) {
      return undefined;
    }
    throw error;
  }
}

/**
 * The stack's queues with all their DLQs. The work queues and their DLQs are outputs; each work queue's
 * target DLQ is `<queue>-target-dlq` and the ingestion's DLQs carry the stage, all looked up with
 * GetQueueUrl so no URL is typed by hand.
 */
export async function resolveQueues(target: TargetOutputs, sqs: SQSClient): Promise<PipelineTarget> {
  const { outputs, stage } = target;
  const workQueues: WorkQueue[] = [
    { name: 'product-ingest', url: outputs.productIngestQueueUrl },
    { name: 'medusa-sync', url: outputs.medusaSyncQueueUrl },
  ];
  const workDlqUrls = [outputs.productIngestDlqUrl, outputs.medusaSyncDlqUrl];
  const required = async (queueName: string) => {
    const url = await queueUrl(sqs, queueName);
    if (url === undefined) throw new Error(`queue ${queueName} does not exist in ${target.description}`);
    return url;
  };

  const perWorkQueue = await Promise.all(
    workQueues.map(async (workQueue, index): Promise<DeadLetterQueue[]> => {
      const targetDlqName = `${queueNameOf(workQueue.url)}-target-dlq`;
      return [
        {
          name: `${workQueue.name}-dlq`,
          queueName: queueNameOf(workDlqUrls[index]),
          url: workDlqUrls[index],
          kind: 'work',
          workQueue,
        },
        {
          name: `${workQueue.name}-target-dlq`,
          queueName: targetDlqName,
          url: await required(targetDlqName),
          kind: 'target',
          workQueue,
        },
      ];
    }),
  );
  const ingestion = await Promise.all(
    INGESTION_DLQS.map(async (queue): Promise<DeadLetterQueue[]> => {
      const queueName = queue.queueName(stage);
      const url = 'optional' in queue ? await queueUrl(sqs, queueName) : await required(queueName);
      return url === undefined ? [] : [{ name: queue.name, queueName, url, kind: 'ingestion' }];
    }),
  );
  return { ...target, workQueues, deadLetterQueues: [...perWorkQueue.flat(), ...ingestion.flat()] };
}

/** A DLQ by its short name (product-ingest-dlq) or its SQS name (product-ingest-dev-dlq). */
export function deadLetterQueueNamed(target: PipelineTarget, name: string): DeadLetterQueue {
  const queue = target.deadLetterQueues.find(
    (candidate) => candidate.name === name || candidate.queueName === name,
  );
  if (!queue) {
    const known = target.deadLetterQueues.map((candidate) => candidate.name).join(', ');
    throw new UsageError(`no dead-letter queue "${name}" in ${target.description}; one of: ${known}`);
  }
  return queue;
}
