import { randomUUID } from 'node:crypto';
import { DETAIL_TYPES, EVENT_SOURCES } from '../../../contracts/events';
import type { InjectedFailure, PimcoreSimulator } from '../../../local/pimcore-simulator';
import { canonicalProduct } from './fixtures';
import { expectExactlyOnceInPimcore, useUniqueGoodsIds, useWorkerFixture } from '../worker-fixture';
import { drainDeadLetters, productIngestedBody, sendBodies, waitUntilQueueIsEmpty } from '../worker-harness';

const MAX_RECEIVE_COUNT = 2;

const fixture = useWorkerFixture({
  queues: { visibilityTimeout: 4, maxReceiveCount: MAX_RECEIVE_COUNT },
  env: {
    // A handed-back message is seen again after 2 s, then 4 s (the worker's backoff, under its 20 s cap).
    // The timeouts end only what Pimcore never answers: a slow answer on a loaded machine is no timeout,
    // which would add to the attempts the tests count.
    WORKER_HANDLER_TIMEOUT_SECONDS: '10',
    WORKER_RETRY_MAX_ATTEMPTS: '3',
    PIMCORE_TIMEOUT_MS: '2000',
  },
});

beforeEach(() => fixture.pimcore.reset());

const goodsId = useUniqueGoodsIds();
let next = 0;
const freshProduct = () => {
  next += 1;
  return canonicalProduct(goodsId(String(next).padStart(2, '0')));
};
const metric = (name: string, labels: Record<string, string> = {}) =>
  fixture.worker.metric(name, { queue: 'product-ingest', ...labels });

describe('Pimcore failures (NestJS app, local SQS, Pimcore simulator, real Redis)', () => {
  const transient: [string, (simulator: PimcoreSimulator) => void][] = [
    ['a 500', (simulator) => simulator.failNext(2, { status: 500 })],
    ['a 503', (simulator) => simulator.failNext(2, { status: 503, body: '<h1>Service Unavailable</h1>' })],
    ['a timeout', (simulator) => simulator.hangNext(2)],
  ];

  it.each(transient)('retries %s in process, then applies the product once', async (_what, inject) => {
    const product = freshProduct();
    const attempts = await metric('pipeline_messages_retried_total', { kind: 'attempt' });
    inject(fixture.pimcore);

    await sendBodies(fixture.queues, [productIngestedBody(product)]);
    await waitUntilQueueIsEmpty(fixture.queues);

    expectExactlyOnceInPimcore(fixture.pimcore, [product]);
    expect(fixture.pimcore.count()).toBe(1);
    expect((await metric('pipeline_messages_retried_total', { kind: 'attempt' })) - attempts).toBe(2);
    expect(await drainDeadLetters(fixture.queues)).toEqual([]);
  });

  it('waits as long as a 429 Retry-After asks, then applies the product once', async () => {
    const product = freshProduct();
    fixture.pimcore.failNext(1, { status: 429, retryAfter: '1' });
    const started = Date.now();

    await sendBodies(fixture.queues, [productIngestedBody(product)]);
    await waitUntilQueueIsEmpty(fixture.queues);

    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expectExactlyOnceInPimcore(fixture.pimcore, [product]);
    expect(await drainDeadLetters(fixture.queues)).toEqual([]);
  });

  it('hands a product back while the API key is refused, and applies it once the key works', async () => {
    const product = freshProduct();
    const handedBack = await metric('pipeline_messages_retried_total', { reason: 'PimcoreAuthentication' });
    fixture.pimcore.failNext(1, { status: 403 });

    await sendBodies(fixture.queues, [productIngestedBody(product)]);
    await waitUntilQueueIsEmpty(fixture.queues);

    expectExactlyOnceInPimcore(fixture.pimcore, [product]);
    expect(
      (await metric('pipeline_messages_retried_total', { reason: 'PimcoreAuthentication' })) - handedBack,
    ).toBe(1);
    expect(await drainDeadLetters(fixture.queues)).toEqual([]);
  });

  it('hands a product back on a lasting 500 until SQS moves it to the DLQ after maxReceiveCount receives', async () => {
    const product = freshProduct();
    const body = productIngestedBody(product);
    const received = await metric('pipeline_messages_received_total');
    const handedBack = await metric('pipeline_messages_retried_total', { kind: 'redelivery' });
    fixture.pimcore.failNext(1000, { status: 500 });

    await sendBodies(fixture.queues, [body]);
    await waitUntilQueueIsEmpty(fixture.queues);

    expect(fixture.pimcore.count()).toBe(0);
    // SQS itself moved it (after the receives ran out), so it carries no reason of the worker's.
    expect(await drainDeadLetters(fixture.queues)).toEqual([{ body, reason: undefined, detail: undefined }]);
    expect((await metric('pipeline_messages_received_total')) - received).toBe(MAX_RECEIVE_COUNT);
    expect((await metric('pipeline_messages_retried_total', { kind: 'redelivery' })) - handedBack).toBe(
      MAX_RECEIVE_COUNT,
    );
  });

  it('sends a product Pimcore refuses with a 400 straight to the DLQ with the reason', async () => {
    const product = freshProduct();
    const body = productIngestedBody(product);
    const rejection: InjectedFailure = { status: 400, body: '{"message":"input does not fit the class"}' };
    const received = await metric('pipeline_messages_received_total');
    fixture.pimcore.failNext(1, rejection);

    await sendBodies(fixture.queues, [body]);
    await waitUntilQueueIsEmpty(fixture.queues);

    expect(fixture.pimcore.count()).toBe(0);
    expect(await drainDeadLetters(fixture.queues)).toEqual([
      {
        body,
        reason: 'PimcoreRejected:rejected',
        detail: expect.stringContaining('Pimcore answered 400') as string,
      },
    ]);
    expect((await metric('pipeline_messages_received_total')) - received).toBe(1);
  });

  it('sends poison messages straight to the DLQ, each with a reason naming the problem', async () => {
    const event = JSON.parse(productIngestedBody(freshProduct())) as Record<string, unknown>;
    const detail = event.detail as { product: Record<string, unknown> };
    const variant = (changes: Record<string, unknown>) =>
      JSON.stringify({ ...event, id: randomUUID(), ...changes });
    // Each poison body, the reason the DLQ message must carry, and words its detail must contain.
    const poison: [body: string, reason: string, detail: string][] = [
      ['{"version":"0",', 'InvalidJson', 'not JSON'],
      [JSON.stringify({ hello: 'world' }), 'NotAnEvent', 'detail-type'],
      [
        variant({ 'detail-type': DETAIL_TYPES.ingestionCompleted }),
        'UnexpectedEvent',
        `got ${DETAIL_TYPES.ingestionCompleted} from ${EVENT_SOURCES.ingestion}`,
      ],
      [variant({ source: 'someone.else' }), 'UnexpectedEvent', 'from someone.else'],
      [
        variant({
          detail: { ...detail, product: { ...detail.product, title: { ar: 'بلا عنوان إنجليزي' } } },
        }),
        'InvalidDetail',
        'product.title.en',
      ],
    ];

    await sendBodies(
      fixture.queues,
      poison.map(([body]) => body),
    );
    await waitUntilQueueIsEmpty(fixture.queues);

    expect(fixture.pimcore.count()).toBe(0);
    const byBody = (letters: { body: string }[]) => [...letters].sort((x, y) => x.body.localeCompare(y.body));
    expect(byBody(await drainDeadLetters(fixture.queues))).toEqual(
      byBody(
        poison.map(([body, reason, words]) => ({
          body,
          reason,
          detail: expect.stringContaining(words) as string,
        })),
      ),
    );
    expect(await metric('pipeline_messages_dead_lettered_total', { reason: 'InvalidDetail' })).toBe(1);
  });
});
