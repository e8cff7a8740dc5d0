import {
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  StartMessageMoveTaskCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Progress } from '../progress';
import type { DeadLetterQueue } from '../target/pipeline-target';

export interface MoveTaskResult {
  readonly status: string;
  readonly moved: number;
  readonly toMove: number;
  readonly failureReason?: string;
}

const POLL_MS = 1000;
const ENDED = new Set(['COMPLETED', 'CANCELLED', 'FAILED']);

async function arnOf(sqs: SQSClient, url: string): Promise<string> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  return Attributes.QueueArn!;
}

/**
 * Every message of a work queue's DLQ back to its queue with SQS's own redrive (StartMessageMoveTask),
 * followed with ListMessageMoveTasks until the task ends. The destination is given rather than left to
 * SQS: without one, SQS sends each message to the queue it was redriven from, which a message the worker
 * sent to the DLQ itself does not have.
 */
export async function redriveAll(
  sqs: SQSClient,
  queue: DeadLetterQueue,
  progress: Progress,
  pollMs = POLL_MS,
): Promise<MoveTaskResult> {
  const sourceArn = await arnOf(sqs, queue.url);
  const destinationArn = await arnOf(sqs, queue.workQueue!.url);
  const { TaskHandle: handle } = await sqs.send(
    new StartMessageMoveTaskCommand({ SourceArn: sourceArn, DestinationArn: destinationArn }),
  );
  for (;;) {
    const { Results = [] } = await sqs.send(
      new ListMessageMoveTasksCommand({ SourceArn: sourceArn, MaxResults: 10 }),
    );
    // AWS names the handle only while the task runs; the newest task of the queue is ours then.
    const task = Results.find((candidate) => candidate.TaskHandle === handle) ?? Results[0];
    const moved = task?.ApproximateNumberOfMessagesMoved ?? 0;
    const toMove = task?.ApproximateNumberOfMessagesToMove ?? moved;
    progress.update(moved, toMove);
    if (!task || ENDED.has(task.Status ?? '')) {
      progress.stop();
      return {
        status: task?.Status ?? 'UNKNOWN',
        moved,
        toMove,
        ...(task?.FailureReason && { failureReason: task.FailureReason }),
      };
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
