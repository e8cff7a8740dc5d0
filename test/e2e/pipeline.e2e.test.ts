import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { CanonicalProduct } from '../../contracts/canonical-product';
import type { Product } from '../../local/medusa-simulator';
import type { IngestionOutcome } from '../../local/whole-pipeline/ingestion';
import { drainEnvelopes } from '../local/event-queue';
import { OBSERVER_QUEUE_NAME } from '../local/pipeline-template';
import { SAMPLES, settled, uploadFile, useWholePipeline } from './e2e-stack';

/**
 * The whole pipeline on one machine, as `npm run demo` runs it: S3 upload → Step Functions → bus →
 * SQS → worker (a child process) → Pimcore simulator → signed webhook → worker → Medusa simulator.
 * The tests share one stack and run in order: later ones re-upload what earlier ones uploaded.
 */
const stack = useWholePipeline();

const EXAMPLE = path.join(SAMPLES, 'shein_products.example.json');
const INVALID = path.join(SAMPLES, 'shein_products.invalid.json');
const rawItems = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as RawItem[];

/** The parts of a raw Shein app-detail item the checks read, straight from the file. */
interface RawItem {
  info: {
    productInfo: { goods_id: string };
    saleAttr?: {
      multiLevelSaleAttribute?: {
        sku_list?: { sku_code: string; price: { salePrice: { amount: string } } }[] | null;
      };
    };
  };
}

async function ingest(file: string, key?: string): Promise<IngestionOutcome> {
  return stack().ingestion(await stack().upload(file, key));
}

function medusaProduct(externalId: string): Product {
  const found = stack()
    .medusa.simulator!.products()
    .filter((product) => product.external_id === externalId);
  expect(found).toHaveLength(1);
  return found[0]!;
}

/** Medusa holds the canonical product: published in the channel, its variants, SAR prices (major units), images. */
function expectInMedusa(product: CanonicalProduct): void {
  const held = medusaProduct(product.externalId);
  expect(held).toMatchObject({
    handle: product.handle,
    title: product.title.en,
    status: 'published',
    sales_channels: [expect.objectContaining({ id: stack().medusa.simulator!.salesChannel.id })],
    metadata: expect.objectContaining({ content_hash: product.contentHash }),
  });
  expect(held.images.map((image) => image.url)).toEqual(product.images);
  const variants = held.variants.map((variant) => ({
    sku: variant.sku,
    prices: variant.prices.map(({ amount, currency_code }) => ({ amount, currency_code })),
  }));
  expect(variants).toEqual(
    product.variants.map((variant) => ({
      sku: variant.sku,
      prices: variant.prices
        .filter((price) => price.currencyCode === 'SAR')
        .map((price) => ({ amount: price.amount / 100, currency_code: 'sar' })),
    })),
  );
  for (const variant of product.variants) {
    const heldVariant = held.variants.find((candidate) => candidate.sku === variant.sku)!;
    expect(heldVariant.optionValues).toMatchObject(variant.options);
  }
}

/** The ids of every Pimcore object and Medusa product: a new one would show as a new id. */
function heldIds() {
  return {
    pimcore: stack()
      .pimcore.simulator!.objects()
      .map((object) => object.id),
    medusa: stack()
      .medusa.simulator!.products()
      .map((product) => product.id),
  };
}

function pimcoreObjects(externalId: string) {
  return stack()
    .pimcore.simulator!.objects()
    .filter((object) => object.values.externalId === externalId);
}

let example: IngestionOutcome;

describe('the whole pipeline, one machine', () => {
  it('carries every product of the example file into Pimcore and Medusa, with its variants, prices and images', async () => {
    example = await ingest(EXAMPLE);
    const items = rawItems(EXAMPLE);
    expect(example.status).toBe('SUCCEEDED');
    expect(example.rejects).toEqual([]);
    expect(example.products.map((product) => product.externalId)).toEqual(
      items.map((item) => `shein:${item.info.productInfo.goods_id}`),
    );

    const state = await settled(stack(), example.products);
    expect(state).toMatchObject({ inPimcore: items.length, published: items.length, inMedusa: items.length });
    expect(state.deadLettered).toEqual([]);
    for (const product of example.products) {
      expect(pimcoreObjects(product.externalId)).toEqual([
        expect.objectContaining({
          published: true,
          values: expect.objectContaining({ contentHash: product.contentHash }),
        }),
      ]);
      expectInMedusa(product);
    }
    // The file itself, not only the pipeline's view of it: SKU codes and sale prices reach Medusa.
    for (const item of items) {
      const held = medusaProduct(`shein:${item.info.productInfo.goods_id}`);
      for (const sku of item.info.saleAttr?.multiLevelSaleAttribute?.sku_list ?? []) {
        const variant = held.variants.find((candidate) => candidate.sku === sku.sku_code);
        expect(variant?.prices).toEqual([
          expect.objectContaining({ currency_code: 'sar', amount: Number(sku.price.salePrice.amount) }),
        ]);
      }
    }
  });

  it('fails a malformed file with IngestionFailed and publishes nothing', async () => {
    const before = { pimcore: stack().pimcore.simulator!.count(), medusa: stack().medusa.simulator!.count() };
    const outcome = await ingest(uploadFile(stack(), 'broken.json', '[{"code": 0, "info": {'));
    expect(outcome).toMatchObject({ status: 'FAILED', error: 'NotJson', products: [] });

    const sqs = new SQSClient({
      endpoint: stack().pipeline.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    const observerUrl = stack().pipeline.env.PRODUCT_INGEST_QUEUE_URL.replace(/[^/]+$/, OBSERVER_QUEUE_NAME);
    const outcomes = (await drainEnvelopes(sqs, observerUrl)).filter(
      (event) => (event.detail as { ingestionId?: string }).ingestionId === outcome.ingestionId,
    );
    sqs.destroy();
    expect(outcomes).toEqual([
      expect.objectContaining({
        'detail-type': 'IngestionFailed',
        detail: expect.objectContaining({ sourceKey: 'incoming/broken.json', error: 'NotJson' }),
      }),
    ]);
    expect(await stack().idle()).toBe(true);
    expect({
      pimcore: stack().pimcore.simulator!.count(),
      medusa: stack().medusa.simulator!.count(),
    }).toEqual(before);
  });

  it('carries the valid products of a partly invalid file, and the rejects report names the others', async () => {
    const items = rawItems(INVALID);
    const outcome = await ingest(INVALID);
    expect(outcome.status).toBe('SUCCEEDED');
    expect(outcome.products.length).toBeGreaterThan(0);
    expect(outcome.rejects.length).toBeGreaterThan(0);
    expect(outcome.summary?.counts).toMatchObject({
      total: items.length,
      valid: outcome.products.length,
      rejected: outcome.rejects.length,
    });
    // Every item of the file is either published or named in the report, by its position.
    const indexes = [...outcome.rejects.map((reject) => reject.index)].sort((a, b) => a - b);
    expect(new Set(indexes).size).toBe(outcome.rejects.length);
    expect(indexes.every((index) => index >= 0 && index < items.length)).toBe(true);
    for (const reject of outcome.rejects) expect(reject.reason).toMatch(/^[a-z_]+$/);

    const state = await settled(stack(), outcome.products);
    expect(state).toMatchObject({ inMedusa: outcome.products.length, deadLettered: [] });
    for (const product of outcome.products) expectInMedusa(product);
  });

  it('re-uploading the same file creates no new Pimcore object and no new Medusa product', async () => {
    const before = heldIds();
    const again = await ingest(EXAMPLE, 'incoming/shein_products.again.json');
    expect(again.products.map((product) => product.contentHash)).toEqual(
      example.products.map((product) => product.contentHash),
    );
    const state = await settled(stack(), again.products);
    expect(state).toMatchObject({
      duplicatedInPimcore: [],
      duplicatedInMedusa: [],
      inMedusa: again.products.length,
    });
    expect(heldIds()).toEqual(before);
  });

  it('re-uploading changed content updates the same Pimcore object and Medusa product', async () => {
    const items = rawItems(EXAMPLE);
    const sku = items[0]!.info.saleAttr!.multiLevelSaleAttribute!.sku_list![0]!;
    sku.price.salePrice.amount = '77.50';
    const externalId = `shein:${items[0]!.info.productInfo.goods_id}`;
    const before = { pimcore: pimcoreObjects(externalId)[0]!.id, medusa: medusaProduct(externalId).id };

    const changed = await ingest(uploadFile(stack(), 'changed.json', JSON.stringify(items)));
    const product = changed.products.find((candidate) => candidate.externalId === externalId)!;
    expect(product.contentHash).not.toBe(example.products[0]!.contentHash);
    await settled(stack(), changed.products);

    expect(pimcoreObjects(externalId)).toEqual([
      expect.objectContaining({
        id: before.pimcore,
        values: expect.objectContaining({ contentHash: product.contentHash }),
      }),
    ]);
    expect(medusaProduct(externalId).id).toBe(before.medusa);
    expectInMedusa(product);
    const variant = medusaProduct(externalId).variants.find((candidate) => candidate.sku === sku.sku_code);
    expect(variant?.prices).toEqual([expect.objectContaining({ currency_code: 'sar', amount: 77.5 })]);
  });
});
