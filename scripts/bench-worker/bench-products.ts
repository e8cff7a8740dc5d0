import {
  canonicalProductSchema,
  computeContentHash,
  type CanonicalProduct,
  type CanonicalProductWithoutHash,
} from '../../contracts/canonical-product';
import { DETAIL_TYPES, EVENT_SOURCES } from '../../contracts/events';
import type { ProductIngestedDetail } from '../../contracts/product-ingested';

/** An invented one-size T-shirt, a few hundred bytes like a small canonical product. */
function benchProduct(goodsId: string): CanonicalProduct {
  const product: CanonicalProductWithoutHash = {
    schemaVersion: 1,
    externalId: `shein:${goodsId}`,
    handle: `shein-${goodsId}`,
    sku: `bench${goodsId}`,
    title: { en: `Bench T-shirt ${goodsId}` },
    description: { en: 'Cotton jersey.' },
    brand: 'BENCH',
    category: { sourceId: '1', path: ['Men', 'T-shirts'], pimPath: '/Men/T-shirts' },
    images: [`https://img.example.com/bench/${goodsId}.jpg`],
    attributes: [{ name: 'Material', value: 'Cotton' }],
    options: [{ name: 'Size', values: ['One size'] }],
    variants: [
      {
        sku: `bench${goodsId}-os`,
        title: 'One size',
        options: { Size: 'One size' },
        prices: [{ currencyCode: 'SAR', amount: 2900 }],
        compareAtPrices: [],
        stock: 10,
      },
    ],
    source: { shape: 'shein-listing', goodsId, productRelationId: null, goodsUrlName: null },
  };
  return canonicalProductSchema.parse({ ...product, contentHash: computeContentHash(product) });
}

/** The SQS bodies EventBridge would deliver for one ingestion of `count` new products. */
export function productIngestedBodies(runId: string, count: number): string[] {
  const ingestedAt = new Date().toISOString();
  return Array.from({ length: count }, (_, index) => {
    const detail: ProductIngestedDetail = {
      ingestion: {
        ingestionId: `bench-${runId}`,
        sourceBucket: 'bench',
        sourceKey: 'incoming/bench.json',
        index,
        ingestedAt,
      },
      product: benchProduct(`${runId}${String(index).padStart(6, '0')}`),
    };
    return JSON.stringify({
      version: '0',
      id: `bench-${runId}-${index}`,
      'detail-type': DETAIL_TYPES.productIngested,
      source: EVENT_SOURCES.ingestion,
      account: '000000000000',
      time: ingestedAt,
      region: 'us-east-1',
      resources: [],
      detail,
    });
  });
}
