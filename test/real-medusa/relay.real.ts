import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Redis from 'ioredis';
import {
  canonicalProductSchema,
  computeContentHash,
  type CanonicalProduct,
  type CanonicalProductWithoutHash,
} from '../../contracts/canonical-product';
import { DEFAULT_TRANSFORM_CONFIG } from '../../lambdas/domain/transform-config';
import { validateRawProduct } from '../../lambdas/domain/validate-product';
import { transformProduct } from '../../lambdas/domain/transform';
import { StoreApi } from '../../local/real-medusa';
import { PimcoreSimulator } from '../../local/pimcore-simulator';
import { REDIS } from '../../nest-worker/src/config/injection-tokens';
import type { PimcoreClient } from '../../nest-worker/src/pimcore';
import { clientFor } from '../nest-worker/pimcore/fixtures';
import { deleteNamespace, publicationBody } from '../nest-worker/medusa/relay-fixture';
import { startWorkerApp, workerEnv, type WorkerApp } from '../nest-worker/worker-fixture';
import {
  drainDeadLetters,
  sendBodies,
  startWorkQueues,
  waitUntil,
  waitUntilQueueIsEmpty,
  type WorkQueues,
} from '../nest-worker/worker-harness';
import { realMedusa, TargetClient } from './medusa-target';

/**
 * Issue 6 on the real Medusa: the project's example products, made canonical by the Lambdas' own
 * code, written to Pimcore (simulator), published, and relayed by the real worker app from the
 * medusa-sync queue to a real Medusa 2.21.2. The storefront's view (Store API, publishable key) is
 * the judge: visible, priced in SAR, purchasable where there is stock; then an update and an
 * unpublish land.
 */

const real = realMedusa();
const admin = new TargetClient(real);
const store = new StoreApi(real);
const namespace = `relay-real-${randomUUID().slice(0, 8)}`;

let queues: WorkQueues;
let pimcore: PimcoreSimulator;
let writer: PimcoreClient;
let worker: WorkerApp;

beforeAll(async () => {
  queues = await startWorkQueues({ visibilityTimeout: 60, maxReceiveCount: 3 });
  pimcore = await PimcoreSimulator.start();
  writer = clientFor(pimcore, 'datahub');
  worker = await startWorkerApp(
    workerEnv(queues, pimcore, {
      WORKER_CONSUMERS: 'medusa-sync',
      MEDUSA_SYNC_QUEUE_URL: queues.queueUrl,
      MEDUSA_SYNC_DLQ_URL: queues.deadLetterQueueUrl,
      MEDUSA_BASE_URL: real.url,
      MEDUSA_SECRET_API_KEY: real.secretApiKey,
      MEDUSA_SALES_CHANNEL_ID: real.salesChannel.id,
      MEDUSA_STOCK_LOCATION_ID: real.stockLocation.id,
      MEDUSA_CURRENCIES: 'sar,usd',
      MEDUSA_TIMEOUT_MS: '15000',
      // A real Medusa takes a second or two per product (several admin calls).
      WORKER_HANDLER_TIMEOUT_SECONDS: '30',
      REDIS_KEY_NAMESPACE: namespace,
    }),
  );
  const redis = worker.app.get<Redis>(REDIS);
  await waitUntil('the worker is connected to Redis', () => redis.status === 'ready');
});

afterAll(async () => {
  await worker?.app.close();
  await writer?.close();
  await Promise.all([pimcore?.stop(), queues?.server.close()]);
  await deleteNamespace(namespace);
});

/** samples/shein_products.example.json through Validate and Transform, as the Lambdas run them. */
function exampleProducts(): CanonicalProduct[] {
  const file = join(__dirname, '../../samples/shein_products.example.json');
  const items = JSON.parse(readFileSync(file, 'utf8')) as unknown[];
  return items.map((item, index) => {
    const staged = validateRawProduct(item, index, DEFAULT_TRANSFORM_CONFIG);
    if (!staged.ok) throw new Error(`example product ${index} rejected: ${JSON.stringify(staged.reject)}`);
    return transformProduct(staged.product, DEFAULT_TRANSFORM_CONFIG);
  });
}

function edited(product: CanonicalProduct, changes: Partial<CanonicalProductWithoutHash>): CanonicalProduct {
  const { contentHash: _old, ...withoutHash } = product;
  const next = { ...withoutHash, ...changes };
  return canonicalProductSchema.parse({ ...next, contentHash: computeContentHash(next) });
}

/** Sends the events to medusa-sync and waits until the worker has handled all of them, none dead. */
async function relay(bodies: readonly string[]): Promise<void> {
  await sendBodies(queues, bodies);
  await waitUntilQueueIsEmpty(queues, 120_000);
  expect(await drainDeadLetters(queues)).toEqual([]);
}

const sar = (product: CanonicalProduct, sku: string) =>
  (product.variants.find((variant) => variant.sku === sku)?.prices ?? []).find(
    (price) => price.currencyCode === 'SAR',
  )?.amount;

async function adminProduct(
  handle: string,
): Promise<{ id: string; status: string; variants: { id: string; sku: string }[] }> {
  const reply = await admin.admin('GET', `/admin/products?handle=${encodeURIComponent(handle)}`);
  const [product] = reply.body.products as {
    id: string;
    status: string;
    variants: { id: string; sku: string }[];
  }[];
  if (!product) throw new Error(`Medusa has no product ${handle}`);
  return product;
}

const products = exampleProducts();
const pimcoreIds = new Map<string, number>();

describe('the relay to a real Medusa 2.21.2', () => {
  it('publishes every example product: visible in the store, priced in SAR, into a cart where in stock', async () => {
    expect(products.map((product) => product.handle)).toHaveLength(4);
    for (const product of products) {
      const { pimcoreId } = await writer.upsertProduct(product);
      pimcore.publish(pimcoreId);
      pimcoreIds.set(product.handle, pimcoreId);
    }
    await relay([...pimcoreIds.values()].map((id) => publicationBody(id)));

    for (const product of products) {
      const shown = await store.product(product.handle);
      const view = shown.variants.map((variant) => [
        variant.sku,
        variant.calculated_price?.calculated_amount,
      ]);
      const expected = product.variants.map((variant) => [
        variant.sku,
        (sar(product, variant.sku) ?? NaN) / 100,
      ]);
      expect([product.handle, ...view.sort()]).toEqual([product.handle, ...expected.sort()]);

      const inStock = product.variants.filter((variant) => variant.stock > 0);
      expect(inStock.length).toBeGreaterThan(0);
      for (const variant of product.variants) {
        const id = shown.variants.find((candidate) => candidate.sku === variant.sku)?.id ?? '';
        const outcome = await store.tryAddToCart(id);
        const result = outcome.added ? 'added' : `${outcome.reply.status} ${String(outcome.reply.body.code)}`;
        // Sold-out sizes are refused by Medusa's inventory check, as a shopper would see.
        expect([product.handle, variant.sku, result]).toEqual([
          product.handle,
          variant.sku,
          variant.stock > 0 ? 'added' : '400 insufficient_inventory',
        ]);
      }
    }
  });

  it('lands an update: a new SAR price and a new size, the other variants keeping their ids', async () => {
    const original = products[0]!;
    const before = await adminProduct(original.handle);
    const [first, second] = original.variants;
    const changed = edited(original, {
      options: original.options.map((option) => ({ ...option, values: [...option.values, 'XXL'] })),
      variants: [
        ...original.variants.map((variant) =>
          variant === second
            ? {
                ...variant,
                prices: variant.prices.map((price) => ({
                  ...price,
                  amount: price.currencyCode === 'SAR' ? 7950 : price.amount,
                })),
              }
            : variant,
        ),
        { ...first!, sku: `${first!.sku}-xxl`, title: 'XXL', options: { Size: 'XXL' }, stock: 2 },
      ],
    });
    await writer.upsertProduct(changed);
    pimcore.publish(pimcoreIds.get(original.handle)!);
    await relay([publicationBody(pimcoreIds.get(original.handle)!)]);

    const after = await adminProduct(original.handle);
    expect(after.id).toBe(before.id);
    const ids = (product: typeof before) =>
      Object.fromEntries(product.variants.map((variant) => [variant.sku, variant.id]));
    expect(ids(after)).toEqual({ ...ids(before), [`${first!.sku}-xxl`]: expect.stringMatching(/^variant_/) });

    const shown = await store.product(original.handle);
    expect(
      shown.variants.find((variant) => variant.sku === second!.sku)?.calculated_price?.calculated_amount,
    ).toBe(79.5);
    // Medusa gives a variant added by an update no inventory item: the relay makes and stocks one.
    expect(await store.expectPurchasable(original.handle, `${first!.sku}-xxl`)).toMatchObject([
      { quantity: 1, unit_price: (sar(original, first!.sku) ?? NaN) / 100 },
    ]);
  });

  it('lands an unpublish: the product is a draft, gone from the store, and refused by carts', async () => {
    const product = products[1]!;
    const variantId = (await adminProduct(product.handle)).variants[0]!.id;
    pimcore.unpublish(pimcoreIds.get(product.handle)!);
    await relay([publicationBody(pimcoreIds.get(product.handle)!, 'ProductUnpublished')]);

    expect((await adminProduct(product.handle)).status).toBe('draft');
    expect(await store.findProduct(product.handle)).toBeUndefined();
    const outcome = await store.tryAddToCart(variantId);
    expect(outcome.added ? 'added' : outcome.reply.body.message).toBe(
      `Variants ${variantId} do not exist or belong to a product that is not published`,
    );
  });
});
