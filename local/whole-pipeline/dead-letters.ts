import { GetQueueAttributesCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** A message in a dead-letter queue, with what it is about and why it is there. */
export interface DeadLetter {
  readonly queue: string;
  readonly messageId: string;
  readonly reason: string;
  readonly externalId?: string;
  readonly pimcoreId?: number;
}

export interface QueueRef {
  readonly name: string;
  readonly url: string;
}

/** A message stays hidden this long once read, so each read returns only letters not seen before. */
const HIDE_SECONDS = 12 * 3600;

/**
 * The stack's dead-letter queues, read through the SQS API. Reading hides a letter (it is not deleted:
 * an operator can still redrive it), so the letters read are remembered here.
 */
export class DeadLetters {
  private readonly seen = new Map<string, DeadLetter>();

  constructor(
    private readonly sqs: SQSClient,
    readonly queues: readonly QueueRef[],
  ) {}

  /** Messages in each DLQ now (visible or already read). */
  async counts(): Promise<Record<string, number>> {
    const entries = await Promise.all(
      this.queues.map(async (queue) => {
        const { Attributes = {} } = await this.sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: queue.url,
            AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
          }),
        );
        const count =
          Number(Attributes.ApproximateNumberOfMessages ?? 0) +
          Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0);
        return [queue.name, count] as const;
      }),
    );
    return Object.fromEntries(entries);
  }

  /** Every letter so far: those read before and the ones that arrived since. */
  async all(): Promise<DeadLetter[]> {
    for (const queue of this.queues) {
      for (;;) {
        const { Messages = [] } = await this.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queue.url,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: 0,
            VisibilityTimeout: HIDE_SECONDS,
            MessageAttributeNames: ['All'],
          }),
        );
        if (Messages.length === 0) break;
        for (const message of Messages) {
          const attribute = (name: string) => message.MessageAttributes?.[name]?.StringValue;
          const reason =
            attribute('pipeline.dead-letter-reason') ??
            attribute('ERROR_CODE') ??
            'received too often (the queue moved it after maxReceiveCount receives)';
          const detail = attribute('pipeline.dead-letter-detail') ?? attribute('ERROR_MESSAGE');
          this.seen.set(message.MessageId!, {
            queue: queue.name,
            messageId: message.MessageId!,
            reason: detail ? `${reason}: ${detail}` : reason,
            ...subjectOf(message.Body ?? ''),
          });
        }
      }
    }
    return [...this.seen.values()];
  }
}

/** The product an event is about: ProductIngested carries it whole, ProductPublished names it. */
function subjectOf(body: string): { externalId?: string; pimcoreId?: number } {
  try {
    const detail = (JSON.parse(body) as { detail?: Record<string, unknown> }).detail ?? {};
    const product = detail.product as { externalId?: unknown } | undefined;
    const externalId = product?.externalId ?? detail.externalId;
    return {
      ...(typeof externalId === 'string' ? { externalId } : {}),
      ...(typeof detail.pimcoreId === 'number' ? { pimcoreId: detail.pimcoreId } : {}),
    };
  } catch {
    return {};
  }
}
