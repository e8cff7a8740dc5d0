import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../pimcore-simulator/http-io';
import type { AdminAuth } from './auth';
import type { CartStore } from './cart-store';
import type { InventoryStore } from './inventory-store';
import type { Region, SalesChannel, StockLocation } from './model';
import type { ProductStore } from './product-store';

/**
 * What the route modules share with medusa-api.ts, which routes to them. A leaf: it imports none of
 * the route modules, so they can import it without a cycle.
 */

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
