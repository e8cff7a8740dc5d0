import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../pimcore-simulator/http-io';
import { adminRoutes } from './admin-routes';
import { matchPath, readJson, sendNotFoundRoute } from './api-io';
import type { AdminAuth } from './auth';
import type { CartStore } from './cart-store';
import { MedusaApiError } from './errors';
import type { InventoryStore } from './inventory-store';
import type { Region, SalesChannel, StockLocation } from './model';
import type { ProductStore } from './product-store';
import { checkPublishableKey, storeRoutes } from './store-routes';

export interface PublishableKey {
  readonly token: string;
  readonly salesChannelId: string;
}

export interface ApiContext {
  readonly auth: AdminAuth;
  readonly store: ProductStore;
  readonly inventory: InventoryStore;
  readonly carts: CartStore;
  readonly region: Region;
  readonly salesChannels: readonly SalesChannel[];
  readonly stockLocations: readonly StockLocation[];
  readonly publishableKey: PublishableKey;
}

/** What a route handler gets: the matched path segments and the request's parts. */
export interface RouteCall {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly url: URL;
  readonly params: Readonly<Record<string, string>>;
  readonly context: ApiContext;
  /** The parsed JSON body (`{}` when empty); a body that is not JSON is a 400. */
  body(): Promise<unknown>;
}

export interface Route {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly path: string;
  handle(call: RouteCall): Promise<void> | void;
}

/** A route that answers 200 with the object `run` returns (e.g. `{ product }`). */
export function answer(
  method: Route['method'],
  path: string,
  run: (call: RouteCall) => Promise<Record<string, unknown>> | Record<string, unknown>,
): Route {
  return { method, path, handle: async (call) => sendJson(call.response, 200, await run(call)) };
}

/** Routes one request; a MedusaApiError becomes Medusa's `{ type, message }` body. */
export async function handleApi(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  context: ApiContext,
): Promise<void> {
  const method = request.method ?? 'GET';
  try {
    if (method === 'POST' && url.pathname === '/auth/user/emailpass') {
      const token = context.auth.login(await readJson(request));
      return sendJson(response, 200, { token });
    }
    let routes: readonly Route[] = [];
    if (url.pathname.startsWith('/admin/')) {
      // Medusa's authenticate middleware answers a bare message here, not the typed envelope.
      if (!context.auth.isAuthorized(request.headers))
        return sendJson(response, 401, { message: 'Unauthorized' });
      routes = adminRoutes;
    } else if (url.pathname.startsWith('/store/')) {
      checkPublishableKey(request, context);
      routes = storeRoutes;
    }
    for (const route of routes) {
      const params = route.method === method ? matchPath(route.path, url.pathname) : undefined;
      if (params === undefined) continue;
      return await route.handle({ request, response, url, params, context, body: () => readJson(request) });
    }
    sendNotFoundRoute(response, method, url.pathname);
  } catch (error: unknown) {
    if (!(error instanceof MedusaApiError)) throw error;
    sendJson(response, error.status, error.toBody());
  }
}
