import { z } from 'zod';
import type { CanonicalProduct } from '../../../../contracts/canonical-product';
import type {
  CallOptions,
  PageRequest,
  PimcoreClient,
  PimcoreProduct,
  ProductPage,
  UpsertResult,
} from '../pimcore-client';
import type { PimcoreConfig } from '../pimcore-config';
import { PimcorePermanentError } from '../pimcore-errors';
import { PimcoreHttp } from '../pimcore-http';
import { objectKeyOf, toPimcoreFields, toPimcoreProduct } from '../product-mapping';

type RestConfig = Extract<PimcoreConfig, { adapter: 'rest' }>;

const upsertAnswerSchema = z.object({ id: z.int().positive(), created: z.boolean() });
const listAnswerSchema = z.object({ items: z.array(z.unknown()) });
const pageAnswerSchema = z.object({ items: z.array(z.unknown()), total: z.int().nonnegative() });

/**
 * A site's custom endpoint (contract in docs/pimcore.md): `POST /api/products` upserts by externalId
 * atomically on the server, so one call is the whole upsert; reads return the object with its fields
 * under `data`, in the same shape the Datahub adapter reads.
 */
export class RestPimcoreClient implements PimcoreClient {
  private readonly http: PimcoreHttp;
  private readonly productsUrl: string;

  constructor(private readonly config: RestConfig) {
    this.http = new PimcoreHttp({
      timeoutMs: config.timeoutMs,
      headers: { [config.authHeader]: config.apiKey },
    });
    this.productsUrl = `${config.baseUrl.replace(/\/+$/, '')}/api/products`;
  }

  async upsertProduct(product: CanonicalProduct, options: CallOptions = {}): Promise<UpsertResult> {
    const { fields, skippedLocales } = toPimcoreFields(product, this.config.languages);
    const answer = await this.http.call({
      method: 'POST',
      url: this.productsUrl,
      json: {
        key: objectKeyOf(product),
        parentPath: this.config.parentPath,
        publishOnCreate: this.config.autoPublish,
        data: fields,
      },
      action: 'POST /api/products',
      signal: options.signal,
    });
    const { id, created } = expectShape(upsertAnswerSchema, answer.body, 'POST /api/products');
    return { pimcoreId: id, created, skippedLocales };
  }

  async getProduct(pimcoreId: number, options: CallOptions = {}): Promise<PimcoreProduct | null> {
    const action = `GET /api/products/${pimcoreId}`;
    const answer = await this.http.call({
      method: 'GET',
      url: `${this.productsUrl}/${pimcoreId}`,
      action,
      signal: options.signal,
      expectedStatuses: [404],
    });
    return answer.status === 404 ? null : toPimcoreProduct(answer.body);
  }

  async findByExternalId(externalId: string, options: CallOptions = {}): Promise<PimcoreProduct | null> {
    const action = 'GET /api/products?externalId=';
    const answer = await this.http.call({
      method: 'GET',
      url: `${this.productsUrl}?${new URLSearchParams({ externalId })}`,
      action,
      signal: options.signal,
    });
    const { items } = expectShape(listAnswerSchema, answer.body, action);
    if (items.length > 1) {
      throw new PimcorePermanentError(
        'invalid-data',
        `${items.length} objects share externalId ${externalId}`,
      );
    }
    return items.length === 0 ? null : toPimcoreProduct(items[0]);
  }

  async listProducts(page: PageRequest, options: CallOptions = {}): Promise<ProductPage> {
    const action = 'GET /api/products?offset=&limit=';
    const query = new URLSearchParams({ offset: String(page.offset), limit: String(page.limit) });
    const answer = await this.http.call({
      method: 'GET',
      url: `${this.productsUrl}?${query}`,
      action,
      signal: options.signal,
    });
    const { items, total } = expectShape(pageAnswerSchema, answer.body, action);
    return { products: items.map((item) => toPimcoreProduct(item)), total };
  }

  close(): Promise<void> {
    return this.http.close();
  }
}

function expectShape<T>(schema: z.ZodType<T>, body: unknown, action: string): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  throw new PimcorePermanentError(
    'unexpected-response',
    `${action}: ${parsed.error.issues[0]?.message ?? 'bad answer'}`,
  );
}
