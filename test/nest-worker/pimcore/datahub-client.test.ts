import { toPimcoreFields, type PimcoreClient } from '../../../nest-worker/src/pimcore';
import { canonicalProduct, clientFor, postGraphql, useSimulator } from './fixtures';

/** What only the Datahub adapter has to get right: Pimcore's conventions and the keyed-create races. */
describe('datahub adapter against Pimcore’s conventions', () => {
  const { simulator, track } = useSimulator({ folders: ['/Products/Shein', '/Products/Other'] });
  let client: PimcoreClient;
  beforeAll(() => {
    client = track(clientFor(simulator(), 'datahub'));
  });

  describe('races of the lookup-then-write upsert', () => {
    it('updates the winner’s object when its create is refused as "Duplicate full path"', async () => {
      const competitor = track(clientFor(simulator(), 'datahub'));
      let winner = 0;
      // Another worker creates the product after our lookup found nothing, before our create lands.
      simulator().beforeNext('createProduct', async () => {
        winner = (await competitor.upsertProduct(canonicalProduct())).pimcoreId;
      });

      const result = await client.upsertProduct(canonicalProduct('10001', { brand: 'Ours' }));

      expect(result).toEqual({ pimcoreId: winner, created: false, skippedLocales: [] });
      expect(simulator().count()).toBe(1);
      expect(simulator().object(winner)?.values.brand).toBe('Ours');
    });

    it('updates an object an editor moved, when its create is refused as "unique constraint violation"', async () => {
      const { fields } = toPimcoreFields(canonicalProduct('10002'), ['en', 'ar']);
      const [moved] = simulator().seed([
        {
          key: 'renamed-by-an-editor',
          parentPath: '/Products/Shein',
          published: true,
          values: { ...fields },
        },
      ]);

      const result = await client.upsertProduct(canonicalProduct('10002', { brand: 'Ours' }));

      expect(result).toEqual({ pimcoreId: moved.id, created: false, skippedLocales: [] });
      expect(simulator().count()).toBe(1);
      expect(simulator().object(moved.id)?.values.brand).toBe('Ours');
    });

    it('creates the object again when it is deleted between lookup and update', async () => {
      const { pimcoreId } = await client.upsertProduct(canonicalProduct());
      simulator().beforeNext('updateProduct', () => {
        simulator().deleteObject(pimcoreId);
      });

      const result = await client.upsertProduct(canonicalProduct());

      expect(result.created).toBe(true);
      expect(result.pimcoreId).not.toBe(pimcoreId);
      expect(simulator().count()).toBe(1);
    });

    it('refuses permanently when the key is held by an object with another externalId', async () => {
      const { fields } = toPimcoreFields(canonicalProduct('77777'), ['en', 'ar']);
      const squatter = await postGraphql(
        simulator(),
        `mutation ($input: UpdateProductInput!) { createProduct(key: "shein-10001", path: "/Products/Shein", input: $input) { success } }`,
        { input: fields },
      );
      expect(squatter.body).toEqual({ data: { createProduct: { success: true } } });

      await expect(client.upsertProduct(canonicalProduct())).rejects.toMatchObject({
        name: 'PimcorePermanentError',
        reason: 'rejected',
        message: expect.stringContaining(
          '/Products/Shein/shein-10001 exists but no Product with externalId shein:10001',
        ),
      });
      expect(simulator().count()).toBe(1);
    });
  });

  describe('success:false answers', () => {
    it('are permanent for Pimcore’s validation messages', async () => {
      const longSku = canonicalProduct('10001', { sku: 'x'.repeat(200) });
      await expect(client.upsertProduct(longSku)).rejects.toMatchObject({
        name: 'PimcorePermanentError',
        reason: 'rejected',
        status: 200,
        // The update resolver's first save fails, and its message comes back as it is.
        pimcoreMessage: 'Validation failed: Value in field [ sku ] is longer than 190 characters',
      });
      expect(simulator().count()).toBe(0);
    });

    it('are permanent for a parent folder that does not exist', async () => {
      const misplaced = track(clientFor(simulator(), 'datahub', { parentPath: '/Products/Missing' }));
      await expect(misplaced.upsertProduct(canonicalProduct())).rejects.toMatchObject({
        reason: 'rejected',
        pimcoreMessage: 'unable to resolve parent',
      });
    });

    it('are permanent for a folder outside the endpoint’s workspace', async () => {
      const outside = track(clientFor(simulator(), 'datahub', { parentPath: '/Products/Other' }));
      await expect(outside.upsertProduct(canonicalProduct())).rejects.toMatchObject({
        reason: 'rejected',
        pimcoreMessage: 'not allowed to create object Product',
      });
    });

    it('are transient for a failed save that is not the caller’s fault', async () => {
      const lostDatabase = {
        data: {
          createProduct: {
            success: false,
            message: 'creating failed: SQLSTATE[HY000] [2002] Connection refused',
          },
        },
      };
      // A new product's upsert starts with the create: it gets the failure.
      simulator().failNext(1, { status: 200, body: JSON.stringify(lostDatabase) });
      await expect(client.upsertProduct(canonicalProduct())).rejects.toMatchObject({
        name: 'PimcoreTransientError',
        reason: 'server-error',
        pimcoreMessage: 'creating failed: SQLSTATE[HY000] [2002] Connection refused',
      });
    });
  });

  describe('GraphQL errors (HTTP 200)', () => {
    it('are permanent when the endpoint’s schema does not fit the adapter', async () => {
      // A language the Pimcore system does not have is no field of LocalizedString.
      const german = track(clientFor(simulator(), 'datahub', { languages: ['en', 'ar', 'de'] }));
      await expect(german.upsertProduct(canonicalProduct())).rejects.toMatchObject({
        name: 'PimcorePermanentError',
        reason: 'graphql',
        status: 200,
        pimcoreMessage: expect.stringContaining('Field "de" is not defined by type "LocalizedString"'),
      });
    });

    it('are transient when Pimcore hides a server fault behind "Internal server error"', async () => {
      simulator().failNext(1, { status: 200, body: '{"errors":[{"message":"Internal server error"}]}' });
      await expect(client.getProduct(1)).rejects.toMatchObject({
        name: 'PimcoreTransientError',
        reason: 'server-error',
      });
    });

    it('leave an unknown endpoint name a permanent 404', async () => {
      const lost = track(clientFor(simulator(), 'datahub', { datahubEndpoint: 'no-such-endpoint' }));
      await expect(lost.getProduct(1)).rejects.toMatchObject({
        reason: 'rejected',
        status: 404,
        pimcoreMessage: 'No active configuration found for no-such-endpoint',
      });
    });
  });

  describe('publication', () => {
    it('creates published objects on a Pimcore that auto-publishes, and tells the save listeners', async () => {
      const changes: string[] = [];
      const unsubscribe = simulator().onSave((save) => changes.push(`${save.event} ${save.object.id}`));
      simulator().setAutoPublish(true);
      try {
        const { pimcoreId } = await client.upsertProduct(canonicalProduct());
        await expect(client.getProduct(pimcoreId)).resolves.toMatchObject({ published: true });
        // A Datahub create saves twice: Pimcore fires postAdd, then postUpdate.
        expect(changes).toEqual([`postAdd ${pimcoreId}`, `postUpdate ${pimcoreId}`]);
      } finally {
        simulator().setAutoPublish(false);
        unsubscribe();
      }
    });
  });
});
