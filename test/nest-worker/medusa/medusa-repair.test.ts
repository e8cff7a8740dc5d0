import { randomUUID } from 'node:crypto';
import {
  FINGERPRINT_KEY,
  fingerprintOf,
  toMedusaProductBody,
} from '../../../nest-worker/src/medusa/medusa-product-body';
import type { PimcoreClient } from '../../../nest-worker/src/pimcore';
import { canonicalProduct, clientFor } from '../pimcore/fixtures';
import { connectTestRedis } from '../redis-helpers';
import { drainDeadLetters } from '../worker-harness';
import { deleteNamespace, publicationBody, relayAndSettle, useRelayFixture } from './relay-fixture';

/** Our own namespace (the fixture lets env override its own), so a test can make the ledger forget. */
const NAMESPACE = `relay-repair-${randomUUID().slice(0, 8)}`;
const rig = useRelayFixture({ env: () => ({ REDIS_KEY_NAMESPACE: NAMESPACE }) });
afterAll(() => deleteNamespace(NAMESPACE));

const relay = (...bodies: string[]) => relayAndSettle(rig(), bodies);

type Publication = 'ProductPublished' | 'ProductUnpublished';

/** The event `npx pipeline reconcile --fix` sends: publicationBody's, with `repair` (and `medusaId`). */
function repairBody(pimcoreId: number, detailType: Publication = 'ProductPublished', medusaId?: string) {
  const event = JSON.parse(publicationBody(pimcoreId, detailType)) as { detail: Record<string, unknown> };
  event.detail.repair = true;
  if (medusaId !== undefined) event.detail.medusaId = medusaId;
  return JSON.stringify(event);
}

/** Loses what the relay's ledger knows of one object (as when Redis lost its state); returns the key count. */
async function forgetLedger(pimcoreId: number): Promise<number> {
  const redis = connectTestRedis();
  try {
    const keys: string[] = [];
    const match = `pipeline:{*:${NAMESPACE}:pimcore-object:${pimcoreId}}:*`;
    for await (const batch of redis.scanStream({ match, count: 500 })) keys.push(...(batch as string[]));
    if (keys.length > 0) await redis.del(...keys);
    return keys.length;
  } finally {
    await redis.quit();
  }
}

/** Deletes the product through Medusa's admin API, behind the relay's back. */
async function deleteInMedusa(medusaId: string): Promise<void> {
  const response = await fetch(`${rig().medusa.url}/admin/products/${medusaId}`, {
    method: 'DELETE',
    headers: { authorization: `Basic ${Buffer.from(`${rig().medusa.secretApiKey}:`).toString('base64')}` },
  });
  expect(response.status).toBe(200);
}

/** Puts products in Pimcore, publishes and relays them; returns their Pimcore ids. */
async function publishAndRelay(...goodsIds: string[]): Promise<number[]> {
  const ids = await rig().putInPimcore(goodsIds.map((goodsId) => canonicalProduct(goodsId)));
  for (const id of ids) rig().pimcore.publish(id);
  await relay(...ids.map((id) => publicationBody(id)));
  return ids;
}

const fingerprintIn = (handle: string) => rig().medusa.productByHandle(handle)?.metadata?.[FINGERPRINT_KEY];

const duplicates = () => rig().worker.metric('pipeline_duplicates_skipped_total', { queue: 'medusa-sync' });

describe('repair events of `pipeline reconcile --fix` (worker app, local SQS, simulators, real Redis)', () => {
  let reader: PimcoreClient;
  beforeAll(() => {
    reader = clientFor(rig().pimcore, 'datahub');
  });
  afterAll(() => reader.close());

  afterEach(async () => {
    expect(await drainDeadLetters(rig().queues)).toEqual([]);
  });

  it('recreates a product deleted in Medusa on a repair, where a plain redelivery is a duplicate', async () => {
    const product = canonicalProduct('30001');
    const [id] = await publishAndRelay('30001');
    const before = rig().medusa.productByHandle(product.handle)!;
    expect(before.status).toBe('published');
    const fingerprint = before.metadata?.[FINGERPRINT_KEY];
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);

    await deleteInMedusa(before.id);
    expect(rig().medusa.productByHandle(product.handle)).toBeUndefined();

    // The ledger still says "applied": a plain event changes nothing.
    const duplicatesBefore = await duplicates();
    await relay(publicationBody(id!));
    expect(rig().medusa.productByHandle(product.handle)).toBeUndefined();
    expect((await duplicates()) - duplicatesBefore).toBe(1);

    await relay(repairBody(id!));
    const after = rig().medusa.productByHandle(product.handle);
    expect(after).toMatchObject({
      handle: before.handle,
      status: 'published',
      external_id: 'shein:30001',
      metadata: { pimcore_id: id, [FINGERPRINT_KEY]: fingerprint },
    });
    expect(after?.id).not.toBe(before.id);
    expect(after?.variants.map((variant) => variant.sku)).toEqual(before.variants.map((v) => v.sku));
    expect(
      rig()
        .medusa.products()
        .filter((p) => p.external_id === product.externalId),
    ).toHaveLength(1);
  });

  it('writes the fingerprint of what it wrote into metadata, unchanged by relays of unchanged content', async () => {
    const product = canonicalProduct('30002');
    const [id] = await publishAndRelay('30002');
    const first = rig().medusa.productByHandle(product.handle)!;
    const fingerprint = first.metadata?.[FINGERPRINT_KEY];
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    // It is fingerprintOf the body the relay maps from Pimcore (what reconciliation compares against).
    const read = (await reader.getProduct(id!))!;
    const settings = {
      salesChannelId: rig().medusa.salesChannel.id,
      currencies: undefined,
      manageInventory: false,
    };
    expect(fingerprint).toBe(fingerprintOf(toMedusaProductBody(read, settings), read, settings));

    // A plain redelivery writes nothing.
    await relay(publicationBody(id!));
    expect(rig().medusa.productByHandle(product.handle)?.updated_at).toBe(first.updated_at);
    expect(fingerprintIn(product.handle)).toBe(fingerprint);

    // A save that changes nothing Medusa shows (a newer revision), then a repair that does write.
    rig().pimcore.publish(id!);
    await relay(publicationBody(id!));
    expect(fingerprintIn(product.handle)).toBe(fingerprint);
    await relay(repairBody(id!));
    const rewritten = rig().medusa.productByHandle(product.handle)!;
    expect(rewritten.updated_at).not.toBe(first.updated_at);
    expect(Number(rewritten.metadata?.pimcore_revision)).toBeGreaterThan(
      Number(first.metadata?.pimcore_revision),
    );
    expect(rewritten.metadata?.[FINGERPRINT_KEY]).toBe(fingerprint);

    // Content that does change changes it.
    await rig().putInPimcore([canonicalProduct('30002', { title: { en: 'Renamed', ar: 'اسم جديد' } })]);
    rig().pimcore.publish(id!);
    await relay(publicationBody(id!));
    const renamed = rig().medusa.productByHandle(product.handle)!;
    expect(renamed.title).toBe('Renamed');
    expect(renamed.metadata?.[FINGERPRINT_KEY]).toMatch(/^[0-9a-f]{64}$/);
    expect(renamed.metadata?.[FINGERPRINT_KEY]).not.toBe(fingerprint);
  });

  it('takes down the product a repair names when the object is gone and the ledger forgot it', async () => {
    const product = canonicalProduct('30003');
    const [id] = await publishAndRelay('30003');
    const medusaId = rig().medusa.productByHandle(product.handle)!.id;

    rig().pimcore.deleteObject(id!);
    expect(await forgetLedger(id!)).toBeGreaterThan(0);

    // Nothing known: a plain event has nothing to take down.
    await relay(publicationBody(id!, 'ProductUnpublished'));
    expect(rig().medusa.product(medusaId)?.status).toBe('published');

    await relay(repairBody(id!, 'ProductUnpublished', medusaId));
    expect(rig().medusa.product(medusaId)?.status).toBe('draft');
    expect(rig().medusa.productByHandle(product.handle)?.id).toBe(medusaId);
  });

  it("never drafts another object's product that a repair names", async () => {
    const gone = canonicalProduct('30004');
    const other = canonicalProduct('30005');
    const [goneId, otherId] = await publishAndRelay('30004', '30005');
    const goneMedusaId = rig().medusa.productByHandle(gone.handle)!.id;
    const otherMedusaId = rig().medusa.productByHandle(other.handle)!.id;
    expect(rig().medusa.product(otherMedusaId)?.metadata?.pimcore_id).toBe(otherId);

    rig().pimcore.deleteObject(goneId!);
    expect(await forgetLedger(goneId!)).toBeGreaterThan(0);

    await relay(repairBody(goneId!, 'ProductUnpublished', otherMedusaId));
    expect(rig().medusa.product(otherMedusaId)?.status).toBe('published');
    expect(rig().medusa.product(goneMedusaId)?.status).toBe('published');

    // The same repair naming the object's own product does take it down.
    await relay(repairBody(goneId!, 'ProductUnpublished', goneMedusaId));
    expect(rig().medusa.product(goneMedusaId)?.status).toBe('draft');
    expect(rig().medusa.product(otherMedusaId)?.status).toBe('published');
  });
});
