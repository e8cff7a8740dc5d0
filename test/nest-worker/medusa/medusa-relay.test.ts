import { canonicalProduct } from '../pimcore/fixtures';
import { drainDeadLetters } from '../worker-harness';
import { publicationBody, relayAndSettle, useRelayFixture } from './relay-fixture';

const rig = useRelayFixture();

const relay = (...bodies: string[]) => relayAndSettle(rig(), bodies);

describe('the medusa-sync relay (worker app, local SQS, Pimcore and Medusa simulators, real Redis)', () => {
  afterEach(async () => {
    expect(await drainDeadLetters(rig().queues)).toEqual([]);
  });

  it('makes a published Pimcore product visible and purchasable in Medusa', async () => {
    const product = canonicalProduct('20001');
    const [id] = await rig().putInPimcore([product]);
    rig().pimcore.publish(id!);
    await relay(publicationBody(id!));

    const stored = rig().medusa.productByHandle(product.handle);
    expect(stored).toMatchObject({
      title: 'Ribbed Knit Bodycon Dress',
      description: 'Soft rib knit, round neck.',
      status: 'published',
      external_id: 'shein:20001',
      thumbnail: 'https://img.example.com/images/dress-front.jpg',
      sales_channels: [{ id: rig().medusa.salesChannel.id }],
      metadata: {
        pimcore_id: id,
        shein_goods_id: '20001',
        category_path: 'Women > Clothing > Dresses',
        titles: { en: 'Ribbed Knit Bodycon Dress', ar: 'فستان محبوك بقصة ضيقة' },
      },
    });
    expect(stored?.images.map((image) => image.url)).toEqual(product.images);
    expect(stored?.options.map((option) => [option.title, option.values.map((v) => v.value)])).toEqual([
      ['Size', ['S', 'M']],
    ]);
    expect(
      stored?.variants.map((variant) => ({
        sku: variant.sku,
        options: variant.optionValues,
        prices: variant.prices.map(({ amount, currency_code }) => ({ amount, currency_code })),
        manage_inventory: variant.manage_inventory,
      })),
    ).toEqual([
      {
        sku: 'sw2203020001-S',
        options: { Size: 'S' },
        prices: [
          { amount: 23.8, currency_code: 'sar' },
          { amount: 6.35, currency_code: 'usd' },
        ],
        manage_inventory: false,
      },
      {
        sku: 'sw2203020001-M',
        options: { Size: 'M' },
        prices: [
          { amount: 22.8, currency_code: 'sar' },
          { amount: 6.08, currency_code: 'usd' },
        ],
        manage_inventory: false,
      },
    ]);
  });

  it('writes nothing for duplicate deliveries, and nothing twice for an event Pimcore sends again', async () => {
    const product = canonicalProduct('20002');
    const [id] = await rig().putInPimcore([product]);
    rig().pimcore.publish(id!);
    await relay(publicationBody(id!));
    const first = rig().medusa.productByHandle(product.handle);
    const duplicatesBefore = await rig().worker.metric('pipeline_duplicates_skipped_total', {
      queue: 'medusa-sync',
    });

    await relay(publicationBody(id!), publicationBody(id!), publicationBody(id!));

    expect(
      rig()
        .medusa.products()
        .filter((p) => p.external_id === product.externalId),
    ).toHaveLength(1);
    expect(rig().medusa.productByHandle(product.handle)?.updated_at).toBe(first?.updated_at);
    const duplicatesAfter = await rig().worker.metric('pipeline_duplicates_skipped_total', {
      queue: 'medusa-sync',
    });
    expect(duplicatesAfter - duplicatesBefore).toBe(3);
  });

  it('updates after variant changes: keeps the ids of the variants it had, adds new ones, updates prices', async () => {
    const original = canonicalProduct('20003');
    const [id] = await rig().putInPimcore([original]);
    rig().pimcore.publish(id!);
    await relay(publicationBody(id!));
    const before = rig().medusa.productByHandle(original.handle)!;
    const idOf = (sku: string) => before.variants.find((variant) => variant.sku === sku)?.id;

    const [small, medium] = original.variants;
    const changed = canonicalProduct('20003', {
      options: [{ name: 'Size', values: ['S', 'M', 'L'] }],
      variants: [
        { ...small!, prices: [{ currencyCode: 'SAR', amount: 1999 }, ...small!.prices.slice(1)] },
        medium!,
        { ...medium!, sku: 'sw2203020003-L', title: 'L', options: { Size: 'L' }, stock: 7 },
      ],
    });
    await rig().putInPimcore([changed]);
    rig().pimcore.publish(id!);
    await relay(publicationBody(id!));

    const after = rig().medusa.productByHandle(original.handle)!;
    expect(after.id).toBe(before.id);
    expect(after.variants.map((variant) => [variant.sku, variant.id])).toEqual([
      ['sw2203020003-S', idOf('sw2203020003-S')],
      ['sw2203020003-M', idOf('sw2203020003-M')],
      ['sw2203020003-L', expect.stringMatching(/^variant_/)],
    ]);
    expect(after.variants[0]?.prices.find((price) => price.currency_code === 'sar')?.amount).toBe(19.99);
  });

  it('drafts the product when Pimcore unpublishes it, and keeps Pimcore’s current state whatever the event order', async () => {
    const product = canonicalProduct('20004');
    const [id] = await rig().putInPimcore([product]);
    rig().pimcore.publish(id!);
    await relay(publicationBody(id!));

    rig().pimcore.unpublish(id!);
    // A late ProductPublished arrives after the unpublish: Pimcore's state (unpublished) wins.
    await relay(publicationBody(id!, 'ProductUnpublished'), publicationBody(id!, 'ProductPublished'));
    expect(rig().medusa.productByHandle(product.handle)?.status).toBe('draft');

    rig().pimcore.publish(id!);
    await relay(publicationBody(id!));
    expect(rig().medusa.productByHandle(product.handle)?.status).toBe('published');
  });

  it('drafts the product when its Pimcore object is deleted; an unknown one changes nothing', async () => {
    const product = canonicalProduct('20005');
    const [id] = await rig().putInPimcore([product]);
    rig().pimcore.publish(id!);
    await relay(publicationBody(id!));
    const countBefore = rig().medusa.count();

    rig().pimcore.deleteObject(id!);
    await relay(publicationBody(id!, 'ProductUnpublished'), publicationBody(987654, 'ProductUnpublished'));

    expect(rig().medusa.productByHandle(product.handle)?.status).toBe('draft');
    expect(rig().medusa.count()).toBe(countBefore);
  });

  it('never creates a product for an unpublished object', async () => {
    const product = canonicalProduct('20006');
    const [id] = await rig().putInPimcore([product]);
    await relay(publicationBody(id!, 'ProductUnpublished'));
    expect(rig().medusa.productByHandle(product.handle)).toBeUndefined();
  });

  it('rides out Medusa 500s, 409s, 429s and timeouts, ending with exactly one product', async () => {
    const product = canonicalProduct('20007');
    const [id] = await rig().putInPimcore([product]);
    rig().pimcore.publish(id!);
    const retried = (kind: string) =>
      rig().worker.metric('pipeline_messages_retried_total', { queue: 'medusa-sync', kind });
    const [attemptsBefore, redeliveriesBefore] = [await retried('attempt'), await retried('redelivery')];
    rig().medusa.failNext(1, { status: 500 });
    rig().medusa.failNext(1, { status: 409, body: '{"type":"conflict","message":"try again"}' });
    rig().medusa.failNext(1, { status: 429, retryAfter: '0' });
    rig().medusa.hangNext(1);

    await relay(publicationBody(id!));

    expect(
      rig()
        .medusa.products()
        .filter((p) => p.external_id === product.externalId),
    ).toHaveLength(1);
    expect(rig().medusa.productByHandle(product.handle)?.status).toBe('published');
    // Four attempts in process (three retries: 500, 409, 429), the fourth timed out: back to SQS once.
    expect((await retried('attempt')) - attemptsBefore).toBe(3);
    expect((await retried('redelivery')) - redeliveriesBefore).toBe(1);
  });
});

describe('messages the relay cannot apply go to the DLQ with the reason', () => {
  it('a Medusa 400 carries Medusa’s message', async () => {
    const product = canonicalProduct('20101');
    const [id] = await rig().putInPimcore([product]);
    rig().pimcore.publish(id!);
    rig().medusa.failNext(1, {
      status: 400,
      body: JSON.stringify({ type: 'invalid_data', message: 'Invalid request: Field title is required' }),
    });
    const body = publicationBody(id!);
    await relay(body);

    expect(await drainDeadLetters(rig().queues)).toEqual([
      {
        body,
        reason: 'MedusaRejected:rejected',
        detail: expect.stringContaining(
          'Medusa answered 400 to GET /admin/products?handle=shein-20101: Invalid request: Field title is required',
        ),
      },
    ]);
  });

  it('a handle that belongs to another product is refused, not overwritten', async () => {
    const product = canonicalProduct('20102');
    const [id] = await rig().putInPimcore([product]);
    rig().pimcore.publish(id!);
    const intruder = canonicalProduct('20103');
    const [intruderId] = await rig().putInPimcore([intruder]);
    rig().pimcore.publish(intruderId!);
    await relay(publicationBody(intruderId!));
    // An operator renamed the other product's handle to ours by hand.
    const other = rig().medusa.productByHandle(intruder.handle)!;
    const renamed = await fetch(`${rig().medusa.url}/admin/products/${other.id}`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${rig().medusa.secretApiKey}:`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ handle: product.handle }),
    });
    expect(renamed.status).toBe(200);

    await relay(publicationBody(id!));

    expect(await drainDeadLetters(rig().queues)).toEqual([
      {
        body: expect.any(String),
        reason: 'MedusaRejected:handle-taken',
        detail: expect.stringContaining('external_id shein:20103, not shein:20102'),
      },
    ]);
    expect(rig().medusa.product(other.id)?.external_id).toBe('shein:20103');
  });

  it('poison messages: not JSON, not an event, a detail that breaks the schema', async () => {
    const broken = JSON.parse(publicationBody(1)) as { detail: Record<string, unknown> };
    broken.detail.pimcoreId = 'one';
    await relay('{"oops"', '{"hello":"world"}', JSON.stringify(broken));
    const letters = await drainDeadLetters(rig().queues);
    expect(letters.map((letter) => letter.reason).sort()).toEqual([
      'InvalidDetail',
      'InvalidJson',
      'NotAnEvent',
    ]);
    expect(letters.find((letter) => letter.reason === 'InvalidDetail')?.detail).toContain('pimcoreId');
  });
});
