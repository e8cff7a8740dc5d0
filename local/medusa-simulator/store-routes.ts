import type { IncomingMessage } from 'node:http';
import { sendJson } from '../pimcore-simulator/http-io';
import { readFilter, sendPage } from './api-io';
import { addLineItemBody, createCartBody } from './cart-store';
import { MedusaApiError } from './errors';
import { answer, type ApiContext, type Route } from './routing';
import { storeCart, storeProduct } from './presenters';
import { parseBody } from './product-schemas';

const PRODUCT_FILTERS = new Set(['handle', 'id', 'region_id']);

/** Every store route needs the publishable key; Medusa answers 400 not_allowed without a valid one. */
export function checkPublishableKey(request: IncomingMessage, context: ApiContext): void {
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
}

export const storeRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/store/products',
    handle: ({ response, url, context }) => {
      const { region_id: regionId, ...filter } = readFilter(url, PRODUCT_FILTERS);
      if (regionId !== undefined && regionId !== context.region.id) {
        throw new MedusaApiError(
          'invalid_data',
          `Region with id ${regionId} not found when populating the pricing context`,
        );
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
      const products = visible.map((product) => storeProduct(product, currency));
      sendPage(response, 'products', products, url);
    },
  },
  {
    method: 'GET',
    path: '/store/regions',
    handle: ({ response, url, context }) => sendPage(response, 'regions', [context.region], url),
  },
  {
    method: 'POST',
    path: '/store/carts',
    handle: async ({ response, context, body }) => {
      const input = parseBody(createCartBody, await body());
      const channel = input.sales_channel_id ?? context.publishableKey.salesChannelId;
      if (channel !== context.publishableKey.salesChannelId) {
        // This check's answer has its own shape in Medusa: a list of errors, no type.
        return sendJson(response, 400, {
          errors: [
            `Sales channel ID in payload ${channel} is not associated with the Publishable API Key in the header.`,
          ],
          message: 'Provided request body contains errors. Please check the data and retry the request',
        });
      }
      sendJson(response, 200, { cart: storeCart(context.carts.create(input.region_id, channel)) });
    },
  },
  answer('GET', '/store/carts/:id', ({ params, context }) => ({
    cart: storeCart(context.carts.get(params.id)),
  })),
  answer('POST', '/store/carts/:id/line-items', async ({ params, context, body }) => ({
    cart: storeCart(context.carts.addLineItem(params.id, parseBody(addLineItemBody, await body()))),
  })),
];
