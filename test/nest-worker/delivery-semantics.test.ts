import { canonicalProduct } from './pimcore/fixtures';
import {
  expectExactlyOnceInPimcore,
  objectsByExternalId,
  useUniqueGoodsIds,
  useWorkerFixture,
} from './worker-fixture';
import {
  drainDeadLetters,
  productIngestedBody,
  sendBodies,
  waitUntil,
  waitUntilQueueIsEmpty,
} from './worker-harness';

const fixture = useWorkerFixture({ queues: { visibilityTimeout: 10, maxReceiveCount: 5 } });

afterEach(async () => {
  expect(await drainDeadLetters(fixture.queues)).toEqual([]);
});

const goodsId = useUniqueGoodsIds();
const at = (minute: number) => `2026-11-21T10:${String(minute).padStart(2, '0')}:00.000Z`;
const ingestMetric = (result: string) =>
  fixture.worker.metric('pipeline_messages_succeeded_total', { queue: 'product-ingest', result });

describe('delivery semantics (NestJS app, local SQS, Pimcore simulator, real Redis)', () => {
  it('applies a product delivered ten times at once exactly once and counts nine duplicates', async () => {
    const product = canonicalProduct(goodsId('01'));
    const body = productIngestedBody(product, at(0));
    // The same message re-sent, and the same event published again (a Publish retry: a new event id).
    const bodies = [
      ...Array<string>(6).fill(body),
      ...Array.from({ length: 4 }, () => productIngestedBody(product, at(0))),
    ];
    const applied = await ingestMetric('applied');
    const duplicates = await fixture.worker.metric('pipeline_duplicates_skipped_total');

    await sendBodies(fixture.queues, bodies);
    await waitUntilQueueIsEmpty(fixture.queues);

    expectExactlyOnceInPimcore(fixture.pimcore, [product]);
    expect((await ingestMetric('applied')) - applied).toBe(1);
    expect((await fixture.worker.metric('pipeline_duplicates_skipped_total')) - duplicates).toBe(9);
  });

  it('keeps the newer content when an older version arrives after it', async () => {
    const older = canonicalProduct(goodsId('02'));
    const newer = canonicalProduct(goodsId('02'), { brand: 'SHEIN CURVE' });
    const stale = await ingestMetric('stale');

    await sendBodies(fixture.queues, [productIngestedBody(newer, at(30))]);
    await waitUntil('the newer version is in Pimcore', () =>
      objectsByExternalId(fixture.pimcore).has(newer.externalId),
    );
    await sendBodies(fixture.queues, [productIngestedBody(older, at(10))]);
    await waitUntilQueueIsEmpty(fixture.queues);

    expectExactlyOnceInPimcore(fixture.pimcore, [newer]);
    expect((await ingestMetric('stale')) - stale).toBe(1);
  });

  it('applies changed content to the same object, also a return to earlier content, and skips unchanged uploads', async () => {
    const first = canonicalProduct(goodsId('03'));
    const changed = canonicalProduct(goodsId('03'), { brand: 'SHEIN CURVE' });
    const upload = async (product: typeof first, minute: number) => {
      await sendBodies(fixture.queues, [productIngestedBody(product, at(minute))]);
      await waitUntilQueueIsEmpty(fixture.queues);
      const objects = objectsByExternalId(fixture.pimcore).get(product.externalId) ?? [];
      expect(objects.map((object) => object.values.contentHash)).toEqual([product.contentHash]);
      return objects[0];
    };

    const created = await upload(first, 1);
    const updated = await upload(changed, 2);
    expect(updated.id).toBe(created.id);
    expect(updated.version).toBeGreaterThan(created.version);
    // The merchandiser uploads the earlier file again: it is the newest upload, so it wins.
    const reverted = await upload(first, 3);
    expect(reverted.id).toBe(created.id);
    expect(reverted.version).toBeGreaterThan(updated.version);
    // The same content in a newer upload: nothing to write, but that upload is now the newest.
    const unchanged = await upload(first, 4);
    expect(unchanged.version).toBe(reverted.version);
    // So the changed content, delivered late from an upload before it, is outdated.
    await upload(first, 4);
    await sendBodies(fixture.queues, [productIngestedBody(changed, at(3))]);
    await waitUntilQueueIsEmpty(fixture.queues);
    expectExactlyOnceInPimcore(fixture.pimcore, [first]);
    expect(objectsByExternalId(fixture.pimcore).get(first.externalId)?.[0].version).toBe(reverted.version);
  });
});
