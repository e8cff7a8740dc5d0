import { request } from 'undici';
import { MedusaSimulator } from '../../local/medusa';

interface Reply {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

interface VariantBody {
  id: string;
  sku: string | null;
  prices: { id: string; amount: number; currency_code: string }[];
}

let simulator: MedusaSimulator;
beforeAll(async () => {
  simulator = await MedusaSimulator.start({ secretApiKey: 'sk_test_key' });
});
afterAll(() => simulator.stop());
beforeEach(() => simulator.reset());

function basic(key = simulator.secretApiKey): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` };
}

async function call(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
  headers: Record<string, string> = basic(),
): Promise<Reply> {
  const response = await request(`${simulator.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.statusCode, body: (await response.body.json()) as Record<string, unknown> };
}

/** A valid two-size product in Medusa v2's create shape. */
function dress(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: 'Ribbed Dress',
    handle: 'shein-10001',
    external_id: 'shein:10001',
    status: 'published',
    thumbnail: 'https://img.example.com/front.jpg',
    images: [{ url: 'https://img.example.com/front.jpg' }],
    sales_channels: [{ id: simulator.salesChannel.id }],
    metadata: { pimcoreId: 7 },
    options: [{ title: 'Size', values: ['S', 'M'] }],
    variants: [
      { title: 'S', sku: 'SKU-S', options: { Size: 'S' }, prices: [{ amount: 23.8, currency_code: 'sar' }] },
      {
        title: 'M',
        sku: 'SKU-M',
        options: { Size: 'M' },
        manage_inventory: false,
        prices: [{ amount: 22.8, currency_code: 'sar' }],
      },
    ],
    ...overrides,
  };
}

async function create(overrides: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const reply = await call('POST', '/admin/products', dress(overrides));
  expect(reply.status).toBe(200);
  return reply.body.product as Record<string, unknown>;
}

const variantsOf = (product: Record<string, unknown>) => product.variants as VariantBody[];

describe('admin auth', () => {
  it('accepts a secret API key as Basic and refuses a wrong one or none with 401', async () => {
    expect((await call('GET', '/admin/products')).status).toBe(200);
    expect(await call('GET', '/admin/products', undefined, basic('sk_wrong'))).toEqual({
      status: 401,
      body: { message: 'Unauthorized' },
    });
    expect((await call('GET', '/admin/products', undefined, {})).status).toBe(401);
  });

  it('issues a Bearer token for e-mail and password, and 401s once it expires', async () => {
    const bad = await call(
      'POST',
      '/auth/user/emailpass',
      { email: simulator.adminEmail, password: 'nope' },
      {},
    );
    expect(bad).toEqual({
      status: 401,
      body: { type: 'unauthorized', message: 'Invalid email or password' },
    });

    const login = await call(
      'POST',
      '/auth/user/emailpass',
      { email: simulator.adminEmail, password: simulator.adminPassword },
      {},
    );
    const bearer = { authorization: `Bearer ${String(login.body.token)}` };
    expect((await call('GET', '/admin/products', undefined, bearer)).status).toBe(200);

    simulator.expireTokens();
    expect((await call('GET', '/admin/products', undefined, bearer)).status).toBe(401);
  });
});

describe('POST /admin/products', () => {
  it('creates a product with every field the relay sends, prices in major units', async () => {
    const product = await create();
    expect(product).toMatchObject({
      handle: 'shein-10001',
      external_id: 'shein:10001',
      status: 'published',
      metadata: { pimcoreId: 7 },
      images: [{ url: 'https://img.example.com/front.jpg' }],
      sales_channels: [{ id: simulator.salesChannel.id }],
    });
    expect(variantsOf(product).map((variant) => variant.prices[0]?.amount)).toEqual([23.8, 22.8]);
    expect(product.variants).toMatchObject([{ manage_inventory: true }, { manage_inventory: false }]);
    expect(simulator.count()).toBe(1);
  });

  it('refuses unknown fields, inventory_quantity on a variant included, with 400 invalid_data', async () => {
    const variants = [{ title: 'S', sku: 'SKU-S', options: { Size: 'S' }, inventory_quantity: 4 }];
    const reply = await call(
      'POST',
      '/admin/products',
      dress({ variants, options: [{ title: 'Size', values: ['S'] }] }),
    );
    expect(reply).toEqual({
      status: 400,
      body: { type: 'invalid_data', message: "Invalid request: Unrecognized fields: 'inventory_quantity'" },
    });
    expect((await call('POST', '/admin/products', dress({ brand: 'SHEIN' }))).body.message).toContain(
      "Unrecognized fields: 'brand'",
    );
    expect(simulator.count()).toBe(0);
  });

  it('refuses a product without options', async () => {
    const reply = await call('POST', '/admin/products', dress({ options: undefined, variants: [] }));
    expect(reply).toEqual({
      status: 400,
      body: { type: 'invalid_data', message: 'Product options are not provided for: [Ribbed Dress].' },
    });
  });

  it('refuses a variant that lacks a value for an option or names an unknown value', async () => {
    const options = [
      { title: 'Size', values: ['S'] },
      { title: 'Color', values: ['Black'] },
    ];
    const missing = await call(
      'POST',
      '/admin/products',
      dress({ options, variants: [{ title: 'S', options: { Size: 'S' } }] }),
    );
    expect(missing.status).toBe(400);
    expect(missing.body.message).toBe(
      'Product has 2 option values but there were 1 provided option values for the variant: S.',
    );
    const unknown = await call(
      'POST',
      '/admin/products',
      dress({ options, variants: [{ title: 'S', options: { Size: 'XL', Color: 'Black' } }] }),
    );
    expect(unknown.body).toEqual({
      type: 'invalid_data',
      message: 'Option value XL does not exist for option Size',
    });
  });

  it('refuses a duplicate handle and a duplicate variant SKU', async () => {
    await create();
    const handle = await call('POST', '/admin/products', dress({ variants: [] }));
    expect(handle).toEqual({
      status: 400,
      body: { type: 'invalid_data', message: 'Product with handle: shein-10001 already exists.' },
    });
    const sku = await call('POST', '/admin/products', dress({ handle: 'other' }));
    expect(sku.body).toEqual({
      type: 'invalid_data',
      message: 'Product variant with sku: SKU-S already exists.',
    });
    expect(simulator.count()).toBe(1);
  });
});

describe('POST /admin/products/:id replaces options and variants', () => {
  it('keeps variants sent with their id, creates those without, deletes those left out', async () => {
    const product = await create();
    const [small, medium] = variantsOf(product);
    const reply = await call('POST', `/admin/products/${String(product.id)}`, {
      options: [{ title: 'Size', values: ['S', 'M', 'L'] }],
      variants: [
        {
          id: small?.id,
          title: 'S',
          options: { Size: 'S' },
          prices: [{ amount: 19.9, currency_code: 'sar' }],
        },
        { title: 'L', sku: 'SKU-L', options: { Size: 'L' } },
      ],
    });
    expect(reply.status).toBe(200);
    const variants = variantsOf(reply.body.product as Record<string, unknown>);
    expect(variants.map((variant) => variant.sku)).toEqual(['SKU-S', 'SKU-L']);
    expect(variants[0]?.id).toBe(small?.id);
    expect(variants[0]?.prices).toEqual([{ id: small?.prices[0]?.id, amount: 19.9, currency_code: 'sar' }]);
    expect(variants.map((variant) => variant.id)).not.toContain(medium?.id);
  });

  it('deletes every variant when the update sends variants without ids (the trap)', async () => {
    const product = await create();
    const before = variantsOf(product).map((variant) => variant.id);
    // Same SKUs would collide with themselves only if the old variants survived: they do not.
    const reply = await call('POST', `/admin/products/${String(product.id)}`, {
      variants: [
        { title: 'S', sku: 'SKU-S', options: { Size: 'S' } },
        { title: 'M', sku: 'SKU-M', options: { Size: 'M' } },
      ],
    });
    const after = variantsOf(reply.body.product as Record<string, unknown>).map((variant) => variant.id);
    expect(after).toHaveLength(2);
    expect(after.filter((id) => before.includes(id))).toEqual([]);
  });

  it('is strict, refuses an unknown variant id, and leaves the product unchanged on a refusal', async () => {
    const product = await create();
    const path = `/admin/products/${String(product.id)}`;
    expect((await call('POST', path, { inventory_quantity: 3 })).status).toBe(400);
    expect((await call('POST', path, { variants: [{ id: 'variant_nope', title: 'X' }] })).body).toEqual({
      type: 'not_found',
      message: 'Product variant with id: variant_nope was not found',
    });
    expect((await call('POST', path, { variants: [{ title: 'S2', options: {} }] })).status).toBe(400);
    expect(simulator.product(String(product.id))?.variants).toHaveLength(2);
  });

  it('sets the status, e.g. to draft on unpublish', async () => {
    const product = await create();
    const reply = await call('POST', `/admin/products/${String(product.id)}`, { status: 'draft' });
    expect(reply.body.product).toMatchObject({ status: 'draft' });
    expect(variantsOf(reply.body.product as Record<string, unknown>)).toHaveLength(2);
  });
});

describe('reading products', () => {
  it('lists by handle with products and count, and gets by id or 404', async () => {
    const product = await create();
    await create({ handle: 'other', variants: [] });
    const list = await call('GET', '/admin/products?handle=shein-10001&fields=*variants.prices');
    expect(list.body).toMatchObject({ count: 1, products: [{ id: product.id, external_id: 'shein:10001' }] });
    expect((await call('GET', `/admin/products/${String(product.id)}`)).body.product).toMatchObject({
      id: product.id,
    });
    expect(await call('GET', '/admin/products/prod_missing')).toEqual({
      status: 404,
      body: { type: 'not_found', message: 'Product with id: prod_missing was not found' },
    });
  });

  it('store API requires the publishable key and shows only published products of its channel', async () => {
    await create({ handle: 'live', variants: [] });
    await create({ handle: 'draft', status: 'draft', variants: [] });
    await create({ handle: 'elsewhere', sales_channels: [], variants: [] });

    const noKey = await call('GET', '/store/products', undefined, {});
    expect(noKey.status).toBe(400);
    expect(noKey.body.type).toBe('not_allowed');
    const wrongKey = await call('GET', '/store/products', undefined, { 'x-publishable-api-key': 'pk_wrong' });
    expect(wrongKey.status).toBe(400);

    const key = { 'x-publishable-api-key': simulator.publishableKey };
    const all = await call('GET', '/store/products', undefined, key);
    expect((all.body.products as { handle: string }[]).map((product) => product.handle)).toEqual(['live']);
    expect((await call('GET', '/store/products?handle=draft', undefined, key)).body.count).toBe(0);
  });

  it('store API prices a variant in the region currency', async () => {
    await create();
    const key = { 'x-publishable-api-key': simulator.publishableKey };
    const reply = await call(
      'GET',
      `/store/products?handle=shein-10001&region_id=${simulator.region.id}`,
      undefined,
      key,
    );
    expect(simulator.region.currency_code).toBe('sar');
    expect(reply.body.products).toMatchObject([
      { variants: [{ calculated_price: { calculated_amount: 23.8, currency_code: 'sar' } }, {}] },
    ]);
  });
});

describe('controls', () => {
  it('fails the next requests with the given status, then serves again', async () => {
    simulator.failNext(2, { status: 429, retryAfter: '1' });
    expect((await call('GET', '/admin/products')).status).toBe(429);
    expect((await call('GET', '/admin/products')).status).toBe(429);
    expect((await call('GET', '/admin/products')).status).toBe(200);
  });

  it('hangs the next request until the client gives up, and adds latency', async () => {
    simulator.hangNext(1);
    await expect(
      request(`${simulator.url}/admin/products`, { headers: basic(), headersTimeout: 200 }),
    ).rejects.toThrow();
    simulator.setLatency(100);
    const started = Date.now();
    expect((await call('GET', '/admin/products')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
  });

  it('runs an action before the next matching route (to stage a race)', async () => {
    simulator.beforeNext('POST /admin/products', async () => {
      await create({ handle: 'shein-10001', variants: [] });
    });
    const reply = await call('POST', '/admin/products', dress({ variants: [] }));
    expect(reply.body.message).toBe('Product with handle: shein-10001 already exists.');
  });
});
