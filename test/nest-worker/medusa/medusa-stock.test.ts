import { canonicalProduct } from '../pimcore/fixtures';
import { drainDeadLetters } from '../worker-harness';
import { publicationBody, relayAndSettle, useRelayFixture } from './relay-fixture';

/** With MEDUSA_STOCK_LOCATION_ID, Medusa tracks stock and the relay sets each variant's level. */
const rig = useRelayFixture({
  env: (medusa) => ({ MEDUSA_STOCK_LOCATION_ID: medusa.stockLocation.id, MEDUSA_CURRENCIES: 'sar' }),
});

const relay = (...bodies: string[]) => relayAndSettle(rig(), bodies);

/** A storefront's request: the publishable key ties it to the sales channel. */
async function store(
  path: string,
  body: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${rig().medusa.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-publishable-api-key': rig().medusa.publishableKey },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('the relay with a stock location', () => {
  afterEach(async () => {
    expect(await drainDeadLetters(rig().queues)).toEqual([]);
  });

  it('sets inventory levels from the variants’ stock, and the product can be added to a cart', async () => {
    const product = canonicalProduct('40001');
    const [id] = await rig().putInPimcore([product]);
    rig().pimcore.publish(id!);
    await relay(publicationBody(id!));

    const stored = rig().medusa.productByHandle(product.handle)!;
    expect(
      stored.variants.map((variant) => [variant.sku, variant.manage_inventory, variant.prices.length]),
    ).toEqual([
      ['sw2203040001-S', true, 1],
      ['sw2203040001-M', true, 1],
    ]);
    const levels = (sku: string) =>
      rig()
        .medusa.inventoryItem(sku)
        ?.location_levels.map((level) => [level.location_id, level.stocked_quantity]);
    expect(levels('sw2203040001-S')).toEqual([[rig().medusa.stockLocation.id, 4]]);
    expect(levels('sw2203040001-M')).toEqual([[rig().medusa.stockLocation.id, 0]]);

    const cart = await store('/store/carts', { region_id: rig().medusa.region.id });
    expect(cart.status).toBe(200);
    const cartId = (cart.json.cart as { id: string }).id;
    const inStock = stored.variants.find((variant) => variant.sku === 'sw2203040001-S')!;
    const added = await store(`/store/carts/${cartId}/line-items`, { variant_id: inStock.id, quantity: 2 });
    expect(added.status).toBe(200);
    expect((added.json.cart as { items: { unit_price: number; quantity: number }[] }).items).toMatchObject([
      { unit_price: 23.8, quantity: 2 },
    ]);
    const soldOut = stored.variants.find((variant) => variant.sku === 'sw2203040001-M')!;
    const refused = await store(`/store/carts/${cartId}/line-items`, { variant_id: soldOut.id, quantity: 1 });
    expect(refused.status).toBe(400);
  });

  it('updates the levels when Pimcore’s stock changes', async () => {
    const original = canonicalProduct('40002');
    const [id] = await rig().putInPimcore([original]);
    rig().pimcore.publish(id!);
    await relay(publicationBody(id!));

    // An editor changes only the stock in Pimcore: the pipeline's content hash stays as it was.
    const restocked = canonicalProduct('40002', {
      variants: original.variants.map((variant) => ({ ...variant, stock: variant.stock + 10 })),
    });
    await rig().putInPimcore([{ ...restocked, contentHash: original.contentHash }]);
    rig().pimcore.publish(id!);
    await relay(publicationBody(id!));

    expect(rig().medusa.inventoryItem('sw2203040002-S')?.location_levels[0]?.stocked_quantity).toBe(14);
    expect(rig().medusa.inventoryItem('sw2203040002-M')?.location_levels[0]?.stocked_quantity).toBe(10);
  });

  it('gives a variant added by an update its own inventory item, linked and stocked', async () => {
    const original = canonicalProduct('40003');
    const [id] = await rig().putInPimcore([original]);
    rig().pimcore.publish(id!);
    await relay(publicationBody(id!));

    const medium = original.variants[1]!;
    const grown = canonicalProduct('40003', {
      options: [{ name: 'Size', values: ['S', 'M', 'L'] }],
      variants: [
        ...original.variants,
        { ...medium, sku: 'sw2203040003-L', title: 'L', options: { Size: 'L' }, stock: 3 },
      ],
    });
    await rig().putInPimcore([grown]);
    rig().pimcore.publish(id!);
    await relay(publicationBody(id!));

    const large = rig()
      .medusa.productByHandle(original.handle)!
      .variants.find((variant) => variant.sku === 'sw2203040003-L')!;
    const items = rig().medusa.inventoryItemsOf(large.id);
    expect(
      items.map((item) => [item.sku, item.location_levels.map((level) => level.stocked_quantity)]),
    ).toEqual([['sw2203040003-L', [3]]]);
    const cart = await store('/store/carts', { region_id: rig().medusa.region.id });
    const cartId = (cart.json.cart as { id: string }).id;
    expect(
      (await store(`/store/carts/${cartId}/line-items`, { variant_id: large.id, quantity: 3 })).status,
    ).toBe(200);
  });
});
