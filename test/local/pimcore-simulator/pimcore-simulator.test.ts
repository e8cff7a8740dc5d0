import { request } from 'undici';
import { PimcoreSimulator } from '../../../local/pimcore-simulator';
import { toPimcoreFields } from '../../../nest-worker/src/pimcore';
import { canonicalProduct, postGraphql, useSimulator } from '../../nest-worker/pimcore/fixtures';

/** The simulator enforces what the real Pimcore enforces, seen by a plain HTTP client. */
describe('Pimcore simulator', () => {
  const { simulator } = useSimulator();
  const input = toPimcoreFields(canonicalProduct(), ['en', 'ar']).fields;
  const CREATE = `mutation ($key: String!, $input: UpdateProductInput) {
    createProduct(key: $key, path: "/Products/Shein", published: false, input: $input) { success message }
  }`;

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

    it('refuses a second object at the same path as "Duplicate path"', async () => {
      const first = await postGraphql(simulator(), CREATE, { key: 'shein-10001', input });
      const second = await postGraphql(simulator(), CREATE, { key: 'shein-10001', input });

      expect(first.body).toEqual({
        data: { createProduct: { success: true, message: expect.stringMatching(/^object created: \d+$/) } },
      });
      expect(second.body).toEqual({
        data: { createProduct: { success: false, message: 'creating failed: Duplicate path' } },
      });
      expect(simulator().count()).toBe(1);
    });

    it('refuses a second object with the same unique externalId', async () => {
      await postGraphql(simulator(), CREATE, { key: 'shein-10001', input });
      const elsewhere = await postGraphql(simulator(), CREATE, { key: 'another-key', input });
      expect(elsewhere.body).toEqual({
        data: { createProduct: { success: false, message: 'creating failed: unique constraint violation' } },
      });
    });

    it('refuses an empty mandatory field', async () => {
      const answer = await postGraphql(simulator(), CREATE, {
        key: 'shein-10001',
        input: { ...input, sku: '' },
      });
      expect(answer.body).toEqual({
        data: {
          createProduct: {
            success: false,
            message: 'creating failed: Validation failed: Empty mandatory field [ sku ]',
          },
        },
      });
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
