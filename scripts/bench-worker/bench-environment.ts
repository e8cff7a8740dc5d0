import { fork, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { once } from 'node:events';
import { CreateQueueCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type Redis from 'ioredis';
import { connectRedis } from '../../nest-worker/src/idempotency/redis-connection';
import { createPimcoreClient, type PimcoreClient } from '../../nest-worker/src/pimcore';
import type { ObjectCount, PimcoreReady, Service, ServicesRequest, SqsReady } from './bench-services';

/**
 * What the benchmark runs against, all on 127.0.0.1: the project's SQS endpoint with a work queue and
 * its DLQ, and the Pimcore simulator answering every request after a fixed latency (each in a child
 * process of its own), and Redis (REDIS_URL, else the machine's). Ledger keys live under a scope of
 * this run's own and are removed at the end.
 */
export interface BenchEnvironment {
  readonly runId: string;
  readonly scope: string;
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly deadLetterQueueUrl: string;
  readonly pimcoreClient: PimcoreClient;
  readonly redis: Redis;
  /** How many objects the Pimcore simulator holds. */
  pimcoreObjects(): Promise<number>;
  close(): Promise<void>;
}

export async function startBenchEnvironment(latencyMs: number): Promise<BenchEnvironment> {
  const runId = String(randomInt(100_000, 1_000_000));
  const scope = `bench-${runId}`;
  const sqsService = startService('sqs');
  const pimcoreService = startService('pimcore', latencyMs);
  const [[sqsReady], [pimcoreReady]] = await Promise.all([
    once(sqsService, 'message') as Promise<[SqsReady]>,
    once(pimcoreService, 'message') as Promise<[PimcoreReady]>,
  ]);
  const ready = { ...sqsReady, ...pimcoreReady };
  const sqs = new SQSClient({
    endpoint: ready.sqsEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const queueUrl = await createQueue(sqs, `product-ingest-${runId}`);
  const deadLetterQueueUrl = await createQueue(sqs, `product-ingest-${runId}-dlq`);
  const pimcoreClient = createPimcoreClient({
    adapter: 'datahub',
    datahubEndpoint: ready.pimcore.endpoint,
    baseUrl: ready.pimcore.url,
    apiKey: ready.pimcore.apiKey,
    parentPath: '/Products/Shein',
    autoPublish: false,
    timeoutMs: 10_000,
    languages: ['en', 'ar'],
  });
  const redis = connectRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  // The worker's connection refuses commands until it is ready (no offline queue).
  await once(redis, 'ready');
  return {
    runId,
    scope,
    sqs,
    queueUrl,
    deadLetterQueueUrl,
    pimcoreClient,
    redis,
    pimcoreObjects: async () => {
      const answer = once(pimcoreService, 'message') as Promise<[ObjectCount]>;
      pimcoreService.send('count-objects' satisfies ServicesRequest);
      return (await answer)[0].count;
    },
    close: async () => {
      await deleteScope(redis, scope);
      redis.disconnect();
      await pimcoreClient.close();
      sqs.destroy();
      await Promise.all([stopService(sqsService), stopService(pimcoreService)]);
    },
  };
}

async function createQueue(sqs: SQSClient, name: string): Promise<string> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  if (QueueUrl === undefined) throw new Error(`CreateQueue ${name} returned no URL`);
  return QueueUrl;
}

export async function sendBodies(environment: BenchEnvironment, bodies: readonly string[]): Promise<void> {
  for (let start = 0; start < bodies.length; start += 10) {
    const entries = bodies
      .slice(start, start + 10)
      .map((body, index) => ({ Id: String(index), MessageBody: body }));
    const result = await environment.sqs.send(
      new SendMessageBatchCommand({ QueueUrl: environment.queueUrl, Entries: entries }),
    );
    if (result.Failed?.length) throw new Error(`SendMessageBatch failed: ${JSON.stringify(result.Failed)}`);
  }
}

async function deleteScope(redis: Redis, scope: string): Promise<void> {
  const keys: string[] = [];
  for await (const batch of redis.scanStream({ match: `pipeline:{${scope}:*`, count: 1000 }))
    keys.push(...(batch as string[]));
  for (let start = 0; start < keys.length; start += 1000) await redis.del(...keys.slice(start, start + 1000));
}

/** A downstream service in a child process of its own, as it is on another machine in production. */
function startService(service: Service, latencyMs?: number): ChildProcess {
  const args = latencyMs === undefined ? [service] : [service, String(latencyMs)];
  return fork(`${__dirname}/bench-services.ts`, args, { execArgv: ['--import', 'tsx'] });
}

async function stopService(service: ChildProcess): Promise<void> {
  const exited = once(service, 'exit');
  service.send('stop' satisfies ServicesRequest);
  await exited;
}
