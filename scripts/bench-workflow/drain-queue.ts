import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';

/** Parallel long polls, as several worker tasks would drain the queue. */
const POLLERS = 48;

/**
 * Drains an SQS queue as the worker would, in a process of its own (the worker runs apart from the
 * pipeline, on its own CPU): receives 10 at a time, deletes them, and prints the running count of
 * messages taken as a line on stdout every time it changes, until killed.
 * Usage: tsx scripts/bench-workflow/drain-queue.ts <queueUrl>   (endpoint and credentials: AWS_* env)
 */
async function main(): Promise<void> {
  const [queueUrl] = process.argv.slice(2);
  const sqs = new SQSClient({});
  let received = 0;
  const poll = async (): Promise<never> => {
    for (;;) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
      );
      if (Messages.length === 0) continue;
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: Messages.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle!,
          })),
        }),
      );
      received += Messages.length;
      process.stdout.write(`${received}\n`);
    }
  };
  await Promise.all(Array.from({ length: POLLERS }, poll));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
