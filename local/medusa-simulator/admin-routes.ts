import { readListFilter, sendPage } from './api-io';
import { invalidData, notFound } from './errors';
import { inventoryRoutes } from './inventory-routes';
import { linkItemBody } from './inventory-store';
import { PRODUCT_COLUMNS, selectFields, sortBy } from './list-query';
import { answer, type ApiContext, type Route } from './routing';
import { adminProduct, adminStockLocation, adminVariant } from './presenters';
import { createProductBody, optionsBatchBody, parseBody, updateProductBody } from './product-schemas';

const PRODUCT_FILTERS = new Set(['handle', 'id', 'status']);

/** One variant of a product, as the answer to a write on that variant shows it. */
function variantOf(context: ApiContext, productId: string, variantId: string): Record<string, unknown> {
  const product = context.store.get(productId);
  const variant = product.variants.find((candidate) => candidate.id === variantId);
  if (!variant) throw notFound(`Product variant with id: ${variantId} was not found`);
  return adminVariant(variant, product);
}

export const adminRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/admin/products',
    handle: ({ response, url, context }) => {
      const filter = readListFilter(url, PRODUCT_FILTERS);
      // Medusa's validator takes `status` as a list only (status[]=draft), `id` and `handle` as either.
      if (typeof filter.status === 'string') {
        throw invalidData(
          `Invalid request: Expected type: 'array' for field 'status', got: '${filter.status}'`,
        );
      }
      const products = sortBy(context.store.list(filter), url.searchParams.get('order'), PRODUCT_COLUMNS);
      const fields = url.searchParams.get('fields');
      sendPage(
        response,
        'products',
        products.map((product) => selectFields(adminProduct(product), fields)),
        url,
      );
    },
  },
  answer('POST', '/admin/products', async ({ context, body }) => {
    // Medusa's create workflow makes the inventory items in the same transaction as the product.
    const product = context.store.create(parseBody(createProductBody, await body()), (created) =>
      context.inventory.checkNewVariants(created.variants),
    );
    context.inventory.createForVariants(product.variants);
    return { product: adminProduct(product) };
  }),
  answer('GET', '/admin/products/:id', ({ params, url, context }) => ({
    product: selectFields(adminProduct(context.store.get(params.id)), url.searchParams.get('fields')),
  })),
  answer('POST', '/admin/products/:id', async ({ params, context, body }) => ({
    product: adminProduct(context.store.update(params.id, parseBody(updateProductBody, await body()))),
  })),
  answer('DELETE', '/admin/products/:id', ({ params, context }) => {
    const product = context.store.list({ id: params.id })[0];
    context.store.delete(params.id);
    if (product) context.inventory.deleteForVariants(product.variants);
    return { id: params.id, object: 'product', deleted: true };
  }),
  answer('POST', '/admin/products/:id/options/batch', async ({ params, context, body }) => ({
    product: adminProduct(context.store.changeOptions(params.id, parseBody(optionsBatchBody, await body()))),
  })),
  answer(
    'POST',
    '/admin/products/:id/variants/:variant_id/inventory-items',
    async ({ params, context, body }) => {
      const { inventory_item_id: itemId } = parseBody(linkItemBody, await body());
      const variant = variantOf(context, params.id, params.variant_id);
      context.inventory.link(params.variant_id, itemId);
      return { variant };
    },
  ),
  ...inventoryRoutes,
  {
    method: 'GET',
    path: '/admin/regions',
    handle: ({ response, url, context }) => sendPage(response, 'regions', [context.region], url),
  },
  {
    method: 'GET',
    path: '/admin/sales-channels',
    handle: ({ response, url, context }) =>
      sendPage(response, 'sales_channels', [...context.salesChannels], url, 20),
  },
  {
    method: 'GET',
    path: '/admin/stock-locations',
    handle: ({ response, url, context }) =>
      sendPage(response, 'stock_locations', context.stockLocations.map(adminStockLocation), url, 20),
  },
];
