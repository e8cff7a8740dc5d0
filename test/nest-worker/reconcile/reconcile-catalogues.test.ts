import { MedusaSimulator } from '../../../local/medusa-simulator';
import { MedusaAdminClient } from '../../../nest-worker/src/medusa/medusa-admin-client';
import {
  fingerprintOf,
  toMedusaProductBody,
  withFingerprint,
  type MappingSettings,
} from '../../../nest-worker/src/medusa/medusa-product-body';
import { toPimcoreFields, type PimcoreProduct } from '../../../nest-worker/src/pimcore';
import { reconcile } from '../../../nest-worker/src/reconcile/reconcile';
import { canonicalProduct, clientFor, useSimulator } from '../pimcore/fixtures';

/**
 * reconcile() against the Pimcore and Medusa simulators at catalogue size: both sides are read page by
 * page (100 a page), so 10,000 products are compared whole, and only the products that differ are named.
 */
const PRODUCTS = 10_000;
const pimcore = useSimulator();
let medusa: MedusaSimulator;
let medusaClient: MedusaAdminClient;
let mapping: MappingSettings;

beforeAll(async () => {
  medusa = await MedusaSimulator.start();
  medusaClient = new MedusaAdminClient({
    baseUrl: medusa.url,
    credentials: { kind: 'secret-api-key', secretApiKey: medusa.secretApiKey },
    timeoutMs: 10_000,
  });
  mapping = { salesChannelId: medusa.salesChannel.id, currencies: undefined, manageInventory: false };
});
afterAll(async () => {
  await medusaClient.close();
  await medusa.stop();
});

/** What the relay writes for each object: the same body and fingerprint. */
async function relayToMedusa(products: readonly PimcoreProduct[]): Promise<void> {
  let next = 0;
  const write = async () => {
    while (next < products.length) {
      const product = products[next++];
      const body = toMedusaProductBody(product, mapping);
      await medusaClient.createProduct(withFingerprint(body, fingerprintOf(body, product, mapping)));
    }
  };
  await Promise.all(Array.from({ length: 16 }, write));
}

it(`compares ${PRODUCTS} products on each side page by page and names only those that differ`, async () => {
  pimcore.simulator().seed(
    Array.from({ length: PRODUCTS }, (_, index) => {
      const { fields } = toPimcoreFields(canonicalProduct(String(100_000 + index)), ['en', 'ar']);
      return {
        key: `shein-${100_000 + index}`,
        parentPath: '/Products/Shein',
        published: true,
        values: { ...fields, description: { ...fields.description, ar: null } },
      };
    }),
  );
  const client = pimcore.track(clientFor(pimcore.simulator(), 'datahub'));
  const dependencies = { pimcore: client, medusa: medusaClient, mapping };

  const empty = await reconcile(dependencies, { fix: false });
  expect(empty).toMatchObject({
    pimcoreProducts: PRODUCTS,
    medusaProducts: 0,
    counts: { missing: PRODUCTS, stale: 0, unpublished: 0, conflict: 0 },
  });
  expect(new Set(empty.drift.map((drift) => drift.externalId)).size).toBe(PRODUCTS);

  const all: PimcoreProduct[] = [];
  for (let offset = 0; offset < PRODUCTS; offset += 1000) {
    all.push(...(await client.listProducts({ offset, limit: 1000 })).products);
  }
  const left = new Set([all[0], all[4321], all[PRODUCTS - 1]].map((product) => product.product.externalId));
  await relayToMedusa(all.filter((product) => !left.has(product.product.externalId)));

  const report = await reconcile(dependencies, { fix: false });
  expect(report).toMatchObject({
    pimcoreProducts: PRODUCTS,
    medusaProducts: PRODUCTS - 3,
    counts: { missing: 3, stale: 0, unpublished: 0, conflict: 0 },
  });
  expect(new Set(report.drift.map((drift) => drift.externalId))).toEqual(left);
}, 300_000);
