import { DeleteMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';

export interface BatchDeleterOptions {
  readonly queueUrl: string;
  /** How long a delete may wait for others to share its request. */
  readonly lingerMs: number;
  readonly maxAttempts: number;
  readonly retryDelayMs: number;
  readonly onPermanentFailure: (receiptHandle: string, code: string, message: string) => void;
}

interface PendingDelete {
  readonly receiptHandle: string;
  readonly settle: (deleted: boolean) => void;
}

const MAX_BATCH = 10;

/**
 * Deletes handled messages in batches of up to 10. DeleteMessageBatch answers 200 even when some
 * entries fail, so each entry's result is checked: failed entries are retried (sender faults such as
 * an expired receipt handle are final: the message will come back and idempotency drops it).
 */
export class BatchDeleter {
  private pending: PendingDelete[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly sqs: SQSClient,
    private readonly options: BatchDeleterOptions,
  ) {}

  /** Resolves true once SQS confirmed the delete, false if it finally failed. */
  delete(receiptHandle: string): Promise<boolean> {
    return new Promise<boolean>((settle) => {
      this.pending.push({ receiptHandle, settle });
      if (this.pending.length >= MAX_BATCH) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.options.lingerMs);
    });
  }

  /** Sends everything pending now and waits for all deletes under way. */
  async drain(): Promise<void> {
    this.flush();
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, MAX_BATCH);
      const sending = this.send(batch, 1).finally(() => this.inFlight.delete(sending));
      this.inFlight.add(sending);
    }
  }

  private async send(batch: PendingDelete[], attempt: number): Promise<void> {
    let retry: PendingDelete[] = [];
    try {
      const response = await this.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.options.queueUrl,
          Entries: batch.map((entry, index) => ({ Id: String(index), ReceiptHandle: entry.receiptHandle })),
        }),
      );
      for (const ok of response.Successful ?? []) batch[Number(ok.Id)].settle(true);
      for (const failed of response.Failed ?? []) {
        const entry = batch[Number(failed.Id)];
        if (failed.SenderFault || attempt >= this.options.maxAttempts) {
          this.options.onPermanentFailure(
            entry.receiptHandle,
            failed.Code ?? 'Unknown',
            failed.Message ?? '',
          );
          entry.settle(false);
        } else {
          retry.push(entry);
        }
      }
    } catch (error) {
      if (attempt >= this.options.maxAttempts) {
        const reason = error instanceof Error ? error : new Error(String(error));
        for (const entry of batch) {
          this.options.onPermanentFailure(entry.receiptHandle, reason.name, reason.message);
          entry.settle(false);
        }
        return;
      }
      retry = batch;
    }
    if (retry.length > 0) {
      await new Promise((resolve) => setTimeout(resolve, this.options.retryDelayMs * attempt));
      await this.send(retry, attempt + 1);
    }
  }
}
