import { ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { DEAD_LETTER_ATTRIBUTES } from '../../nest-worker/src/queue/dead-letter-message';

/** A message in a DLQ with every attribute, as an operator reading the DLQ sees it. */
export interface Letter {
  /** Its id in the DLQ: SQS's own redrive keeps the original id, the worker's send makes a new one. */
  readonly messageId: string;
  readonly bodyBytes: number;
  /** The worker's `pipeline.*` attributes and any carried ones, by name. */
  readonly attributes: Readonly<Record<string, string>>;
}

/** Long enough that each read returns only letters not read before; they stay in the DLQ. */
const HIDE_SECONDS = 12 * 3600;

/**
 * One DLQ read through the SQS API, keeping every letter read with all its attributes, so a kind can
 * find the letter of the message it sent (by the worker's `pipeline.source-message-id`, or by its own id
 * when SQS moved it after maxReceiveCount). The probe's only reader of the DLQ: a letter once read is
 * hidden from other readers.
 */
export class DeadLetterReader {
  private readonly letters = new Map<string, Letter>();

  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  /** The letters of the message SQS gave `messageId` when it was sent, read so far or now. */
  async lettersOf(messageId: string): Promise<Letter[]> {
    await this.readNew();
    return [...this.letters.values()].filter(
      (letter) =>
        letter.messageId === messageId ||
        letter.attributes[DEAD_LETTER_ATTRIBUTES.sourceMessageId] === messageId,
    );
  }

  private async readNew(): Promise<void> {
    let batch: Message[];
    do {
      ({ Messages: batch = [] } = await this.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: this.queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 0,
          VisibilityTimeout: HIDE_SECONDS,
          MessageAttributeNames: ['All'],
        }),
      ));
      for (const message of batch) {
        const attributes = Object.entries(message.MessageAttributes ?? {}).map(
          ([name, value]) => [name, value.StringValue ?? '(binary)'] as const,
        );
        this.letters.set(message.MessageId!, {
          messageId: message.MessageId!,
          bodyBytes: Buffer.byteLength(message.Body ?? ''),
          attributes: Object.fromEntries(attributes),
        });
      }
    } while (batch.length > 0);
  }
}
