import type { CanonicalProduct } from '../../../../contracts/canonical-product';
import type {
  CallOptions,
  PageRequest,
  PimcoreClient,
  PimcoreProduct,
  ProductPage,
  UpsertOptions,
  UpsertResult,
} from '../pimcore-client';
import type { PimcoreConfig } from '../pimcore-config';
import { PimcorePermanentError, PimcoreTransientError } from '../pimcore-errors';
import { PimcoreHttp } from '../pimcore-http';
import {
  objectKeyOf,
  toPimcoreFields,
  toPimcoreProduct,
  type PimcoreProductFields,
} from '../product-mapping';
import {
  CREATE_PRODUCT,
  externalIdFilter,
  FIND_PRODUCT_IDS,
  readDocuments,
  toStoredProduct,
  UPDATE_PRODUCT,
} from './datahub-documents';
import {
  graphqlErrorsToError,
  isNotFound,
  readEnvelope,
  readMutation,
  type GraphqlResult,
} from './datahub-results';

type DatahubConfig = Extract<PimcoreConfig, { adapter: 'datahub' }>;

/**
 * Write-then-lookup rounds an upsert may take. A create refused as a conflict (the path or the unique
 * externalId is taken) means the object exists: look it up and update it. Each extra round answers a
 * concurrent writer or editor: an object deleted since the lookup (create it again), or one created
 * since a lookup found nothing.
 */
const MAX_ROUNDS = 3;

/**
 * Stock Pimcore 11 with the Datahub GraphQL endpoint. The upsert is keyed twice over: created under a
 * key derived from the externalId (Pimcore's unique path) and found by the class's unique externalId,
 * so Pimcore refuses a second object for the same product whatever the interleaving of upserts.
 */
export class DatahubPimcoreClient implements PimcoreClient {
  private readonly http: PimcoreHttp;
  private readonly url: string;
  private readonly documents: ReturnType<typeof readDocuments>;

  constructor(private readonly config: DatahubConfig) {
    this.http = new PimcoreHttp({ timeoutMs: config.timeoutMs, headers: { apikey: config.apiKey } });
    const base = config.baseUrl.replace(/\/+$/, '');
    this.url = `${base}/pimcore-graphql-webservices/${encodeURIComponent(config.datahubEndpoint)}`;
    this.documents = readDocuments(config.languages);
  }

  /**
   * Requests per upsert: one for a new product (the create); two for a product the caller expects to
   * exist (`expectExisting`: lookup, update); three when that guess is wrong the other way (a refused
   * create, lookup, update), e.g. after the caller's ledger was lost.
   */
  async upsertProduct(product: CanonicalProduct, options: UpsertOptions = {}): Promise<UpsertResult> {
    const { fields, skippedLocales } = toPimcoreFields(product, this.config.languages);
    let lastObstacle: 'conflict' | 'gone' = 'conflict';
    let createFirst = options.expectExisting !== true;
    for (let round = 1; round <= MAX_ROUNDS; round += 1) {
      if (createFirst) {
        const createdId = await this.create(objectKeyOf(product), fields, options);
        if (createdId !== null) return { pimcoreId: createdId, created: true, skippedLocales };
      }
      createFirst = true;
      const existingId = await this.findId(product.externalId, options);
      if (existingId === null) {
        lastObstacle = 'conflict';
        continue;
      }
      if (await this.update(existingId, fields, options)) {
        return { pimcoreId: existingId, created: false, skippedLocales };
      }
      lastObstacle = 'gone';
    }
    const path = `${this.config.parentPath}/${objectKeyOf(product)}`;
    if (lastObstacle === 'conflict') {
      throw new PimcorePermanentError(
        'rejected',
        `${path} exists but no Product with externalId ${product.externalId} is visible to the endpoint ` +
          '(another object holds the key, or it lies outside the endpoint’s workspace)',
      );
    }
    throw new PimcoreTransientError(
      'conflict',
      `${product.externalId}: its object kept disappearing during the upsert`,
    );
  }

  async getProduct(pimcoreId: number, options: CallOptions = {}): Promise<PimcoreProduct | null> {
    const result = await this.send(this.documents.getProduct, { id: pimcoreId }, 'getProduct', options);
    const node = result.data.getProduct;
    if (result.errors.length > 0) {
      if ((node === null || node === undefined) && result.errors.every(isNotFound)) return null;
      throw graphqlErrorsToError(result.errors, 'getProduct');
    }
    return toPimcoreProduct(toStoredProduct(asRecord(node, 'getProduct'), this.config.languages));
  }

  async findByExternalId(externalId: string, options: CallOptions = {}): Promise<PimcoreProduct | null> {
    const nodes = await this.listing(this.documents.findProducts, externalId, options);
    return nodes.length === 0 ? null : toPimcoreProduct(toStoredProduct(nodes[0], this.config.languages));
  }

  async listProducts(page: PageRequest, options: CallOptions = {}): Promise<ProductPage> {
    const result = await this.send(
      this.documents.listProducts,
      { first: page.limit, after: page.offset },
      'getProductListing',
      options,
    );
    if (result.errors.length > 0) throw graphqlErrorsToError(result.errors, 'getProductListing');
    const { nodes, totalCount } = listingNodes(result.data.getProductListing);
    return {
      products: nodes.map((node) => toPimcoreProduct(toStoredProduct(node, this.config.languages))),
      total: Number(totalCount ?? nodes.length),
    };
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private async findId(externalId: string, options: CallOptions): Promise<number | null> {
    const nodes = await this.listing(FIND_PRODUCT_IDS, externalId, options);
    return nodes.length === 0 ? null : objectId(nodes[0].id, 'getProductListing');
  }

  /** The listing's nodes for one externalId; more than one breaks the class's unique rule. */
  private async listing(
    document: string,
    externalId: string,
    options: CallOptions,
  ): Promise<Record<string, unknown>[]> {
    const result = await this.send(
      document,
      { filter: externalIdFilter(externalId) },
      'getProductListing',
      options,
    );
    if (result.errors.length > 0) throw graphqlErrorsToError(result.errors, 'getProductListing');
    const { nodes, totalCount } = listingNodes(result.data.getProductListing);
    if (nodes.length > 1) {
      throw new PimcorePermanentError(
        'invalid-data',
        `${String(totalCount ?? nodes.length)} Product objects share externalId ${externalId}; ` +
          'the class definition’s unique externalId was changed',
      );
    }
    return nodes;
  }

  /** The new object's id, or null when another writer got the path first. */
  private async create(
    key: string,
    fields: PimcoreProductFields,
    options: CallOptions,
  ): Promise<number | null> {
    const variables = {
      key,
      path: this.config.parentPath,
      published: this.config.autoPublish,
      input: fields,
    };
    const outcome = readMutation(
      await this.send(CREATE_PRODUCT, variables, 'createProduct', options),
      'createProduct',
    );
    if (outcome.kind !== 'done') return null;
    // Pimcore says "object created: 98"; asking for `output { id }` instead would need read rights too.
    const id = /object created: (\d+)/.exec(outcome.message)?.[1];
    if (id !== undefined) return Number(id);
    const found = await this.findId(fields.externalId, options);
    if (found === null) {
      throw new PimcorePermanentError(
        'unexpected-response',
        `createProduct succeeded but ${fields.externalId} is not found`,
      );
    }
    return found;
  }

  /** false when the object was deleted since the lookup. */
  private async update(id: number, fields: PimcoreProductFields, options: CallOptions): Promise<boolean> {
    const result = await this.send(UPDATE_PRODUCT, { id, input: fields }, 'updateProduct', options);
    return readMutation(result, 'updateProduct').kind === 'done';
  }

  private async send(
    query: string,
    variables: Record<string, unknown>,
    operation: string,
    options: CallOptions,
  ): Promise<GraphqlResult> {
    const answer = await this.http.call({
      method: 'POST',
      url: this.url,
      json: { query, variables },
      action: operation,
      signal: options.signal,
    });
    return readEnvelope(answer.body, operation);
  }
}

function listingNodes(value: unknown): { nodes: Record<string, unknown>[]; totalCount: unknown } {
  const listing = asRecord(value, 'getProductListing');
  const edges = Array.isArray(listing.edges) ? listing.edges : [];
  const nodes = edges.map((edge) =>
    asRecord(asRecord(edge, 'getProductListing edge').node, 'getProductListing node'),
  );
  return { nodes, totalCount: listing.totalCount };
}

function asRecord(value: unknown, what: string): Record<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return value as Record<string, unknown>;
  }
  throw new PimcorePermanentError('unexpected-response', `${what}: expected an object in the answer`);
}

function objectId(value: unknown, what: string): number {
  const id = Number(value);
  if (Number.isInteger(id) && id > 0) return id;
  throw new PimcorePermanentError('unexpected-response', `${what}: "${String(value)}" is not an object id`);
}
