import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { CanonicalProduct } from '../../contracts/canonical-product';
import { DETAIL_TYPES, EVENT_SOURCES } from '../../contracts/events';
import type { IngestionMetadata, ProductIngestedDetail } from '../../contracts/product-ingested';
import { entrySize, MAX_REQUEST_BYTES } from './event-entries';

function entryOf(busName: string, detail: { ingestion: IngestionMetadata; product: unknown }) {
  return {
    EventBusName: busName,
    Source: EVENT_SOURCES.ingestion,
    DetailType: DETAIL_TYPES.productIngested,
    Detail: JSON.stringify(detail),
  } satisfies PutEventsRequestEntry;
}

/** The PutEvents entry of one ProductIngested event, as Publish sends it. */
export function productIngestedEntry(
  busName: string,
  ingestion: IngestionMetadata,
  product: CanonicalProduct,
): PutEventsRequestEntry {
  return entryOf(busName, { ingestion, product } satisfies ProductIngestedDetail);
}

/**
 * What an entry adds around its product, at its largest: the longest names AWS allows for the bus
 * (256 characters), the execution that names the ingestion (80), the bucket (63) and the key (1,024
 * bytes, each escaped to six by JSON at worst), and the largest index.
 */
const ENVELOPE_BYTES =
  entrySize(
    entryOf('b'.repeat(256), {
      ingestion: {
        ingestionId: 'i'.repeat(80),
        sourceBucket: 's'.repeat(63),
        sourceKey: '\u0001'.repeat(1024),
        index: Number.MAX_SAFE_INTEGER,
        ingestedAt: new Date(0).toISOString(),
      },
      product: null,
    }),
  ) - 'null'.length;

/**
 * The largest canonical product, in bytes of its JSON, whose ProductIngested event fits one PutEvents
 * entry (256 KiB) whatever the upload's bus, bucket, key and ingestion id: Validate rejects a larger one
 * as product_too_large, so it never reaches Publish.
 */
export const MAX_PRODUCT_BYTES = MAX_REQUEST_BYTES - ENVELOPE_BYTES;

/**
 * Each product's JSON, made once: validation measures it, and npm run ingest then writes it. Canonical
 * products are never changed once made, so the text stays theirs.
 */
const jsonOf = new WeakMap<CanonicalProduct, string>();

/** The product's JSON, as it travels inside its event. */
export function productJson(product: CanonicalProduct): string {
  let json = jsonOf.get(product);
  if (json === undefined) {
    json = JSON.stringify(product);
    jsonOf.set(product, json);
  }
  return json;
}

/** The product's size as it travels in its event: the bytes of its JSON. */
export function productBytes(product: CanonicalProduct): number {
  return Buffer.byteLength(productJson(product), 'utf8');
}
