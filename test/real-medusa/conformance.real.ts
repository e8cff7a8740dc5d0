import { randomBytes } from 'node:crypto';
import { MedusaSimulator } from '../../local/medusa-simulator';
import {
  outcome,
  realMedusa,
  TargetClient,
  withoutIds,
  type MedusaTarget,
  type Reply,
} from './medusa-target';

/**
 * The simulator against the real Medusa 2.21.2: every scenario runs the same requests (same handles and
 * SKUs) on both and the outcomes must be equal: status, error type/code/message (ids masked), and the
 * stored shape. A difference means the simulator misleads the relay's tests.
 */

let simulator: MedusaSimulator;
beforeAll(async () => {
  simulator = await MedusaSimulator.start();
});
afterAll(() => simulator.stop());

const real = realMedusa();
const run = randomBytes(3).toString('hex');
let counter = 0;
/** Names unique on the long-lived real server, the same on both servers within one scenario. */
const names = () => {
  counter += 1;
  const n = counter;
  return { handle: `conf-${run}-${n}`, sku: (size: string) => `C${run}-${n}-${size}` };
};

/** Runs the scenario on the simulator and on real Medusa; returns [simulator's, real's]. */
async function onBoth<T>(scenario: (client: TargetClient) => Promise<T>): Promise<[T, T]> {
  const simulated = await scenario(new TargetClient(simulator));
  const actual = await scenario(new TargetClient(real));
  return [simulated, actual];
}

/** The same scenario gives the same result on both; the real one is returned for further checks. */
async function expectSame<T>(scenario: (client: TargetClient) => Promise<T>): Promise<T> {
  const [simulated, actual] = await onBoth(scenario);
  expect(simulated).toEqual(actual);
  return actual;
}

type Name = ReturnType<typeof names>;

/** A two-size dress: S manages inventory, M does not; SAR prices in major units. */
function dress(
  target: MedusaTarget,
  name: Name,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    title: 'Ribbed Dress',
    handle: name.handle,
    external_id: `shein:${name.handle}`,
    status: 'published',
    thumbnail: 'https://img.example.com/front.jpg',
    images: [{ url: 'https://img.example.com/front.jpg' }, { url: 'https://img.example.com/back.jpg' }],
    sales_channels: [{ id: target.salesChannel.id }],
    metadata: { pimcoreId: 7 },
    options: [{ title: 'Size', values: ['S', 'M'] }],
    variants: [
      {
        title: 'S',
        sku: name.sku('S'),
        options: { Size: 'S' },
        prices: [{ amount: 23.8, currency_code: 'sar' }],
      },
      {
        title: 'M',
        sku: name.sku('M'),
        options: { Size: 'M' },
        manage_inventory: false,
        prices: [
          { amount: 22.8, currency_code: 'sar' },
          { amount: 6.08, currency_code: 'usd' },
        ],
      },
    ],
    ...overrides,
  };
}

interface VariantView {
  id: string;
  sku: string | null;
  title: string;
  manage_inventory: boolean;
  allow_backorder: boolean;
  options: { value: string }[] | null;
  prices: { id: string; amount: number; currency_code: string }[];
}

/** The stored product as both servers must show it, ids left out, lists in a stable order. */
function shape(product: Record<string, unknown>, target: MedusaTarget): Record<string, unknown> {
  const variants = product.variants as VariantView[];
  return {
    title: product.title,
    handle: product.handle,
    status: product.status,
    external_id: product.external_id,
    thumbnail: product.thumbnail,
    metadata: product.metadata,
    images: (product.images as { url: string }[]).map((image) => image.url),
    in_channel: (product.sales_channels as { id: string }[]).map(
      (channel) => channel.id === target.salesChannel.id,
    ),
    options: (product.options as { title: string; values: { value: string }[] }[])
      .map((option) => ({ title: option.title, values: option.values.map((value) => value.value).sort() }))
      .sort((a, b) => a.title.localeCompare(b.title)),
    variants: [...variants]
      .sort((a, b) => String(a.sku).localeCompare(String(b.sku)))
      .map((variant) => ({
        sku: variant.sku,
        title: variant.title,
        manage_inventory: variant.manage_inventory,
        allow_backorder: variant.allow_backorder,
        options: (variant.options ?? []).map((value) => value.value).sort(),
        prices: variant.prices
          .map((price) => ({ amount: price.amount, currency_code: price.currency_code }))
          .sort((a, b) => a.currency_code.localeCompare(b.currency_code)),
      })),
  };
}

function productOf(reply: Reply): Record<string, unknown> {
  if (reply.status !== 200)
    throw new Error(`expected a product, got ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body.product as Record<string, unknown>;
}

const variantsOf = (product: Record<string, unknown>) => product.variants as VariantView[];
const bySku = (product: Record<string, unknown>, sku: string) =>
  variantsOf(product).find((variant) => variant.sku === sku);

async function inventoryCount(client: TargetClient, sku: string): Promise<number> {
  return Number(
    (await client.admin('GET', `/admin/inventory-items?sku=${encodeURIComponent(sku)}`)).body.count,
  );
}

async function inventoryItemId(client: TargetClient, sku: string): Promise<string> {
  const reply = await client.admin('GET', `/admin/inventory-items?sku=${encodeURIComponent(sku)}`);
  return String((reply.body.inventory_items as { id: string }[])[0]?.id);
}

describe('admin auth', () => {
  it('answers 401 { message } without credentials or with a wrong key, and 401 typed for a bad login', async () => {
    const result = await expectSame(async (client) => [
      await client.send('GET', '/admin/products', undefined, {}),
      await client.send('GET', '/admin/products', undefined, {
        authorization: `Basic ${Buffer.from('sk_wrong:').toString('base64')}`,
      }),
      outcome(
        await client.send('POST', '/auth/user/emailpass', { email: 'nobody@example.com', password: 'x' }, {}),
      ),
    ]);
    expect(result[0]).toEqual({ status: 401, body: { message: 'Unauthorized' } });
  });
});

describe('errors outside the product rules', () => {
  it('answers unknown ids, an unknown region and an unknown route as Medusa does', async () => {
    await expectSame(async (client) => {
      const page = await fetch(`${client.target.url}/admin/nope`, {
        headers: {
          authorization: `Basic ${Buffer.from(`${client.target.secretApiKey}:`).toString('base64')}`,
        },
      });
      return {
        get: outcome(await client.admin('GET', '/admin/products/prod_nope')),
        update: outcome(await client.admin('POST', '/admin/products/prod_nope', { status: 'draft' })),
        batch: outcome(
          await client.admin('POST', '/admin/products/prod_nope/options/batch', {
            add: [{ title: 'X', values: ['a'] }],
          }),
        ),
        delete: (await client.admin('DELETE', '/admin/products/prod_nope')).body,
        item: outcome(await client.admin('GET', '/admin/inventory-items/iitem_nope')),
        region: outcome(await client.store('GET', '/store/products?region_id=reg_nope')),
        route: [page.status, page.headers.get('content-type'), await page.text()],
      };
    });
  });
});

describe('POST /admin/products', () => {
  it('creates options, variants, major-unit prices and images; an inventory item per managed variant', async () => {
    const name = names();
    const result = await expectSame(async (client) => {
      const product = productOf(await client.admin('POST', '/admin/products', dress(client.target, name)));
      return {
        shape: shape(product, client.target),
        items: [await inventoryCount(client, name.sku('S')), await inventoryCount(client, name.sku('M'))],
      };
    });
    expect(result.items).toEqual([1, 0]);
    expect(result.shape).toMatchObject({
      status: 'published',
      variants: [{ prices: [{ amount: 22.8 }, { amount: 6.08 }] }, {}],
    });
  });

  it('refuses a product without options, a variant without a value for every option, and unknown values', async () => {
    const name = names();
    const options = [
      { title: 'Size', values: ['S'] },
      { title: 'Color', values: ['Black'] },
    ];
    const variant = (values: Record<string, string>) => [{ title: 'S', options: values, prices: [] }];
    const result = await expectSame(async (client) => {
      const attempt = async (overrides: Record<string, unknown>) =>
        outcome(await client.admin('POST', '/admin/products', dress(client.target, name, overrides)));
      return [
        await attempt({ options: undefined, variants: [] }),
        await attempt({ options, variants: variant({ Size: 'S' }) }),
        await attempt({ options, variants: variant({ Size: 'XL', Color: 'Black' }) }),
      ];
    });
    expect(result.map((answer) => answer.status)).toEqual([400, 400, 400]);
  });

  it('refuses unknown fields (inventory_quantity), and variants without prices', async () => {
    const name = names();
    const result = await expectSame(async (client) => {
      const body = dress(client.target, name);
      const [small] = body.variants as Record<string, unknown>[];
      return [
        outcome(
          await client.admin('POST', '/admin/products', {
            ...body,
            variants: [{ ...small, inventory_quantity: 4 }],
          }),
        ),
        outcome(await client.admin('POST', '/admin/products', { ...body, brand: 'SHEIN' })),
        outcome(
          await client.admin('POST', '/admin/products', {
            ...body,
            variants: [{ ...small, prices: undefined }],
          }),
        ),
      ];
    });
    expect(result[0]).toMatchObject({
      status: 400,
      message: "Invalid request: Unrecognized fields: 'inventory_quantity'",
    });
  });

  it('refuses a duplicate handle and a duplicate SKU', async () => {
    const name = names();
    const other = names();
    const result = await expectSame(async (client) => {
      productOf(await client.admin('POST', '/admin/products', dress(client.target, name)));
      return [
        outcome(await client.admin('POST', '/admin/products', dress(client.target, name, { variants: [] }))),
        outcome(
          await client.admin('POST', '/admin/products', dress(client.target, name, { handle: other.handle })),
        ),
      ];
    });
    expect(result[1]).toMatchObject({
      status: 400,
      message: `Product variant with sku: ${name.sku('S')}, already exists.`,
    });
  });

  it('finds a product by handle', async () => {
    const name = names();
    await expectSame(async (client) => {
      await client.admin('POST', '/admin/products', dress(client.target, name));
      const found = await client.admin('GET', `/admin/products?handle=${name.handle}`);
      const products = found.body.products as Record<string, unknown>[];
      return { count: found.body.count, external_id: products[0]?.external_id };
    });
  });
});

/** The reconciliation's page query (MedusaAdminClient.listProducts). */
const RECONCILE_FIELDS = 'id,handle,status,external_id,metadata,updated_at';
const sortedKeys = (record: Record<string, unknown>) => Object.keys(record).sort();

describe('GET /admin/products (fields, order, paging)', () => {
  it('answers only the fields asked for, plus id, at every level; -field drops one from the defaults', async () => {
    const name = names();
    const result = await expectSame(async (client) => {
      await client.admin('POST', '/admin/products', dress(client.target, name));
      const list = async (query: string) =>
        (await client.admin('GET', `/admin/products?handle=${name.handle}&${query}`)).body.products as Record<
          string,
          unknown
        >[];
      const [selected] = await list(`fields=${RECONCILE_FIELDS}`);
      // The reconciliation's own query: every product of the page has exactly those keys.
      const page = await client.admin(
        'GET',
        `/admin/products?offset=0&limit=100&order=id&fields=${RECONCILE_FIELDS}`,
      );
      const [nested] = await list('fields=handle,variants.sku');
      const [unknown] = await list('fields=nope');
      const [withoutVariants] = await list('fields=-variants');
      const retrieved = productOf(
        await client.admin('GET', `/admin/products/${String(selected?.id)}?fields=handle,status`),
      );
      return {
        keys: selected && sortedKeys(selected),
        values: selected && { ...selected, id: undefined, updated_at: typeof selected.updated_at },
        pageKeys: [
          ...new Set((page.body.products as Record<string, unknown>[]).map((p) => sortedKeys(p).join())),
        ],
        nested: nested && {
          keys: sortedKeys(nested),
          variants: (nested.variants as Record<string, unknown>[]).map(sortedKeys),
        },
        unknown: unknown && sortedKeys(unknown),
        withoutVariants: withoutVariants && {
          variants: 'variants' in withoutVariants,
          handle: withoutVariants.handle,
        },
        retrieved: sortedKeys(retrieved),
      };
    });
    expect(result.keys).toEqual(['external_id', 'handle', 'id', 'metadata', 'status', 'updated_at']);
    expect(result.pageKeys).toEqual([result.keys?.join()]);
    expect(result.nested?.variants).toEqual([
      ['id', 'sku'],
      ['id', 'sku'],
    ]);
    expect(result.unknown).toEqual(['id']);
    expect(result.retrieved).toEqual(['handle', 'id', 'status']);
  });

  it('pages in ascending id order with order=id, count the total; filters take lists (status only lists)', async () => {
    const created = [names(), names(), names()];
    const result = await expectSame(async (client) => {
      const ids: string[] = [];
      for (const name of created) {
        ids.push(
          String(productOf(await client.admin('POST', '/admin/products', dress(client.target, name))).id),
        );
      }
      const byId = ids.map((id) => `id[]=${id}`).join('&');
      const page = async (query: string) => {
        const reply = await client.admin(
          'GET',
          `/admin/products?${byId}&${query}&fields=${RECONCILE_FIELDS}`,
        );
        const products = reply.body.products as { id: string }[];
        return {
          ids: products.map((p) => p.id),
          count: reply.body.count,
          offset: reply.body.offset,
          limit: reply.body.limit,
        };
      };
      const first = await page('order=id&limit=2&offset=0');
      const second = await page('order=id&limit=2&offset=2');
      const walked = [...first.ids, ...second.ids];
      const descending = await page('order=-id');
      // The reconciliation's walk over the whole catalogue, a small page at a time.
      const all: string[] = [];
      const walk = async (offset: number): Promise<number> => {
        const reply = await client.admin(
          'GET',
          `/admin/products?offset=${offset}&limit=25&order=id&fields=${RECONCILE_FIELDS}`,
        );
        all.push(...(reply.body.products as { id: string }[]).map((p) => p.id));
        const count = Number(reply.body.count);
        return offset + 25 >= count ? count : walk(offset + 25);
      };
      const total = await walk(0);
      const ascending = (list: readonly string[]) => list.every((id, i) => i === 0 || list[i - 1]! < id);
      const handles = created.map((name) => name.handle);
      const byHandle = await client.admin(
        'GET',
        `/admin/products?handle=${handles[0]}&handle=${handles[2]}&fields=handle`,
      );
      return {
        pages: [
          first.ids.length,
          second.ids.length,
          first.count,
          second.count,
          first.offset,
          second.offset,
          first.limit,
        ],
        walkedAscending: ascending(walked),
        walkedAll: [...walked].sort().join() === [...ids].sort().join(),
        descending: descending.ids.join() === [...walked].reverse().join(),
        catalogue: {
          ascending: ascending(all),
          complete: all.length === total,
          ours: ids.every((id) => all.includes(id)),
        },
        byHandle: {
          count: byHandle.body.count,
          handles: (byHandle.body.products as { handle: string }[]).map((p) => p.handle).sort(),
        },
        statusList: (
          await client.admin('GET', `/admin/products?${byId}&status[]=draft&status[]=published&fields=id`)
        ).body.count,
        statusText: outcome(await client.admin('GET', `/admin/products?${byId}&status=published`)),
        unknownOrder: outcome(await client.admin('GET', `/admin/products?${byId}&order=nope`)),
      };
    });
    expect(result).toMatchObject({
      pages: [2, 1, 3, 3, 0, 2, 2],
      walkedAscending: true,
      walkedAll: true,
      descending: true,
      catalogue: { ascending: true, complete: true, ours: true },
      byHandle: { count: 2 },
      statusList: 3,
      statusText: { status: 400 },
      unknownOrder: { status: 500 },
    });
  });

  it('answers variants with their SKU and prices (amount, currency_code) by default, listed or retrieved', async () => {
    const name = names();
    const result = await expectSame(async (client) => {
      await client.admin('POST', '/admin/products', dress(client.target, name));
      // MedusaAdminClient.findProductByHandle's query, which `npx pipeline trace` reads prices from.
      const found = await client.admin('GET', `/admin/products?handle=${name.handle}&limit=1`);
      const [listed] = found.body.products as Record<string, unknown>[];
      const retrieved =
        listed && productOf(await client.admin('GET', `/admin/products/${String(listed.id)}`));
      const view = (product: Record<string, unknown> | undefined) =>
        product &&
        [...variantsOf(product)]
          .sort((a, b) => String(a.sku).localeCompare(String(b.sku)))
          .map((variant) => ({
            keys: ['id', 'sku', 'title', 'manage_inventory', 'prices'].filter((key) => key in variant),
            prices: variant.prices
              .map((price) => ({
                keys: ['id', 'amount', 'currency_code'].filter((key) => key in price),
                amount: price.amount,
                currency_code: price.currency_code,
              }))
              .sort((a, b) => a.currency_code.localeCompare(b.currency_code)),
          }));
      return {
        count: found.body.count,
        limit: found.body.limit,
        listed: view(listed),
        retrieved: view(retrieved),
      };
    });
    expect(result.listed).toEqual(result.retrieved);
    expect(result.listed?.[0]).toEqual({
      keys: ['id', 'sku', 'title', 'manage_inventory', 'prices'],
      prices: [
        { keys: ['id', 'amount', 'currency_code'], amount: 22.8, currency_code: 'sar' },
        { keys: ['id', 'amount', 'currency_code'], amount: 6.08, currency_code: 'usd' },
      ],
    });
  });
});

describe('POST /admin/products/:id', () => {
  it('refuses options in the body; values come through options/batch; kept variants keep ids, others go', async () => {
    const name = names();
    const result = await expectSame(async (client) => {
      const created = productOf(await client.admin('POST', '/admin/products', dress(client.target, name)));
      const path = `/admin/products/${String(created.id)}`;
      const small = bySku(created, name.sku('S'));
      const size = (created.options as { id: string }[])[0]?.id;
      const refusedOptions = outcome(
        await client.admin('POST', path, { options: [{ title: 'Size', values: ['S', 'M', 'L'] }] }),
      );
      const large = {
        title: 'L',
        sku: name.sku('L'),
        options: { Size: 'L' },
        prices: [{ amount: 25, currency_code: 'sar' }],
      };
      const unknownValue = outcome(
        await client.admin('POST', path, { variants: [{ id: small?.id }, large] }),
      );
      const batch = await client.admin('POST', `${path}/options/batch`, {
        update: [{ product_option_id: size, add: [{ value: 'L' }] }],
      });
      const updated = productOf(
        await client.admin('POST', path, {
          variants: [{ id: small?.id, title: 'S', prices: [{ amount: 19.9, currency_code: 'sar' }] }, large],
        }),
      );
      const kept = bySku(updated, name.sku('S'));
      return {
        refusedOptions,
        unknownValue,
        batch: outcome(batch),
        shape: shape(updated, client.target),
        keptId: kept?.id === small?.id,
        priceIdKept: kept?.prices[0]?.id === small?.prices[0]?.id,
        // A variant an update adds gets no inventory item; a deleted one's item stays.
        items: [await inventoryCount(client, name.sku('L')), await inventoryCount(client, name.sku('S'))],
        reuse: outcome(
          await client.admin('POST', path, {
            variants: [{ title: 'S', sku: name.sku('S'), options: { Size: 'S' } }],
          }),
        ),
        draft: (productOf(await client.admin('POST', path, { status: 'draft' })).status as string) ?? null,
      };
    });
    expect(result).toMatchObject({ keptId: true, priceIdKept: false, items: [0, 1], draft: 'draft' });
    expect(result.reuse).toMatchObject({ status: 400 });
  });
});

describe('unique indexes', () => {
  it('frees the SKU of a variant an update deleted, and the handle, SKUs and inventory items of a deleted product', async () => {
    const name = names();
    const other = names();
    /** The dress's own variants: [S, M]. */
    const variantsFor = (target: MedusaTarget) => dress(target, name).variants as unknown[];
    const result = await expectSame(async (client) => {
      const created = productOf(await client.admin('POST', '/admin/products', dress(client.target, name)));
      const path = `/admin/products/${String(created.id)}`;
      const kept = bySku(created, name.sku('S'));
      const withoutMedium = outcome(
        await client.admin('POST', path, {
          variants: [{ id: kept?.id, title: 'S', prices: [{ amount: 23.8, currency_code: 'sar' }] }],
        }),
      );
      const mediumElsewhere = outcome(
        await client.admin(
          'POST',
          '/admin/products',
          dress(client.target, other, { variants: [variantsFor(client.target)[1]] }),
        ),
      );
      const deleted = outcome(await client.admin('DELETE', path));
      const itemsAfterDelete = await inventoryCount(client, name.sku('S'));
      const recreated = outcome(
        await client.admin(
          'POST',
          '/admin/products',
          dress(client.target, name, { variants: [variantsFor(client.target)[0]] }),
        ),
      );
      return { withoutMedium, mediumElsewhere, deleted, itemsAfterDelete, recreated };
    });
    expect(result).toMatchObject({
      withoutMedium: { status: 200 },
      mediumElsewhere: { status: 200 },
      deleted: { status: 200 },
      itemsAfterDelete: 0,
      recreated: { status: 200 },
    });
  });
});

describe('POST /admin/products/:id/options/batch', () => {
  it('removes values and options only when no variant uses them; an update checks values only when sent', async () => {
    const name = names();
    await expectSame(async (client) => {
      const created = productOf(
        await client.admin(
          'POST',
          '/admin/products',
          dress(client.target, name, {
            options: [
              { title: 'Size', values: ['S', 'M'] },
              { title: 'Color', values: ['Red'] },
            ],
            variants: ['S', 'M'].map((size) => ({
              title: `Size ${size}`,
              sku: name.sku(size),
              options: { Size: size, Color: 'Red' },
              prices: [],
            })),
          }),
        ),
      );
      const path = `/admin/products/${String(created.id)}`;
      const options = created.options as {
        id: string;
        title: string;
        values: { id: string; value: string }[];
      }[];
      const size = options.find((option) => option.title === 'Size');
      const color = options.find((option) => option.title === 'Color');
      const medium = size?.values.find((value) => value.value === 'M');
      const [first, second] = variantsOf(created).sort((a, b) => String(a.sku).localeCompare(String(b.sku)));
      const batch = async (body: unknown) =>
        outcome(await client.admin('POST', `${path}/options/batch`, body));
      return {
        valueInUse: await batch({ update: [{ product_option_id: size?.id, remove: [medium?.id] }] }),
        optionInUse: await batch({ remove: [color?.id] }),
        unknownIds: await batch({
          remove: ['opt_nope'],
          update: [{ product_option_id: size?.id, remove: ['optval_nope'] }],
        }),
        partialValues: outcome(
          await client.admin('POST', path, { variants: [{ id: first?.id, options: { Size: 'S' } }] }),
        ),
        noValues: shape(
          productOf(
            await client.admin('POST', path, {
              variants: [{ id: first?.id }, { title: 'Bare', sku: name.sku('B') }],
            }),
          ),
          client.target,
        ),
        // M's variant is gone with the update: its value can go now.
        valueFree: await batch({ update: [{ product_option_id: size?.id, remove: [medium?.id] }] }),
        unchanged: second !== undefined,
      };
    });
  });
});

describe('inventory', () => {
  it('creates, refuses twice, and updates a level at the stock location; creates and links items', async () => {
    const name = names();
    const result = await expectSame(async (client) => {
      const created = productOf(await client.admin('POST', '/admin/products', dress(client.target, name)));
      const itemId = await inventoryItemId(client, name.sku('S'));
      const levels = `/admin/inventory-items/${itemId}/location-levels`;
      const location = client.target.stockLocation.id;
      const stockedOf = (reply: Reply) =>
        (reply.body.inventory_item as { stocked_quantity: number }).stocked_quantity;
      const first = await client.admin('POST', levels, { location_id: location, stocked_quantity: 5 });
      const found = await client.admin('GET', `/admin/inventory-items?sku=${name.sku('S')}`);
      const level = (found.body.inventory_items as { location_levels: Record<string, unknown>[] }[])[0]
        ?.location_levels[0];
      const medium = bySku(created, name.sku('M'));
      const item = await client.admin('POST', '/admin/inventory-items', { sku: name.sku('M'), title: 'M' });
      const newItemId = String((item.body.inventory_item as { id: string }).id);
      return {
        first: stockedOf(first),
        level: {
          location: level?.location_id === location,
          stocked: level?.stocked_quantity,
          available: level?.available_quantity,
        },
        twice: outcome(await client.admin('POST', levels, { location_id: location, stocked_quantity: 6 })),
        update: stockedOf(await client.admin('POST', `${levels}/${location}`, { stocked_quantity: 7 })),
        notStocked: outcome(await client.admin('POST', `${levels}/sloc_nope`, { stocked_quantity: 1 })),
        unknownLocation: outcome(
          await client.admin('POST', levels, { location_id: 'sloc_nope', stocked_quantity: 1 }),
        ),
        negative: outcome(await client.admin('POST', `${levels}/${location}`, { stocked_quantity: -1 })),
        text: outcome(await client.admin('POST', `${levels}/${location}`, { stocked_quantity: '3' })),
        strict: outcome(await client.admin('POST', `${levels}/${location}`, { stocked_quantity: 1, foo: 1 })),
        unknownItem: outcome(
          await client.admin('POST', '/admin/inventory-items/iitem_nope/location-levels', {
            location_id: location,
          }),
        ),
        newItem: outcome(item),
        duplicateSku: outcome(await client.admin('POST', '/admin/inventory-items', { sku: name.sku('M') })),
        link: outcome(
          await client.admin(
            'POST',
            `/admin/products/${String(created.id)}/variants/${String(medium?.id)}/inventory-items`,
            {
              inventory_item_id: newItemId,
              required_quantity: 1,
            },
          ),
        ),
        unknownQuery: outcome(await client.admin('GET', '/admin/inventory-items?foo=1')),
      };
    });
    expect(result).toMatchObject({
      first: 5,
      update: 7,
      level: { location: true, stocked: 5, available: 5 },
    });
  });
});

describe('store API', () => {
  it('shows only published products of the key’s channel, priced in the region', async () => {
    const live = names();
    const draft = names();
    const elsewhere = names();
    const result = await expectSame(async (client) => {
      await client.admin('POST', '/admin/products', dress(client.target, live));
      await client.admin('POST', '/admin/products', dress(client.target, draft, { status: 'draft' }));
      await client.admin('POST', '/admin/products', dress(client.target, elsewhere, { sales_channels: [] }));
      const list = async (handle: string) => {
        const query = `handle=${handle}&region_id=${client.target.region.id}&fields=*variants.calculated_price`;
        const products = (await client.store('GET', `/store/products?${query}`)).body.products as {
          variants: {
            sku: string;
            calculated_price: { calculated_amount: number; currency_code: string } | null;
          }[];
        }[];
        return products.map((product) =>
          product.variants
            .map((variant) => [
              variant.sku,
              variant.calculated_price?.calculated_amount,
              variant.calculated_price?.currency_code,
            ])
            .sort(),
        );
      };
      return {
        live: await list(live.handle),
        draft: await list(draft.handle),
        elsewhere: await list(elsewhere.handle),
        noKey: outcome(await client.send('GET', '/store/products', undefined, {})),
        wrongKey: outcome(
          await client.send('GET', '/store/products', undefined, { 'x-publishable-api-key': 'pk_wrong' }),
        ),
      };
    });
    expect(result.live).toEqual([
      [
        [live.sku('M'), 22.8, 'sar'],
        [live.sku('S'), 23.8, 'sar'],
      ],
    ]);
    expect([result.draft, result.elsewhere]).toEqual([[], []]);
  });

  it('adds a stocked variant to a cart; refuses no level, too many, a draft, no price, a foreign channel', async () => {
    const name = names();
    const draft = names();
    const usdOnly = names();
    const result = await expectSame(async (client) => {
      const product = productOf(await client.admin('POST', '/admin/products', dress(client.target, name)));
      const draftProduct = productOf(
        await client.admin('POST', '/admin/products', dress(client.target, draft, { status: 'draft' })),
      );
      const usdProduct = productOf(
        await client.admin(
          'POST',
          '/admin/products',
          dress(client.target, usdOnly, {
            options: [{ title: 'Size', values: ['S'] }],
            variants: [
              {
                title: 'S',
                sku: usdOnly.sku('S'),
                options: { Size: 'S' },
                manage_inventory: false,
                prices: [{ amount: 5, currency_code: 'usd' }],
              },
            ],
          }),
        ),
      );
      const small = bySku(product, name.sku('S'));
      const medium = bySku(product, name.sku('M'));
      const cart = await client.store('POST', '/store/carts', {
        region_id: client.target.region.id,
        sales_channel_id: client.target.salesChannel.id,
      });
      const cartId = String((cart.body.cart as { id: string }).id);
      const add = async (variantId: string | undefined, quantity = 1) =>
        client.store('POST', `/store/carts/${cartId}/line-items`, { variant_id: variantId, quantity });
      const noLevel = outcome(await add(small?.id));
      const itemId = await inventoryItemId(client, name.sku('S'));
      await client.admin('POST', `/admin/inventory-items/${itemId}/location-levels`, {
        location_id: client.target.stockLocation.id,
        stocked_quantity: 2,
      });
      const added = await add(small?.id, 2);
      const items = (
        added.body.cart as { items: { variant_id: string; quantity: number; unit_price: number }[] }
      ).items;
      return {
        cart: { status: cart.status, currency: (cart.body.cart as { currency_code: string }).currency_code },
        noLevel,
        added: items.map((item) => [item.variant_id === small?.id, item.quantity, item.unit_price]),
        tooMany: outcome(await add(small?.id)),
        unmanaged: outcome(await add(medium?.id, 50)),
        draft: outcome(await add(bySku(draftProduct, draft.sku('M'))?.id)),
        noPrice: outcome(await add(variantsOf(usdProduct)[0]?.id)),
        unknownVariant: outcome(await add('variant_nope')),
        zero: outcome(await add(medium?.id, 0)),
        unknownCart: outcome(
          await client.store('POST', '/store/carts/cart_nope/line-items', {
            variant_id: medium?.id,
            quantity: 1,
          }),
        ),
        unknownRegion: outcome(await client.store('POST', '/store/carts', { region_id: 'reg_nope' })),
        foreignChannel: outcome(await client.store('POST', '/store/carts', { sales_channel_id: 'sc_other' })),
      };
    });
    expect(result).toMatchObject({
      cart: { status: 200, currency: 'sar' },
      added: [[true, 2, 23.8]],
      tooMany: { status: 400, code: 'insufficient_inventory' },
      unmanaged: { status: 200 },
      draft: { status: 400 },
      noPrice: { status: 400 },
    });
    expect(withoutIds(String(result.noLevel.message))).toBe(
      'Sales channel sc_* is not associated with any stock location for variant variant_*.',
    );
  });
});
