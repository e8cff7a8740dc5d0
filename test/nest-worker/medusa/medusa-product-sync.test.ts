import { MedusaSimulator } from '../../../local/medusa-simulator/medusa-simulator';
import type { PimcoreProduct } from '../../../nest-worker/src/pimcore';
import { MedusaAdminClient } from '../../../nest-worker/src/medusa/medusa-admin-client';
import type { MedusaConfig } from '../../../nest-worker/src/medusa/medusa-config';
import { MedusaAuthenticationError } from '../../../nest-worker/src/medusa/medusa-errors';
import { toMedusaProductBody } from '../../../nest-worker/src/medusa/medusa-product-body';
import { MedusaProductSync } from '../../../nest-worker/src/medusa/medusa-product-sync';
import { canonicalProduct } from '../pimcore/fixtures';

let medusa: MedusaSimulator;
const clients: MedusaAdminClient[] = [];

beforeAll(async () => {
  medusa = await MedusaSimulator.start();
});
beforeEach(() => medusa.reset());
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await medusa.stop();
});

function client(credentials?: MedusaConfig['credentials']): MedusaAdminClient {
  const created = new MedusaAdminClient({
    baseUrl: medusa.url,
    credentials: credentials ?? { kind: 'secret-api-key', secretApiKey: medusa.secretApiKey },
    // Generous: a slow answer on a loaded machine must not be taken for none.
    timeoutMs: 10_000,
  });
  clients.push(created);
  return created;
}

/** The product as the relay reads it from Pimcore, at a revision. */
function pimcoreProduct(goodsId: string, revision: number, published = true): PimcoreProduct {
  const { schemaVersion: _version, contentHash, ...product } = canonicalProduct(goodsId);
  return {
    pimcoreId: Number(goodsId),
    key: product.handle,
    fullPath: `/Products/Shein/${product.handle}`,
    published,
    creationDate: 1_795_000_000,
    modificationDate: 1_795_000_000 + revision,
    version: revision,
    contentHash,
    product,
  };
}

const mapping = { salesChannelId: 'sc_test', currencies: undefined, manageInventory: false };

function bodyOf(product: PimcoreProduct) {
  return toMedusaProductBody(product, { ...mapping, salesChannelId: medusa.salesChannel.id });
}

describe('Medusa authentication', () => {
  it('logs in with e-mail and password, and logs in again once when the token expires', async () => {
    const admin = client({
      kind: 'email-password',
      email: medusa.adminEmail,
      password: medusa.adminPassword,
    });
    expect(await admin.findProductByHandle('shein-1')).toBeNull();
    medusa.expireTokens();
    expect(await admin.findProductByHandle('shein-1')).toBeNull();
  });

  it('refuses wrong credentials with an error that names the variables to check', async () => {
    const wrongPassword = client({ kind: 'email-password', email: medusa.adminEmail, password: 'wrong' });
    await expect(wrongPassword.findProductByHandle('shein-1')).rejects.toThrow(MedusaAuthenticationError);
    const wrongKey = client({ kind: 'secret-api-key', secretApiKey: 'sk_wrong' });
    await expect(wrongKey.findProductByHandle('shein-1')).rejects.toThrow(
      /Medusa answered 401 to GET \/admin\/products\?handle=shein-1.*check the MEDUSA_\* credentials/,
    );
  });
});

describe('MedusaProductSync', () => {
  it('never goes back to an older Pimcore revision, even without the Redis ledger', async () => {
    const sync = new MedusaProductSync(client(), { stockLocationId: undefined });
    const newer = pimcoreProduct('30001', 7);
    expect(await sync.upsert(bodyOf(newer), newer)).toMatchObject({ kind: 'created' });
    const older = { ...pimcoreProduct('30001', 5), published: false };

    expect(await sync.upsert(bodyOf(older), older)).toMatchObject({ kind: 'stale' });
    expect(medusa.productByHandle('shein-30001')).toMatchObject({
      status: 'published',
      metadata: { pimcore_revision: 7 },
    });
  });

  it('turns a create that lost a race into an update of the product the other writer created', async () => {
    const admin = client();
    const sync = new MedusaProductSync(admin, { stockLocationId: undefined });
    const product = pimcoreProduct('30002', 1);
    // Another worker (whose Redis claim was lost) creates the product between our lookup and our create.
    medusa.beforeNext('POST /admin/products', async () => {
      await admin.createProduct(bodyOf(product));
    });

    expect(await sync.upsert(bodyOf(product), product)).toMatchObject({ kind: 'updated' });
    expect(medusa.products().filter((stored) => stored.handle === 'shein-30002')).toHaveLength(1);
  });

  it('drafts by id, and reports a product Medusa no longer has as absent', async () => {
    const sync = new MedusaProductSync(client(), { stockLocationId: undefined });
    const product = pimcoreProduct('30003', 1);
    const created = await sync.upsert(bodyOf(product), product);
    expect(created.kind).toBe('created');
    const medusaId = created.kind === 'created' ? created.medusaId : '';

    expect(await sync.draft(medusaId)).toEqual({ kind: 'updated', medusaId });
    expect(medusa.product(medusaId)?.status).toBe('draft');
    expect(await sync.draft('prod_DOESNOTEXIST')).toEqual({ kind: 'absent' });
  });

  it('refuses a product without a price in a required currency, naming the variant and currency', () => {
    const product = pimcoreProduct('30004', 1);
    expect(() => toMedusaProductBody(product, { ...mapping, currencies: ['sar', 'eur'] })).toThrow(
      'shein:30004 variant sw2203030004-S has no EUR price (MEDUSA_CURRENCIES asks for sar,eur; it has sar,usd)',
    );
  });
});
