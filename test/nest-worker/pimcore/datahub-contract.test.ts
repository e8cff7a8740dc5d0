import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isDeepStrictEqual } from 'node:util';
import { createPimcoreClient, type PageRequest, type PimcoreClient } from '../../../nest-worker/src/pimcore';
import { readEnvelope, readMutation } from '../../../nest-worker/src/pimcore/datahub/datahub-results';
import { readBody } from '../../../local/pimcore-simulator/http-io';
import {
  FIXTURE_LANGUAGES,
  loadDatahubFixtures,
  type DatahubFixture,
} from '../../fixtures/pimcore-datahub/datahub-fixtures';
import { canonicalProduct } from './fixtures';

/**
 * The client against Pimcore's real answers: the contract cases (test/fixtures/pimcore-datahub), which
 * the simulator is held to as well. A stand-in endpoint answers each expected request with its case's
 * answer and anything else with a 500, so the client must send exactly the case's request.
 */
const fixtures = new Map(loadDatahubFixtures().map(({ file, fixture }) => [file, fixture]));
const fixture = (file: string): DatahubFixture => {
  const found = fixtures.get(file);
  if (!found) throw new Error(`no contract case ${file}`);
  return found;
};

/** How the client reads each mutation answer; every create/update case must be here. */
const MUTATION_READINGS: Record<string, { readonly field: string; readonly reading: unknown }> = {
  'create-new': { field: 'createProduct', reading: { kind: 'done', message: 'object created: 41' } },
  'create-existing-path': { field: 'createProduct', reading: { kind: 'conflict' } },
  'create-externalid-taken-elsewhere': { field: 'createProduct', reading: { kind: 'conflict' } },
  'create-externalid-taken-in-other-letter-case': { field: 'createProduct', reading: { kind: 'conflict' } },
  'create-in-missing-folder': { field: 'createProduct', reading: 'PimcorePermanentError' },
  'create-outside-workspace': { field: 'createProduct', reading: 'PimcorePermanentError' },
  'create-published-with-empty-mandatory-field': { field: 'createProduct', reading: 'PimcorePermanentError' },
  'create-with-too-long-value': { field: 'createProduct', reading: 'PimcorePermanentError' },
  update: { field: 'updateProduct', reading: { kind: 'done', message: 'object 40 updated' } },
  'update-unknown-id': { field: 'updateProduct', reading: { kind: 'gone' } },
};

/**
 * How the client reads each listProducts page: the page it asks for, the objects it gets (id,
 * publication and externalId, in the answer’s order: by id) and the total; every list-products case
 * must be here.
 */
const PAGE_READINGS: Record<
  string,
  { readonly page: PageRequest; readonly products: readonly object[]; readonly total: number }
> = {
  'list-products-first-page': {
    page: { offset: 0, limit: 2 },
    products: [
      { pimcoreId: 40, published: true, product: { externalId: 'shein:3' } },
      { pimcoreId: 41, published: false, product: { externalId: 'shein:1' } },
    ],
    total: 3,
  },
  'list-products-last-page': {
    page: { offset: 2, limit: 2 },
    products: [{ pimcoreId: 42, published: true, product: { externalId: 'shein:2' } }],
    total: 3,
  },
  'list-products-past-the-end': { page: { offset: 3, limit: 2 }, products: [], total: 3 },
};

/** Answers the scripted cases in order; a request that is not the next case's gets a 500. */
class ScriptedDatahub {
  private script: DatahubFixture[] = [];
  readonly unexpected: unknown[] = [];
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<ScriptedDatahub> {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const datahub = new ScriptedDatahub(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on('request', (request, response) => {
      void readBody(request).then((text) => {
        const sent = JSON.parse(text) as unknown;
        const next = datahub.script.shift();
        const answer = next && isDeepStrictEqual(sent, next.request) ? next.answer : undefined;
        if (answer === undefined) datahub.unexpected.push({ sent, expected: next?.case ?? 'nothing' });
        response.writeHead(answer === undefined ? 500 : 200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(answer ?? { error: 'not the request the contract case expects' }));
      });
    });
    return datahub;
  }

  expect(...files: string[]): void {
    this.script = files.map(fixture);
  }

  get remaining(): number {
    return this.script.length;
  }

  async stop(): Promise<void> {
    this.server.close();
    await once(this.server, 'close');
  }
}

let datahub: ScriptedDatahub;
const clients: PimcoreClient[] = [];
beforeAll(async () => {
  datahub = await ScriptedDatahub.start();
});
afterEach(() => {
  expect(datahub.unexpected.splice(0)).toEqual([]);
  expect(datahub.remaining).toBe(0);
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await datahub.stop();
});

function client(overrides: { parentPath?: string } = {}): PimcoreClient {
  const created = createPimcoreClient({
    adapter: 'datahub',
    datahubEndpoint: 'products',
    baseUrl: datahub.url,
    apiKey: 'contract-api-key-0123',
    parentPath: '/Products/Shein',
    autoPublish: false,
    // Generous: a slow answer on a loaded machine must not be taken for none.
    timeoutMs: 10_000,
    languages: [...FIXTURE_LANGUAGES],
    ...overrides,
  });
  clients.push(created);
  return created;
}

describe('the Datahub client against the contract cases', () => {
  it('has a reading for every create and update case', () => {
    const mutationCases = [...fixtures.keys()].filter((file) => /^(create|update)/.test(file));
    expect(mutationCases.sort()).toEqual(Object.keys(MUTATION_READINGS).sort());
  });

  it.each(Object.entries(MUTATION_READINGS))('reads %s as Pimcore means it', (file, { field, reading }) => {
    const read = () => readMutation(readEnvelope(fixture(file).answer, field), field);
    if (typeof reading === 'string') expect(read).toThrow(expect.objectContaining({ name: reading }));
    else expect(read()).toEqual(reading);
  });

  it('creates a new product in one request', async () => {
    datahub.expect('create-new');
    expect(await client().upsertProduct(canonicalProduct('2'))).toEqual({
      pimcoreId: 41,
      created: true,
      skippedLocales: [],
    });
  });

  it.each(['create-existing-path', 'create-externalid-taken-elsewhere'])(
    'turns a create refused as %s into lookup and update of the existing object',
    async (refusal) => {
      datahub.expect(refusal, 'find-ids-found', 'update');
      expect(await client().upsertProduct(canonicalProduct('1'))).toEqual({
        pimcoreId: 40,
        created: false,
        skippedLocales: [],
      });
    },
  );

  it('starts with the lookup for a product its ledger knows', async () => {
    datahub.expect('find-ids-found', 'update');
    expect(await client().upsertProduct(canonicalProduct('1'), { expectExisting: true })).toMatchObject({
      pimcoreId: 40,
      created: false,
    });
  });

  it.each([
    ['create-in-missing-folder', '/Products/Missing', 'unable to resolve parent'],
    ['create-outside-workspace', '/Products', 'not allowed to create object Product'],
  ])('refuses for good on %s, with Pimcore’s words', async (file, parentPath, pimcoreMessage) => {
    datahub.expect(file);
    await expect(client({ parentPath }).upsertProduct(canonicalProduct('1'))).rejects.toMatchObject({
      name: 'PimcorePermanentError',
      reason: 'rejected',
      pimcoreMessage,
    });
  });

  it('reads a product by id, and a missing one as null', async () => {
    datahub.expect('get-product-found', 'get-product-not-found');
    const pimcore = client();
    expect(await pimcore.getProduct(40)).toMatchObject({
      pimcoreId: 40,
      fullPath: '/Products/Shein/shein-1',
      published: true,
      version: 7,
      product: { externalId: 'shein:1' },
    });
    expect(await pimcore.getProduct(999)).toBeNull();
  });

  it('has a reading for every list-products case', () => {
    const pageCases = [...fixtures.keys()].filter((file) => file.startsWith('list-products'));
    expect(pageCases.sort()).toEqual(Object.keys(PAGE_READINGS).sort());
  });

  it.each(Object.entries(PAGE_READINGS))(
    'reads the page %s: its products in id order and the total',
    async (file, { page, products, total }) => {
      datahub.expect(file);
      const read = await client().listProducts(page);
      expect(read.total).toBe(total);
      expect(read.products).toHaveLength(products.length);
      products.forEach((expected, index) => expect(read.products[index]).toMatchObject(expected));
    },
  );

  it('pages through every product, the unpublished one too, each once', async () => {
    datahub.expect('list-products-first-page', 'list-products-last-page');
    const pimcore = client();
    const first = await pimcore.listProducts({ offset: 0, limit: 2 });
    const last = await pimcore.listProducts({ offset: first.products.length, limit: 2 });
    const all = [...first.products, ...last.products];
    expect(all.map((product) => [product.pimcoreId, product.fullPath, product.published])).toEqual([
      [40, '/Products/Shein/shein-3', true],
      [41, '/Products/Shein/shein-1', false],
      [42, '/Products/Shein/shein-2', true],
    ]);
    expect(all).toHaveLength(last.total);
    expect(all[1]).toMatchObject({
      version: 9,
      modificationDate: 1767226200,
      contentHash: canonicalProduct('1').contentHash,
      product: { externalId: 'shein:1', sku: 'sw220301', title: canonicalProduct('1').title },
    });
  });

  it('finds a product by externalId', async () => {
    datahub.expect('find-products-found');
    expect(await client().findByExternalId('shein:1')).toMatchObject({
      pimcoreId: 40,
      product: { externalId: 'shein:1' },
    });
  });
});
