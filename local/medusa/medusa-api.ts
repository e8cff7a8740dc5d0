import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson } from '../pimcore/http-io';
import type { AdminAuth } from './auth';
import { invalidData, MedusaApiError } from './errors';
import type { Region, SalesChannel } from './model';
import { adminProduct, storeProduct } from './presenters';
import { createProductBody, parseBody, updateProductBody } from './product-schemas';
import type { ProductFilter, ProductStore } from './product-store';

export interface PublishableKey {
  readonly token: string;
  readonly salesChannelId: string;
}

export interface ApiContext {
  readonly auth: AdminAuth;
  readonly store: ProductStore;
  readonly region: Region;
  readonly salesChannels: readonly SalesChannel[];
  readonly publishableKey: PublishableKey;
}

/** The query fields Medusa's list validators accept besides the filters (fields, paging, order). */
const LIST_QUERY_FIELDS = new Set(['fields', 'limit', 'offset', 'order', 'with_deleted']);
const ADMIN_PRODUCT_FILTERS = new Set(['handle', 'id', 'status']);
const STORE_PRODUCT_FILTERS = new Set(['handle', 'id', 'region_id']);

/** Routes one request; a MedusaApiError becomes Medusa's `{ type, message }` body. */
export async function handleApi(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  context: ApiContext,
): Promise<void> {
  try {
    const route = `${request.method ?? 'GET'} ${url.pathname}`;
    if (route === 'POST /auth/user/emailpass') {
      const token = context.auth.login(await readJson(request));
      return sendJson(response, 200, { token });
    }
    if (url.pathname.startsWith('/admin/')) return await handleAdmin(request, response, url, context);
    if (url.pathname.startsWith('/store/')) return handleStore(request, response, url, context);
    sendJson(response, 404, { type: 'not_found', message: `Cannot ${route}` });
  } catch (error: unknown) {
    if (!(error instanceof MedusaApiError)) throw error;
    sendJson(response, error.status, error.toBody());
  }
}

async function handleAdmin(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  context: ApiContext,
): Promise<void> {
  // Medusa's authenticate middleware answers a bare message here, not the typed envelope.
  if (!context.auth.isAuthorized(request.headers))
    return sendJson(response, 401, { message: 'Unauthorized' });
  const method = request.method ?? 'GET';
  const productId = /^\/admin\/products\/([^/]+)$/.exec(url.pathname)?.[1];

  if (url.pathname === '/admin/products' && method === 'GET') {
    const filter = readFilter(url, ADMIN_PRODUCT_FILTERS);
    return sendPage(response, 'products', context.store.list(filter).map(adminProduct), url);
  }
  if (url.pathname === '/admin/products' && method === 'POST') {
    const product = context.store.create(parseBody(createProductBody, await readJson(request)));
    return sendJson(response, 200, { product: adminProduct(product) });
  }
  if (productId !== undefined && method === 'GET') {
    return sendJson(response, 200, { product: adminProduct(context.store.get(productId)) });
  }
  if (productId !== undefined && method === 'POST') {
    const product = context.store.update(productId, parseBody(updateProductBody, await readJson(request)));
    return sendJson(response, 200, { product: adminProduct(product) });
  }
  if (productId !== undefined && method === 'DELETE') {
    context.store.delete(productId);
    return sendJson(response, 200, { id: productId, object: 'product', deleted: true });
  }
  if (url.pathname === '/admin/regions' && method === 'GET') {
    return sendPage(response, 'regions', [context.region], url);
  }
  if (url.pathname === '/admin/sales-channels' && method === 'GET') {
    return sendPage(response, 'sales_channels', [...context.salesChannels], url);
  }
  sendJson(response, 404, { type: 'not_found', message: `Cannot ${method} ${url.pathname}` });
}

function handleStore(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  context: ApiContext,
): void {
  const key = request.headers['x-publishable-api-key'];
  if (typeof key !== 'string' || key === '') {
    throw new MedusaApiError(
      'not_allowed',
      'Publishable API key required in the request header: x-publishable-api-key. You can manage your keys in settings in the dashboard.',
    );
  }
  if (key !== context.publishableKey.token) {
    throw new MedusaApiError(
      'not_allowed',
      'A valid publishable key is required to proceed with the request',
    );
  }
  if (url.pathname === '/store/products' && request.method === 'GET') {
    const { region_id: regionId, ...filter } = readFilter(url, STORE_PRODUCT_FILTERS) as ProductFilter & {
      region_id?: string;
    };
    if (regionId !== undefined && regionId !== context.region.id) {
      throw new MedusaApiError('not_found', `Region with id: ${regionId} was not found`);
    }
    const currency = regionId === undefined ? undefined : context.region.currency_code;
    // The store sees only published products in the key's sales channel.
    const visible = context.store
      .list(filter)
      .filter(
        (product) =>
          product.status === 'published' &&
          product.sales_channels.some((channel) => channel.id === context.publishableKey.salesChannelId),
      );
    return sendPage(
      response,
      'products',
      visible.map((product) => storeProduct(product, currency)),
      url,
    );
  }
  if (url.pathname === '/store/regions' && request.method === 'GET') {
    return sendPage(response, 'regions', [context.region], url);
  }
  sendJson(response, 404, {
    type: 'not_found',
    message: `Cannot ${request.method ?? 'GET'} ${url.pathname}`,
  });
}

function readFilter(url: URL, allowed: ReadonlySet<string>): Record<string, string> {
  const filter: Record<string, string> = {};
  const unknown: string[] = [];
  for (const [name, value] of url.searchParams) {
    if (allowed.has(name)) filter[name] = value;
    else if (!LIST_QUERY_FIELDS.has(name)) unknown.push(name);
  }
  if (unknown.length > 0) throw invalidData(`Invalid request: Unrecognized fields: '${unknown.join(', ')}'`);
  return filter;
}

function sendPage(response: ServerResponse, name: string, all: readonly unknown[], url: URL): void {
  const offset = Number(url.searchParams.get('offset') ?? 0);
  const limit = Number(url.searchParams.get('limit') ?? 50);
  sendJson(response, 200, { [name]: all.slice(offset, offset + limit), count: all.length, offset, limit });
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const text = await readBody(request);
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalidData('Invalid request: body is not JSON');
  }
}
