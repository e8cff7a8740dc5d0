import { randomUUID } from 'node:crypto';
import type { Queue } from './queue';
import type { SqsBroker } from './sqs-broker';
import { sqsErrors } from './sqs-errors';

export interface MessageMoveTask {
  readonly taskHandle: string;
  readonly status: 'COMPLETED' | 'FAILED';
  readonly sourceArn: string;
  readonly destinationArn?: string;
  readonly approximateNumberOfMessagesMoved: number;
  readonly approximateNumberOfMessagesToMove: number;
  readonly failureReason?: string;
  readonly startedTimestamp: number;
}

/**
 * StartMessageMoveTask / ListMessageMoveTasks: DLQ redrive. Locally a task runs to completion at once
 * (AWS moves messages over time, at most MaxNumberOfMessagesPerSecond).
 */
export class MessageMoveTasks {
  private readonly tasksBySource = new Map<string, MessageMoveTask[]>();

  constructor(private readonly broker: SqsBroker) {}

  /**
   * Moves every receivable message of the dead-letter queue `sourceArn` to `destinationArn`, or, without
   * one, back to the queue each message was dead-lettered from.
   */
  start(sourceArn: string, destinationArn?: string): MessageMoveTask {
    const source = this.existingQueue(sourceArn, 'SourceArn');
    const sourceQueues = this.broker.sourceQueuesOf(source);
    if (sourceQueues.length === 0) {
      throw sqsErrors.invalidParameterValue('Source queue must be configured as a Dead Letter Queue.');
    }
    const destination =
      destinationArn === undefined ? undefined : this.existingQueue(destinationArn, 'DestinationArn');
    const now = this.broker.now();
    source.expire(now);
    const candidates = [...source.available(now)];
    let moved = 0;
    for (const message of candidates) {
      const target =
        destination ??
        (message.deadLetterQueueSourceArn
          ? this.broker.queueByArn(message.deadLetterQueueSourceArn)
          : undefined) ??
        (sourceQueues.length === 1 ? sourceQueues[0] : undefined);
      if (!target) continue;
      this.broker.moveMessage(message, source, target);
      moved += 1;
    }
    const task: MessageMoveTask = {
      taskHandle: randomUUID(),
      status: moved === candidates.length ? 'COMPLETED' : 'FAILED',
      sourceArn,
      destinationArn,
      approximateNumberOfMessagesMoved: moved,
      approximateNumberOfMessagesToMove: candidates.length,
      failureReason:
        moved === candidates.length
          ? undefined
          : 'Some messages have no known source queue; start the task again with a DestinationArn.',
      startedTimestamp: now,
    };
    this.tasksBySource.set(sourceArn, [task, ...(this.tasksBySource.get(sourceArn) ?? [])]);
    return task;
  }

  /** The most recent tasks of a source queue, newest first. */
  list(sourceArn: string, maxResults = 1): MessageMoveTask[] {
    this.existingQueue(sourceArn, 'SourceArn');
    return (this.tasksBySource.get(sourceArn) ?? []).slice(0, maxResults);
  }

  private existingQueue(arn: string, parameter: string): Queue {
    const queue = this.broker.queueByArn(arn);
    if (!queue)
      throw sqsErrors.resourceNotFound(
        `The resource that you specified for the ${parameter} parameter doesn't exist.`,
      );
    return queue;
  }
}
