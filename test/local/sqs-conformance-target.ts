import { randomBytes } from 'node:crypto';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { startSqsServer, type RunningSqsServer } from '../../local/sqs/sqs-server';

/**
 * Where the SQS conformance suite runs: the local emulator by default, or a real SQS endpoint when
 * SQS_CONFORMANCE_ENDPOINT is set (region from SQS_CONFORMANCE_REGION or AWS_REGION, credentials from
 * the SDK's default chain). Against a real endpoint the suite creates uniquely named queues and deletes
 * them afterwards, and waits longer for eventually consistent results.
 */
export interface ConformanceTarget {
  readonly client: SQSClient;
  readonly isLocal: boolean;
  /**
   * How long an eventually consistent result may take to show: a ceiling on waiting for it (a result
   * that shows sooner ends the wait), generous enough for a loaded machine.
   */
  readonly settleMs: number;
  createQueue(name: string, attributes?: Record<string, string>): Promise<{ url: string; arn: string }>;
  close(): Promise<void>;
}

export async function startConformanceTarget(): Promise<ConformanceTarget> {
  const realEndpoint = process.env.SQS_CONFORMANCE_ENDPOINT;
  let server: RunningSqsServer | undefined;
  let client: SQSClient;
  if (realEndpoint) {
    client = new SQSClient({
      endpoint: realEndpoint,
      region: process.env.SQS_CONFORMANCE_REGION ?? process.env.AWS_REGION ?? 'us-east-1',
    });
  } else {
    server = await startSqsServer();
    client = new SQSClient({
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  }
  const runId = `conformance-${randomBytes(4).toString('hex')}`;
  const created: string[] = [];

  return {
    client,
    isLocal: server !== undefined,
    settleMs: server ? 20_000 : 90_000,
    createQueue: async (name, attributes) => {
      const { QueueUrl } = await client.send(
        new CreateQueueCommand({ QueueName: `${runId}-${name}`, Attributes: attributes }),
      );
      created.push(QueueUrl!);
      const { Attributes } = await client.send(
        new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
      );
      return { url: QueueUrl!, arn: Attributes!.QueueArn! };
    },
    close: async () => {
      await Promise.allSettled(created.map((QueueUrl) => client.send(new DeleteQueueCommand({ QueueUrl }))));
      client.destroy();
      await server?.close();
    },
  };
}

/** Retries `probe` until it returns a value (not undefined) or `timeoutMs` passes. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
