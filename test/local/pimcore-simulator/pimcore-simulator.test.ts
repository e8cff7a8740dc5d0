import { request } from 'undici';
import { PimcoreSimulator, type ObjectSave } from '../../../local/pimcore-simulator';
import { toPimcoreFields } from '../../../nest-worker/src/pimcore';
import { canonicalProduct, postGraphql, useSimulator } from '../../nest-worker/pimcore/fixtures';

/** The simulator enforces what the real Pimcore enforces, seen by a plain HTTP client. */
describe('Pimcore simulator', () => {
  const { simulator } = useSimulator();
  const input = toPimcoreFields(canonicalProduct(), ['en', 'ar']).fields;
  const CREATE = `mutation ($key: String!, $input: UpdateProductInput, $published: Boolean = false) {
    createProduct(key: $key, path: "/Products/Shein", published: $published, input: $input) { success message }
  }`;
  const createdAs = (message: string) => ({ data: { createProduct: { success: false, message } } });

  describe('Datahub access', () => {
    it('answers 403 without an API key or with a wrong one', async () => {
      for (const headers of [{}, { apikey: 'wrong-key-wrong-key' }] as Record<string, string>[]) {
        const answer = await postGraphql(simulator(), '{ __typename }', {}, { headers });
        expect(answer).toEqual({
          status: 403,
          body: expect.objectContaining({ status: 403, detail: 'Permission denied, apikey not valid' }),
        });
      }
    });

    it('takes the key from the apikey or X-API-Key header or the apikey query parameter', async () => {
      const { apiKey, endpoint } = simulator();
      const placements: { path?: string; headers: Record<string, string> }[] = [
        { headers: { apikey: apiKey } },
        { headers: { 'X-API-Key': apiKey } },
        { path: `/pimcore-graphql-webservices/${endpoint}?apikey=${apiKey}`, headers: {} },
      ];
      for (const options of placements) {
        const answer = await postGraphql(simulator(), '{ __typename }', {}, options);
        expect(answer).toEqual({ status: 200, body: { data: { __typename: 'Query' } } });
      }
    });

    it('answers 404 for an endpoint that is not configured', async () => {
      const answer = await postGraphql(
        simulator(),
        '{ __typename }',
        {},
        { path: '/pimcore-graphql-webservices/other' },
      );
      expect(answer.status).toBe(404);
    });
  });

  describe('GraphQL', () => {
    it('reports syntax and validation errors with HTTP 200', async () => {
      const syntax = await postGraphql(simulator(), '{ getProduct(id: 1) { id ');
      const validation = await postGraphql(simulator(), '{ getProduct(id: 1) { colour } }');

      expect(syntax).toEqual({
        status: 200,
        body: { errors: [expect.objectContaining({ message: expect.stringMatching(/^Syntax Error/) })] },
      });
      expect(validation.body).toEqual({
        errors: [
          expect.objectContaining({ message: 'Cannot query field "colour" on type "object_Product".' }),
        ],
      });
    });

    it('refuses a second object at the same path with Pimcore’s own message, bare', async () => {
      const first = await postGraphql(simulator(), CREATE, { key: 'shein-10001', input });
      const second = await postGraphql(simulator(), CREATE, { key: 'shein-10001', input });

      expect(first.body).toEqual({
        data: { createProduct: { success: true, message: expect.stringMatching(/^object created: \d+$/) } },
      });
      expect(second.body).toEqual(
        createdAs('Duplicate full path [ /Products/Shein/shein-10001 ] - cannot save object'),
      );
      expect(simulator().count()).toBe(1);
    });

    it('refuses a second object with the same unique externalId, in any letter case, accent or trailing spaces', async () => {
      await postGraphql(simulator(), CREATE, { key: 'shein-10001', input });
      for (const externalId of [input.externalId, 'SHEIN:10001', 'shéin:10001', 'shein:10001  ']) {
        const elsewhere = await postGraphql(simulator(), CREATE, {
          key: 'another-key',
          input: { ...input, externalId },
        });
        expect(elsewhere.body).toEqual(createdAs('unique constraint violation'));
      }
      expect(simulator().count()).toBe(1);
    });

    it('refuses an empty mandatory field on a published object, and saves an unpublished one', async () => {
      const published = await postGraphql(simulator(), CREATE, {
        key: 'shein-10001',
        input: { ...input, sku: '' },
        published: true,
      });
      // Concrete::getOmitMandatoryCheck: unset, the mandatory check applies to published objects only.
      const unpublished = await postGraphql(simulator(), CREATE, {
        key: 'shein-10002',
        input: { ...input, externalId: 'shein:10002', sku: '' },
      });

      expect(published.body).toEqual(createdAs('Validation failed: Empty mandatory field [ sku ]'));
      expect(unpublished.body).toMatchObject({ data: { createProduct: { success: true } } });
      const [draft] = simulator().objects();
      expect(() => simulator().publish(draft.id)).toThrow('Validation failed: Empty mandatory field [ sku ]');
    });

    it('refuses a value longer than its field, published or not', async () => {
      const answer = await postGraphql(simulator(), CREATE, {
        key: 'shein-10001',
        input: { ...input, sku: 'x'.repeat(191) },
      });
      expect(answer.body).toEqual(
        createdAs('Validation failed: Value in field [ sku ] is longer than 190 characters'),
      );
    });

    it('uses up an id on a refusal after the path check (AUTO_INCREMENT), not on a duplicate path', async () => {
      const created = async (key: string, extra: Record<string, unknown> = {}) => {
        const answer = await postGraphql(simulator(), CREATE, { key, input: { ...input, ...extra } });
        return (answer.body as { data: { createProduct: { message: string } } }).data.createProduct.message;
      };
      const first = Number((await created('shein-10001')).split(': ')[1]);
      await created('shein-10001', { externalId: 'shein:10002' }); // duplicate path: no id taken
      await created('shein-10002', { externalId: 'shein:10002', sku: 'x'.repeat(191) }); // takes one
      expect(await created('shein-10003', { externalId: 'shein:10003' })).toBe(
        `object created: ${first + 2}`,
      );
    });

    it('answers success:false for an update of an unknown id, and an error for reading one', async () => {
      const update = await postGraphql(
        simulator(),
        'mutation { updateProduct(id: 999, input: {brand: "x"}) { success message } }',
      );
      const read = await postGraphql(simulator(), '{ getProduct(id: 999) { id } }');

      expect(update.body).toEqual({
        data: {
          updateProduct: { success: false, message: 'unable to update object. Unknown id or fullpath' },
        },
      });
      expect(read.body).toEqual({
        data: { getProduct: null },
        errors: [
          expect.objectContaining({ message: "object with id:'999' not found", path: ['getProduct'] }),
        ],
      });
    });

    it('lists unpublished objects only when asked with published: false', async () => {
      await postGraphql(simulator(), CREATE, { key: 'shein-10001', input });
      const listing = (published: string) =>
        postGraphql(
          simulator(),
          `{ getProductListing(filter: "{\\"externalId\\": \\"shein:10001\\"}"${published}) { totalCount } }`,
        );

      expect((await listing('')).body).toEqual({ data: { getProductListing: { totalCount: 0 } } });
      expect((await listing(', published: false')).body).toEqual({
        data: { getProductListing: { totalCount: 1 } },
      });
    });

    it('filters listings with Pimcore’s JSON filter, and refuses an unreadable one', async () => {
      await postGraphql(simulator(), CREATE, { key: 'shein-10001', input });
      const query =
        'query ($filter: String) { getProductListing(filter: $filter, published: false) { edges { node { key } } } }';
      const like = await postGraphql(simulator(), query, {
        filter: JSON.stringify({ sku: { $like: 'SW2203%' } }),
      });
      const either = await postGraphql(simulator(), query, {
        filter: JSON.stringify({ $or: [{ externalId: 'shein:1' }, { key: 'shein-10001' }] }),
      });
      const broken = await postGraphql(simulator(), query, { filter: '{externalId:' });

      const found = { data: { getProductListing: { edges: [{ node: { key: 'shein-10001' } }] } } };
      expect(like.body).toEqual(found);
      expect(either.body).toEqual(found);
      expect(broken.body).toMatchObject({ errors: [{ message: 'unable to decode filter' }] });
    });

    it('compares a field’s equality in its column’s collation: case, accents and trailing spaces aside', async () => {
      await postGraphql(simulator(), CREATE, { key: 'shein-10001', input: { ...input, brand: 'Élan' } });
      const keysFor = async (filter: Record<string, unknown>) => {
        const answer = await postGraphql(
          simulator(),
          'query ($filter: String) { getProductListing(filter: $filter, published: false) { edges { node { key } } } }',
          { filter: JSON.stringify(filter) },
        );
        const { edges } = (
          answer.body as { data: { getProductListing: { edges: { node: { key: string } }[] } } }
        ).data.getProductListing;
        return edges.map((edge) => edge.node.key);
      };

      for (const externalId of ['shein:10001', 'SHEIN:10001', 'Shein:10001 ']) {
        expect(await keysFor({ externalId })).toEqual(['shein-10001']);
      }
      expect(await keysFor({ brand: 'elan' })).toEqual(['shein-10001']);
      expect(await keysFor({ externalId: 'shein:1000' })).toEqual([]);
      // The objects table's key is utf8_bin: letter case counts there.
      expect(await keysFor({ key: 'SHEIN-10001' })).toEqual([]);
      expect(await keysFor({ key: 'shein-10001' })).toEqual(['shein-10001']);
      expect(await keysFor({ key: { $like: 'SHEIN-%' } })).toEqual([]);
      expect(await keysFor({ externalId: { $like: 'SHEIN:%' } })).toEqual(['shein-10001']);
    });

    it('writes every language of a Locale Collector input', async () => {
      await postGraphql(simulator(), CREATE, { key: 'shein-10001', input });
      const answer = await postGraphql(
        simulator(),
        '{ getProductListing(published: false) { edges { node { en: title(language: "en") ar: title(language: "ar") } } } }',
      );
      expect(answer.body).toEqual({
        data: { getProductListing: { edges: [{ node: { en: input.title.en, ar: input.title.ar } }] } },
      });
    });
  });

  describe('REST API', () => {
    const rest = async (method: 'GET' | 'POST', path: string, body?: unknown, key = simulator().apiKey) => {
      const response = await request(`${simulator().url}${path}`, {
        method,
        headers: { 'x-api-key': key, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.statusCode, body: await response.body.json() };
    };
    const upsertBody = {
      key: 'shein-10001',
      parentPath: '/Products/Shein',
      publishOnCreate: false,
      data: input,
    };

    it('upserts by externalId: 201 then 200 with the same id', async () => {
      const created = await rest('POST', '/api/products', upsertBody);
      const updated = await rest('POST', '/api/products', upsertBody);
      expect(created).toEqual({ status: 201, body: { id: expect.any(Number), created: true } });
      expect(updated).toEqual({
        status: 200,
        body: { id: (created.body as { id: number }).id, created: false },
      });
    });

    it('finds by externalId in the column’s collation, as a site’s listing would', async () => {
      const created = await rest('POST', '/api/products', upsertBody);
      const found = await rest('GET', '/api/products?externalId=SHEIN%3A10001');
      expect(found.body).toEqual({
        items: [expect.objectContaining({ id: (created.body as { id: number }).id })],
      });
    });

    it('answers 401 for a wrong key, 400 for a bad body, 404 for an unknown id', async () => {
      expect((await rest('GET', '/api/products/1', undefined, 'wrong')).status).toBe(401);
      expect(
        await rest('POST', '/api/products', { ...upsertBody, data: { ...input, color: 'red' } }),
      ).toEqual({
        status: 400,
        body: { error: 'unknown field color' },
      });
      expect((await rest('GET', '/api/products/999')).status).toBe(404);
    });
  });

  describe('events (what onSave listeners, and so the webhook sender, get)', () => {
    const recording = () => {
      const saves: ObjectSave[] = [];
      const unsubscribe = simulator().onSave((save) => saves.push(save));
      return { saves, unsubscribe };
    };
    const summary = (saves: readonly ObjectSave[]) =>
      saves.map(({ event, versionOnly, object }) => ({ event, versionOnly, id: object.id }));

    it('tells postAdd then postUpdate for one Datahub create, which saves twice', async () => {
      const { saves, unsubscribe } = recording();
      await postGraphql(simulator(), CREATE, { key: 'shein-10001', input });
      unsubscribe();

      const [stored] = simulator().objects();
      expect(summary(saves)).toEqual([
        { event: 'postAdd', versionOnly: false, id: stored.id },
        { event: 'postUpdate', versionOnly: false, id: stored.id },
      ]);
      expect(saves[1]?.object).toEqual(stored);
      expect(stored.version).toBeGreaterThan(saves[0]!.object.version);
      expect(saves.every((save) => Number.isInteger(save.timestamp))).toBe(true);
    });

    it('tells nothing for a refused create, and one postAdd for a REST create (a site saves once)', async () => {
      await postGraphql(simulator(), CREATE, { key: 'shein-10001', input });
      const { saves, unsubscribe } = recording();
      await postGraphql(simulator(), CREATE, { key: 'shein-10001', input });
      const created = await request(`${simulator().url}/api/products`, {
        method: 'POST',
        headers: { 'x-api-key': simulator().apiKey, 'content-type': 'application/json' },
        body: JSON.stringify({
          key: 'shein-10002',
          parentPath: '/Products/Shein',
          publishOnCreate: false,
          data: { ...input, externalId: 'shein:10002' },
        }),
      });
      const { id } = (await created.body.json()) as { id: number };
      unsubscribe();
      expect(summary(saves)).toEqual([{ event: 'postAdd', versionOnly: false, id }]);
    });

    it('saves a draft as a version only: nothing stored changes, listeners get postUpdate versionOnly', async () => {
      await postGraphql(simulator(), CREATE, { key: 'shein-10001', input });
      const [before] = simulator().objects();
      const { saves, unsubscribe } = recording();
      simulator().saveDraft(before.id);
      unsubscribe();

      expect(simulator().object(before.id)).toEqual(before);
      expect(summary(saves)).toEqual([{ event: 'postUpdate', versionOnly: true, id: before.id }]);
      expect(saves[0]?.object).toEqual(before);
    });

    it('tells postDelete with the object as it was; an unknown id is no delete and no event', async () => {
      await postGraphql(simulator(), CREATE, { key: 'shein-10001', input });
      const [before] = simulator().objects();
      const { saves, unsubscribe } = recording();
      expect(simulator().deleteObject(before.id)).toBe(true);
      expect(simulator().deleteObject(before.id)).toBe(false);
      unsubscribe();

      expect(saves).toEqual([
        { event: 'postDelete', versionOnly: false, object: before, timestamp: expect.any(Number) },
      ]);
      expect(simulator().count()).toBe(0);
    });
  });

  describe('seeding', () => {
    const given = {
      key: 'shein-1',
      parentPath: '/Products/Shein',
      published: true,
      values: { externalId: 'shein:1', sku: 'sku-1', title: { en: 'A dress' } },
    };

    it('puts objects in place with the given id, dates and version, and no events', () => {
      const saves: ObjectSave[] = [];
      const unsubscribe = simulator().onSave((save) => saves.push(save));
      const [seeded] = simulator().seed([
        { ...given, id: 40, creationDate: 1767225600, modificationDate: 1767225601, version: 7 },
      ]);
      unsubscribe();

      expect(seeded).toEqual({
        id: 40,
        parentPath: '/Products/Shein',
        key: 'shein-1',
        fullPath: '/Products/Shein/shein-1',
        published: true,
        creationDate: 1767225600,
        modificationDate: 1767225601,
        version: 7,
        values: { externalId: 'shein:1', sku: 'sku-1' },
        localized: { title: { en: 'A dress' } },
      });
      expect(saves).toEqual([]);
    });

    it('gives the next objects the following ids, and refuses what a save would refuse', async () => {
      simulator().seed([{ ...given, id: 40 }]);
      const answer = await postGraphql(simulator(), CREATE, { key: 'shein-10001', input });
      expect(answer.body).toEqual({
        data: { createProduct: { success: true, message: 'object created: 41' } },
      });

      expect(() => simulator().seed([{ ...given, id: 50, key: 'other' }])).toThrow(
        'unique constraint violation',
      );
      expect(() => simulator().seed([{ ...given, id: 3 }])).toThrow('id 3 is not free');
      expect(() => simulator().seed([{ ...given, values: { colour: 'red' } }])).toThrow('no field colour');
    });

    it('starts ids again after a reset', () => {
      const [first] = simulator().seed([given]);
      simulator().reset();
      expect(simulator().seed([given])[0]?.id).toBe(first?.id);
    });
  });

  describe('operator controls', () => {
    it('publishes and unpublishes with a new version each time, and tells the listeners', async () => {
      await postGraphql(simulator(), CREATE, { key: 'shein-10001', input });
      const [created] = simulator().objects();
      const seen: boolean[] = [];
      const unsubscribe = simulator().onSave((save) => seen.push(save.object.published));

      const published = simulator().publish(created.id);
      const unpublished = simulator().unpublish(created.id);
      unsubscribe();

      expect(seen).toEqual([true, false]);
      expect(published.version).toBeGreaterThan(created.version);
      expect(unpublished.version).toBeGreaterThan(published.version);
    });

    it('injects latency', async () => {
      simulator().setLatency(150);
      const started = Date.now();
      await postGraphql(simulator(), '{ __typename }');
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    });

    it('stops cleanly while a request hangs', async () => {
      const own = await PimcoreSimulator.start();
      own.hangNext(1);
      const pending = postGraphql(own, '{ __typename }').catch((error: unknown) => error);
      await new Promise((resolve) => setTimeout(resolve, 50));
      await own.stop();
      await expect(pending).resolves.toBeInstanceOf(Error);
    });

    it('resets to an empty store', async () => {
      await postGraphql(simulator(), CREATE, { key: 'shein-10001', input });
      simulator().reset();
      expect(simulator().count()).toBe(0);
    });
  });
});
