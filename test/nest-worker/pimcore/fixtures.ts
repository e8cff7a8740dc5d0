import { request } from 'undici';
import {
  canonicalProductSchema,
  computeContentHash,
  type CanonicalProduct,
  type CanonicalProductWithoutHash,
  type CanonicalVariant,
} from '../../../contracts/canonical-product';
import { PimcoreSimulator, type PimcoreSimulatorOptions } from '../../../local/pimcore-simulator';
import {
  createPimcoreClient,
  type PimcoreClient,
  type PimcoreConfig,
} from '../../../nest-worker/src/pimcore';

/** A small, invented two-size dress in the canonical shape, valid against the shared schema. */
export function canonicalProduct(
  goodsId = '10001',
  overrides: Partial<Omit<CanonicalProductWithoutHash, 'externalId' | 'handle'>> = {},
): CanonicalProduct {
  const product: CanonicalProductWithoutHash = {
    schemaVersion: 1,
    externalId: `shein:${goodsId}`,
    handle: `shein-${goodsId}`,
    sku: `sw22030${goodsId}`,
    title: { en: 'Ribbed Knit Bodycon Dress', ar: 'فستان محبوك بقصة ضيقة' },
    description: { en: 'Soft rib knit, round neck.', ar: '' },
    brand: 'SHEIN',
    category: { sourceId: '1727', path: ['Women', 'Clothing', 'Dresses'], pimPath: '/Women/Dresses' },
    images: [
      'https://img.example.com/images/dress-front.jpg',
      'https://img.example.com/images/dress-back.jpg',
    ],
    attributes: [
      { name: 'Color', value: 'Black' },
      { name: 'Material', value: 'Knitted Fabric' },
    ],
    options: [{ name: 'Size', values: ['S', 'M'] }],
    variants: [
      variant(goodsId, 'S', { SAR: 2380, USD: 635 }, { SAR: 3100 }, 4),
      variant(goodsId, 'M', { SAR: 2280, USD: 608 }, {}, 0),
    ],
    source: {
      shape: 'shein-app-detail',
      goodsId,
      productRelationId: '9900123',
      goodsUrlName: 'Ribbed Knit Bodycon Dress',
    },
    ...overrides,
  };
  return canonicalProductSchema.parse({ ...product, contentHash: computeContentHash(product) });
}

function variant(
  goodsId: string,
  size: string,
  prices: Record<string, number>,
  compareAtPrices: Record<string, number>,
  stock: number,
): CanonicalVariant {
  const money = (amounts: Record<string, number>) =>
    Object.entries(amounts).map(([currencyCode, amount]) => ({ currencyCode, amount }));
  return {
    sku: `sw22030${goodsId}-${size}`,
    title: size,
    options: { Size: size },
    prices: money(prices),
    compareAtPrices: money(compareAtPrices),
    stock,
  };
}

export type Adapter = PimcoreConfig['adapter'];
type ConfigOf<A extends Adapter> = Omit<Extract<PimcoreConfig, { adapter: A }>, 'adapter'>;
export type ClientOverrides = Partial<ConfigOf<'datahub'> & ConfigOf<'rest'>>;

/**
 * A client of either adapter pointed at the simulator. Its timeout is the worker's default (10 s), far
 * beyond a slow answer on a loaded machine; a test of timeouts passes a short one with a hang.
 */
export function clientFor(
  simulator: PimcoreSimulator,
  adapter: Adapter,
  overrides: ClientOverrides = {},
): PimcoreClient {
  const { datahubEndpoint = simulator.endpoint, authHeader = 'X-API-Key', ...commonOverrides } = overrides;
  const common = {
    baseUrl: simulator.url,
    apiKey: simulator.apiKey,
    parentPath: '/Products/Shein',
    autoPublish: false,
    timeoutMs: 10_000,
    languages: ['en', 'ar'],
    ...commonOverrides,
  };
  return createPimcoreClient(
    adapter === 'datahub' ? { adapter, datahubEndpoint, ...common } : { adapter, authHeader, ...common },
  );
}

/** Starts a simulator per test file, empties it before every test and stops it (and the clients) at the end. */
export function useSimulator(options: PimcoreSimulatorOptions = {}): {
  readonly simulator: () => PimcoreSimulator;
  readonly track: (client: PimcoreClient) => PimcoreClient;
} {
  let simulator: PimcoreSimulator | undefined;
  const clients: PimcoreClient[] = [];
  beforeAll(async () => {
    simulator = await PimcoreSimulator.start(options);
  });
  beforeEach(() => simulator?.reset());
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await simulator?.stop();
  });
  return {
    simulator: () => {
      if (!simulator) throw new Error('the simulator has not started');
      return simulator;
    },
    track: (client) => {
      clients.push(client);
      return client;
    },
  };
}

export interface RawAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** A GraphQL request to the simulator's Datahub endpoint as any client would send it. */
export async function postGraphql(
  simulator: PimcoreSimulator,
  query: string,
  variables: Record<string, unknown> = {},
  options: { readonly path?: string; readonly headers?: Record<string, string> } = {},
): Promise<RawAnswer> {
  const path = options.path ?? `/pimcore-graphql-webservices/${simulator.endpoint}`;
  const response = await request(`${simulator.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(options.headers ?? { apikey: simulator.apiKey }) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.statusCode, body: await response.body.json() };
}
