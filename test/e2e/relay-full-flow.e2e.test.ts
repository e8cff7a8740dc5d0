import { randomUUID } from 'node:crypto';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type Redis from 'ioredis';
import { MedusaSimulator } from '../../local/medusa-simulator/medusa-simulator';
import { PimcoreSimulator } from '../../local/pimcore-simulator';
import { PimcoreWebhookSender } from '../../local/pimcore-simulator/webhook-sender';
import { startAwsEndpoint, type AwsEndpoint } from '../../local/aws-endpoint';
import { REDIS } from '../../nest-worker/src/config/injection-tokens';
import { canonicalProduct } from '../nest-worker/pimcore/fixtures';
import { synthesizeTemplate } from '../local/synthesized-template';
import {
  expectExactlyOnceInPimcore,
  startWorkerApp,
  TEST_WEBHOOK_SECRETS,
  useUniqueGoodsIds,
  workerEnv,
  type WorkerApp,
} from '../nest-worker/worker-fixture';
import { LOCAL_AWS_ENV, productIngestedBody, queueCounts, waitUntil } from '../nest-worker/worker-harness';
import { deleteNamespace, medusaSyncEnv } from '../nest-worker/medusa/relay-fixture';

/**
 * Issue 6's full flow on the stack's own bus and rules (emulated): ProductIngested → worker → Pimcore
 * (auto-publish) → signed webhook → ProductPublished → medusa-sync → worker → Medusa.
 */
let runtime: AwsEndpoint;
let pimcore: PimcoreSimulator;
let medusa: MedusaSimulator;
let worker: WorkerApp;
let sender: PimcoreWebhookSender;
let sqs: SQSClient;
const namespace = `full-flow-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  runtime = await startAwsEndpoint({ templatePath: synthesizeTemplate() });
  const outputs = runtime.model.outputs;
  pimcore = await PimcoreSimulator.start({ autoPublish: true });
  medusa = await MedusaSimulator.start();
  const ingest = {
    server: { endpoint: runtime.endpoint },
    queueUrl: outputs.ProductIngestQueueUrl,
    deadLetterQueueUrl: outputs.ProductIngestDlqUrl,
  };
  const sync = { queueUrl: outputs.MedusaSyncQueueUrl, deadLetterQueueUrl: outputs.MedusaSyncDlqUrl };
  worker = await startWorkerApp(
    workerEnv(ingest, pimcore, {
      ...medusaSyncEnv(sync, medusa),
      WORKER_CONSUMERS: 'product-ingest,medusa-sync',
      PRODUCTS_EVENT_BUS_NAME: outputs.EventBusName,
      REDIS_KEY_NAMESPACE: namespace,
    }),
  );
  const redis = worker.app.get<Redis>(REDIS);
  await waitUntil('the worker is connected to Redis', () => redis.status === 'ready');
  sender = new PimcoreWebhookSender({
    url: `${worker.baseUrl}/webhooks/pimcore`,
    auth: { scheme: 'signed', secret: TEST_WEBHOOK_SECRETS[0] },
  });
  sender.attach(pimcore);
  sqs = new SQSClient({
    endpoint: runtime.endpoint,
    region: LOCAL_AWS_ENV.AWS_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});

afterAll(async () => {
  sender?.stop();
  sqs?.destroy();
  await worker?.app.close();
  await Promise.all([pimcore?.stop(), medusa?.stop()]);
  await runtime?.stop();
  await deleteNamespace(namespace);
});

async function settled(): Promise<boolean> {
  const outputs = runtime.model.outputs;
  const queues = { sqs } as Parameters<typeof queueCounts>[0];
  const counts = await Promise.all(
    [outputs.ProductIngestQueueUrl, outputs.MedusaSyncQueueUrl].map((url) => queueCounts(queues, url)),
  );
  return sender.pending === 0 && counts.every((count) => count.visible === 0 && count.inFlight === 0);
}

describe('the full flow: ingest message → Pimcore → publish webhook → Medusa', () => {
  const goodsId = useUniqueGoodsIds();
  const products = ['1', '2', '3'].map((suffix) => canonicalProduct(goodsId(suffix)));

  it('lands every product once in Pimcore and once, published, in Medusa; an unpublish drafts it', async () => {
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: runtime.model.outputs.ProductIngestQueueUrl,
        Entries: products.map((product, index) => ({
          Id: String(index),
          MessageBody: productIngestedBody(product),
        })),
      }),
    );
    await waitUntil('every product is published in Medusa', async () => {
      const published = products.filter((p) => medusa.productByHandle(p.handle)?.status === 'published');
      return published.length === products.length && (await settled());
    });

    expectExactlyOnceInPimcore(pimcore, products);
    expect(
      products.map(
        (product) => medusa.products().filter((stored) => stored.external_id === product.externalId).length,
      ),
    ).toEqual([1, 1, 1]);
    expect(sender.failed).toEqual([]);

    const first = pimcore.objects().find((object) => object.values.externalId === products[0]!.externalId)!;
    pimcore.unpublish(first.id);
    await waitUntil(
      'the unpublished product is a draft in Medusa',
      async () => medusa.productByHandle(products[0]!.handle)?.status === 'draft' && (await settled()),
    );
    expect(medusa.productByHandle(products[1]!.handle)?.status).toBe('published');
  });
});
