import { DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchEnvironment } from './bench-environment';
import type { Drained } from './measure-consumer';
import { productIngestHandler } from './measure-consumer';

/**
 * The baseline the issue names: a consumer that receives one message every `intervalMs` (a fixed-
 * interval poll of one message), with the same handler. Measured from its first receive to the last
 * message deleted, so N messages take (N − 1) intervals plus the last one's work.
 */
export async function drainOneAtATime(
  environment: BenchEnvironment,
  messages: number,
  intervalMs: number,
): Promise<Drained> {
  const handler = productIngestHandler(environment);
  const context = { signal: new AbortController().signal, onHeartbeat: () => undefined };
  const started = performance.now();
  for (let done = 0, tick = 0; done < messages; tick += 1) {
    await sleep(Math.max(0, started + tick * intervalMs - performance.now()));
    const { Messages } = await environment.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: environment.queueUrl,
        MaxNumberOfMessages: 1,
        WaitTimeSeconds: 0,
      }),
    );
    const message = Messages?.[0];
    if (message?.ReceiptHandle === undefined || message.Body === undefined) continue;
    const outcome = await handler.handle(
      {
        messageId: message.MessageId ?? '',
        receiptHandle: message.ReceiptHandle,
        body: message.Body,
        receiveCount: 1,
        messageAttributes: {},
      },
      context,
    );
    if (outcome.kind !== 'done') throw new Error(`baseline: message ended ${JSON.stringify(outcome)}`);
    await environment.sqs.send(
      new DeleteMessageCommand({ QueueUrl: environment.queueUrl, ReceiptHandle: message.ReceiptHandle }),
    );
    done += 1;
  }
  return { messages, seconds: (performance.now() - started) / 1000 };
}
