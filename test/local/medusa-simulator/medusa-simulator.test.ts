import { request } from 'undici';
import { MedusaSimulator } from '../../../local/medusa-simulator';

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
    const variants = [
      { title: 'S', sku: 'SKU-S', options: { Size: 'S' }, prices: [], inventory_quantity: 4 },
    ];
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
      dress({ options, variants: [{ title: 'S', options: { Size: 'S' }, prices: [] }] }),
    );
    expect(missing.status).toBe(400);
    expect(missing.body.message).toBe(
      'Product has 2 option values but there were 1 provided option values for the variant: S.',
    );
    const unknown = await call(
      'POST',
      '/admin/products',
      dress({ options, variants: [{ title: 'S', options: { Size: 'XL', Color: 'Black' }, prices: [] }] }),
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
      body: { type: 'invalid_data', message: 'Product with handle: shein-10001, already exists.' },
    });
    const sku = await call('POST', '/admin/products', dress({ handle: 'other' }));
    expect(sku.body).toEqual({
      type: 'invalid_data',
      message: 'Product variant with sku: SKU-S, already exists.',
    });
    expect(simulator.count()).toBe(1);
  });
});

describe('unique indexes after updates and deletes (checked against Medusa by test:medusa)', () => {
  it('frees the SKUs of the variants an update deleted for other products', async () => {
    const product = await create();
    const [small] = variantsOf(product);
    const update = await call('POST', `/admin/products/${String(product.id)}`, {
      variants: [{ id: small?.id, title: 'S', prices: [{ amount: 23.8, currency_code: 'sar' }] }],
    });
    expect(update.status).toBe(200);
    const [smallInput, mediumInput] = dress().variants as Record<string, unknown>[];
    await create({ handle: 'other', variants: [mediumInput] });
    // The update's own variant SKU stays taken.
    const third = await call('POST', '/admin/products', dress({ handle: 'third', variants: [smallInput] }));
    expect(third.body).toEqual({
      type: 'invalid_data',
      message: 'Product variant with sku: SKU-S, already exists.',
    });
  });

  it('frees a deleted product’s handle, SKUs and inventory items', async () => {
    const product = await create();
    expect(simulator.inventoryItem('SKU-S')).toBeDefined();
    expect((await call('DELETE', `/admin/products/${String(product.id)}`)).status).toBe(200);
    expect(simulator.inventoryItem('SKU-S')).toBeUndefined();
    const again = await create();
    expect(again.handle).toBe('shein-10001');
    expect(simulator.inventoryItem('SKU-S')).toBeDefined();
  });
});

describe('POST /admin/products/:id upserts the variants it is sent and deletes the others', () => {
  it('keeps variants sent with their id, creates those without, deletes those left out', async () => {
    const product = await create();
    const [small, medium] = variantsOf(product);
    const path = `/admin/products/${String(product.id)}`;
    const sizeId = (product.options as { id: string }[])[0]?.id;
    const batch = await call('POST', `${path}/options/batch`, {
      update: [{ product_option_id: sizeId, add: [{ value: 'L' }] }],
    });
    expect(batch.status).toBe(200);
    const reply = await call('POST', path, {
      variants: [
        {
          id: small?.id,
          title: 'S',
          options: { Size: 'S' },
          prices: [{ amount: 19.9, currency_code: 'sar' }],
        },
        { title: 'L', sku: 'SKU-L', options: { Size: 'L' }, prices: [{ amount: 25, currency_code: 'sar' }] },
      ],
    });
    expect(reply.status).toBe(200);
    const variants = variantsOf(reply.body.product as Record<string, unknown>);
    expect(variants.map((variant) => variant.sku)).toEqual(['SKU-S', 'SKU-L']);
    expect(variants[0]?.id).toBe(small?.id);
    // Prices are replaced: a price keeps its id only when sent with it.
    expect(variants[0]?.prices).toMatchObject([{ amount: 19.9, currency_code: 'sar' }]);
    expect(variants[0]?.prices[0]?.id).not.toBe(small?.prices[0]?.id);
    expect(variants.map((variant) => variant.id)).not.toContain(medium?.id);
  });

  it('refuses options in the update body (removed in 2.16) and values the option does not have', async () => {
    const product = await create();
    const path = `/admin/products/${String(product.id)}`;
    expect(await call('POST', path, { options: [{ title: 'Size', values: ['S', 'M', 'L'] }] })).toEqual({
      status: 400,
      body: {
        type: 'invalid_data',
        message:
          "Invalid request: The 'options' property was removed in version 2.16.0. Please remove it from your request payload.",
      },
    });
    const unknownValue = await call('POST', path, {
      variants: [{ title: 'L', sku: 'SKU-L', options: { Size: 'L' } }],
    });
    expect(unknownValue.body).toEqual({
      type: 'invalid_data',
      message: 'Option value L does not exist for option Size',
    });
    const unknownOption = await call('POST', `${path}/options/batch`, {
      update: [{ product_option_id: 'opt_nope', add: [{ value: 'L' }] }],
    });
    expect(unknownOption.body.message).toBe(
      `Some product options are not linked to products: [${String(product.id)}:opt_nope]`,
    );
  });

  it('refuses new variants that reuse the SKUs of the variants the update would delete (the trap)', async () => {
    const product = await create();
    const reply = await call('POST', `/admin/products/${String(product.id)}`, {
      variants: [
        { title: 'S', sku: 'SKU-S', options: { Size: 'S' } },
        { title: 'M', sku: 'SKU-M', options: { Size: 'M' } },
      ],
    });
    expect(reply).toEqual({
      status: 400,
      body: { type: 'invalid_data', message: 'Product variant with sku: SKU-S, already exists.' },
    });
    expect(simulator.product(String(product.id))?.variants.map((variant) => variant.id)).toEqual(
      variantsOf(product).map((variant) => variant.id),
    );
  });

  it('creates a variant under an id the product does not have, and leaves the product unchanged on a refusal', async () => {
    const product = await create();
    const path = `/admin/products/${String(product.id)}`;
    expect((await call('POST', path, { inventory_quantity: 3 })).status).toBe(400);
    expect((await call('POST', path, { variants: [{ title: 'S2', options: { Size: 'XL' } }] })).status).toBe(
      400,
    );
    expect(simulator.product(String(product.id))?.variants).toHaveLength(2);
    const upsert = await call('POST', path, { variants: [{ id: 'variant_mine', title: 'X' }] });
    expect(variantsOf(upsert.body.product as Record<string, unknown>).map((variant) => variant.id)).toEqual([
      'variant_mine',
    ]);
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
      body: { type: 'not_found', message: 'Product not found' },
    });
  });

  it('answers only the fields asked for, plus id at every level; modifiers only change the defaults (checked against Medusa)', async () => {
    const product = await create();
    const fields = 'id,handle,status,external_id,metadata,updated_at';
    const [listed] = (await call('GET', `/admin/products?fields=${fields}`)).body.products as Record<
      string,
      unknown
    >[];
    expect(listed).toEqual({
      id: product.id,
      handle: 'shein-10001',
      status: 'published',
      external_id: 'shein:10001',
      metadata: { pimcoreId: 7 },
      updated_at: product.updated_at,
    });
    const nested = await call(
      'GET',
      `/admin/products/${String(product.id)}?fields=handle,variants.sku,options`,
    );
    expect(nested.body.product).toEqual({
      id: product.id,
      handle: 'shein-10001',
      variants: variantsOf(product).map(({ id, sku }) => ({ id, sku })),
    });
    const starred = (await call('GET', '/admin/products?fields=handle,*variants.prices')).body.products as {
      variants: Record<string, unknown>[];
    }[];
    expect(Object.keys(starred[0]?.variants[0] ?? {}).sort()).toEqual(['id', 'prices']);
    expect((await call('GET', '/admin/products?fields=nope')).body.products).toEqual([{ id: product.id }]);
    const [trimmed] = (await call('GET', '/admin/products?fields=-variants,%2Bmetadata')).body
      .products as Record<string, unknown>[];
    expect(trimmed).toMatchObject({ handle: 'shein-10001', options: expect.any(Array) });
    expect(trimmed).not.toHaveProperty('variants');
  });

  it('orders by a column (order=id, order=-id), pages, filters by lists; refuses a plain status (checked against Medusa)', async () => {
    const ids: string[] = [];
    for (const n of [1, 2, 3, 4]) {
      ids.push(
        String(
          (await create({ handle: `p-${n}`, variants: [], status: n === 4 ? 'draft' : 'published' })).id,
        ),
      );
    }
    const page = async (query: string) =>
      ((await call('GET', `/admin/products?fields=id&${query}`)).body.products as { id: string }[]).map(
        (product) => product.id,
      );
    const ascending = [...ids].sort();
    expect([...(await page('order=id&limit=2')), ...(await page('order=id&limit=2&offset=2'))]).toEqual(
      ascending,
    );
    expect(await page('order=-id')).toEqual([...ascending].reverse());
    expect((await call('GET', '/admin/products?order=id&limit=2&offset=2')).body).toMatchObject({
      count: 4,
      offset: 2,
      limit: 2,
    });
    expect(await page(`id[]=${ids[0]}&id[]=${ids[2]}&order=id`)).toEqual([ids[0], ids[2]].sort());
    expect(await page(`id=${ids[1]}&id=${ids[3]}&order=id`)).toEqual([ids[1], ids[3]].sort());
    expect(await page('handle=p-2')).toEqual([ids[1]]);
    expect(await page('status[]=draft')).toEqual([ids[3]]);
    expect(await call('GET', '/admin/products?status=draft')).toEqual({
      status: 400,
      body: {
        type: 'invalid_data',
        message: "Invalid request: Expected type: 'array' for field 'status', got: 'draft'",
      },
    });
    expect(await call('GET', '/admin/products?order=nope')).toEqual({
      status: 500,
      body: { code: 'unknown_error', type: 'unknown_error', message: 'An unknown error occurred.' },
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

describe('POST /admin/products/:id/options/batch', () => {
  it('removes a value or an option only when no variant uses it, and ignores unknown ids', async () => {
    const product = await create();
    const path = `/admin/products/${String(product.id)}/options/batch`;
    const [size] = product.options as { id: string; values: { id: string; value: string }[] }[];
    const medium = size?.values.find((value) => value.value === 'M');
    expect(
      (await call('POST', path, { update: [{ product_option_id: size?.id, remove: [medium?.id] }] })).body,
    ).toEqual({
      type: 'invalid_data',
      message: 'Cannot unassign option values from product because the following variant(s) are using it: M',
    });
    expect((await call('POST', path, { remove: [size?.id] })).body.message).toBe(
      'Cannot unassign product option from product which has variants for that option',
    );
    expect((await call('POST', path, { remove: ['opt_nope'] })).status).toBe(200);

    const [small] = variantsOf(product);
    await call('POST', `/admin/products/${String(product.id)}`, { variants: [{ id: small?.id }] });
    const freed = await call('POST', path, {
      update: [{ product_option_id: size?.id, remove: [medium?.id] }],
    });
    expect(
      (freed.body.product as { options: { values: { value: string }[] }[] }).options[0]?.values,
    ).toMatchObject([{ value: 'S' }]);
  });
});

describe('inventory', () => {
  it('gives each managed variant of a created product an item with its SKU; levels are set per stock location', async () => {
    const product = await create();
    const [small, medium] = variantsOf(product);
    expect(simulator.inventoryItemsOf(String(medium?.id))).toEqual([]);
    const locations = await call('GET', '/admin/stock-locations');
    expect(locations.body).toMatchObject({ stock_locations: [{ id: simulator.stockLocation.id }], count: 1 });

    const found = await call('GET', '/admin/inventory-items?sku=SKU-S');
    expect(found.body).toMatchObject({ count: 1, inventory_items: [{ sku: 'SKU-S', location_levels: [] }] });
    const itemId = String((found.body.inventory_items as { id: string }[])[0]?.id);
    expect(simulator.inventoryItemsOf(String(small?.id)).map((item) => item.id)).toEqual([itemId]);

    const levels = `/admin/inventory-items/${itemId}/location-levels`;
    const location = simulator.stockLocation.id;
    const created = await call('POST', levels, { location_id: location, stocked_quantity: 5 });
    expect(created.body.inventory_item).toMatchObject({
      stocked_quantity: 5,
      location_levels: [{ location_id: location, stocked_quantity: 5, available_quantity: 5 }],
    });
    expect((await call('POST', levels, { location_id: location, stocked_quantity: 6 })).body).toEqual({
      type: 'invalid_data',
      message: `Inventory level with inventory_item_id: ${itemId}, location_id: ${location}, already exists.`,
    });
    const updated = await call('POST', `${levels}/${location}`, { stocked_quantity: 7 });
    expect(updated.body.inventory_item).toMatchObject({ stocked_quantity: 7 });
    expect(await call('POST', `${levels}/sloc_nope`, { stocked_quantity: 1 })).toEqual({
      status: 404,
      body: { type: 'not_found', message: `Item ${itemId} is not stocked at location sloc_nope` },
    });
    expect((await call('POST', `${levels}/${location}`, { stocked_quantity: -1 })).body.message).toBe(
      "Invalid request: Value for field 'stocked_quantity' too small, expected at least: '0'",
    );
    expect((await call('POST', `${levels}/${location}`, { stocked_quantity: 1, foo: 1 })).status).toBe(400);
  });

  it('gives no item to a variant an update adds; an item is created and linked by hand', async () => {
    const product = await create();
    const [, medium] = variantsOf(product);
    const path = `/admin/products/${String(product.id)}`;
    const reply = await call('POST', path, {
      variants: [{ id: medium?.id }, { title: 'S2', sku: 'SKU-S2', options: { Size: 'S' } }],
    });
    const added = variantsOf(reply.body.product as Record<string, unknown>)[1];
    expect(simulator.inventoryItemsOf(String(added?.id))).toEqual([]);
    // The deleted variant's item stays behind with its SKU.
    expect(simulator.inventoryItem('SKU-S')).toBeDefined();
    expect((await call('POST', '/admin/inventory-items', { sku: 'SKU-S' })).body).toEqual({
      type: 'invalid_data',
      message: 'Inventory item with sku: SKU-S, already exists.',
    });

    const item = await call('POST', '/admin/inventory-items', { sku: 'SKU-S2', title: 'S2' });
    const itemId = String((item.body.inventory_item as { id: string }).id);
    const link = await call('POST', `${path}/variants/${String(added?.id)}/inventory-items`, {
      inventory_item_id: itemId,
      required_quantity: 1,
    });
    expect(link.status).toBe(200);
    expect(simulator.inventoryItemsOf(String(added?.id)).map((linked) => linked.id)).toEqual([itemId]);
  });
});

describe('store carts', () => {
  const key = () => ({ 'x-publishable-api-key': simulator.publishableKey });

  async function cart(): Promise<string> {
    const reply = await call('POST', '/store/carts', { region_id: simulator.region.id }, key());
    expect(reply.body.cart).toMatchObject({
      currency_code: 'sar',
      region_id: simulator.region.id,
      sales_channel_id: simulator.salesChannel.id,
    });
    return String((reply.body.cart as { id: string }).id);
  }

  const addItem = (cartId: string, variantId: string | undefined, quantity = 1) =>
    call('POST', `/store/carts/${cartId}/line-items`, { variant_id: variantId, quantity }, key());

  async function stock(sku: string, quantity: number): Promise<void> {
    const item = simulator.inventoryItem(sku);
    const reply = await call('POST', `/admin/inventory-items/${String(item?.id)}/location-levels`, {
      location_id: simulator.stockLocation.id,
      stocked_quantity: quantity,
    });
    expect(reply.status).toBe(200);
  }

  it('adds a stocked variant at its price and merges quantities up to the stock', async () => {
    const [small, medium] = variantsOf(await create());
    await stock('SKU-S', 2);
    const cartId = await cart();
    const added = await addItem(cartId, small?.id);
    expect(added.body.cart).toMatchObject({
      items: [{ variant_id: small?.id, quantity: 1, unit_price: 23.8, product_handle: 'shein-10001' }],
      total: 23.8,
    });
    expect((await addItem(cartId, small?.id)).body.cart).toMatchObject({ items: [{ quantity: 2 }] });
    expect(await addItem(cartId, small?.id)).toEqual({
      status: 400,
      body: {
        code: 'insufficient_inventory',
        type: 'not_allowed',
        message: 'Some variant does not have the required inventory',
      },
    });
    // manage_inventory false needs no stock.
    expect((await addItem(cartId, medium?.id, 100)).status).toBe(200);
  });

  it('refuses a variant without a level at a location of the channel, of a draft product, or without a price', async () => {
    const [small] = variantsOf(await create());
    const cartId = await cart();
    expect((await addItem(cartId, small?.id)).body).toEqual({
      type: 'invalid_data',
      message: `Sales channel ${simulator.salesChannel.id} is not associated with any stock location for variant ${String(small?.id)}.`,
    });
    const usd = variantsOf(
      await create({
        handle: 'usd-only',
        variants: [
          {
            title: 'S',
            sku: 'USD-S',
            options: { Size: 'S' },
            manage_inventory: false,
            prices: [{ amount: 5, currency_code: 'usd' }],
          },
        ],
      }),
    )[0];
    expect((await addItem(cartId, usd?.id)).body.message).toBe(
      `Variants with IDs ${String(usd?.id)} do not have a price`,
    );
    const draft = variantsOf(
      await create({
        handle: 'draft',
        status: 'draft',
        variants: [{ title: 'S', sku: 'D-S', options: { Size: 'S' }, manage_inventory: false, prices: [] }],
      }),
    )[0];
    expect((await addItem(cartId, draft?.id)).body.message).toBe(
      `Variants ${String(draft?.id)} do not exist or belong to a product that is not published`,
    );
    expect((await addItem(cartId, 'variant_nope')).status).toBe(400);
    expect((await addItem(cartId, small?.id, 0)).status).toBe(400);
  });

  it('refuses a sales channel the key is not tied to, an unknown region and an unknown cart', async () => {
    const channel = await call('POST', '/store/carts', { sales_channel_id: 'sc_other' }, key());
    expect(channel).toEqual({
      status: 400,
      body: {
        errors: [
          'Sales channel ID in payload sc_other is not associated with the Publishable API Key in the header.',
        ],
        message: 'Provided request body contains errors. Please check the data and retry the request',
      },
    });
    expect(await call('POST', '/store/carts', { region_id: 'reg_nope' }, key())).toEqual({
      status: 404,
      body: { type: 'not_found', message: 'No regions found' },
    });
    expect((await addItem('cart_nope', 'variant_x')).body).toEqual({
      type: 'not_found',
      message: 'Cart id not found: cart_nope',
    });
    expect((await call('POST', '/store/carts', {}, {})).status).toBe(400);
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
    expect(reply.body.message).toBe('Product with handle: shein-10001, already exists.');
  });
});
