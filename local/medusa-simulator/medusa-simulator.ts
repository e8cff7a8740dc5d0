import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BodyTooLargeError, sendJson } from '../pimcore-simulator/http-io';
import { RequestControls, type InjectedFailure } from '../pimcore-simulator/request-controls';
import { AdminAuth } from './auth';
import { CartStore } from './cart-store';
import { InventoryStore } from './inventory-store';
import { handleApi } from './medusa-api';
import {
  newId,
  type InventoryItem,
  type Product,
  type Region,
  type SalesChannel,
  type StockLocation,
} from './model';
import { ProductStore } from './product-store';
import type { ApiContext } from './routing';

export interface MedusaSimulatorOptions {
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** Sent as `Authorization: Basic base64("<key>:")`; a random `sk_…` by default. */
  readonly secretApiKey?: string;
  readonly adminEmail?: string;
  readonly adminPassword?: string;
  /** The store API's `x-publishable-api-key`, tied to the seeded sales channel; a random `pk_…` by default. */
  readonly publishableKey?: string;
  /** The seeded region's currency (lower case, as Medusa stores it). */
  readonly currencyCode?: string;
}

const DEFAULTS = {
  adminEmail: 'admin@example.com',
  adminPassword: 'supersecret',
  currencyCode: 'sar',
} as const;

/**
 * A Medusa v2 stand-in on 127.0.0.1 for tests and the local runtime, checked against Medusa 2.21.2
 * (test/real-medusa): the admin product API with the rules that trip real clients (strict bodies,
 * options required on create and refused on update, option coverage, unique handle/SKU, upsert-and-
 * delete of variants on update), inventory items and levels, the store product listing and carts with
 * Medusa's purchasability checks. Seeded with one region, one sales channel, a publishable key for it
 * and one stock location serving it.
 */
export class MedusaSimulator {
  readonly url: string;
  readonly secretApiKey: string;
  readonly publishableKey: string;
  readonly adminEmail: string;
  readonly adminPassword: string;
  readonly region: Region;
  readonly salesChannel: SalesChannel;
  readonly stockLocation: StockLocation;

  private constructor(
    private readonly server: Server,
    private readonly context: ApiContext,
    private readonly controls: RequestControls,
    credentials: { email: string; password: string; secretApiKey: string },
  ) {
    const { port } = server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    this.secretApiKey = credentials.secretApiKey;
    this.adminEmail = credentials.email;
    this.adminPassword = credentials.password;
    this.publishableKey = context.publishableKey.token;
    this.region = context.region;
    this.salesChannel = context.salesChannels[0] as SalesChannel;
    this.stockLocation = context.stockLocations[0] as StockLocation;
  }

  static async start(options: MedusaSimulatorOptions = {}): Promise<MedusaSimulator> {
    const credentials = {
      email: options.adminEmail ?? DEFAULTS.adminEmail,
      password: options.adminPassword ?? DEFAULTS.adminPassword,
      secretApiKey: options.secretApiKey ?? `sk_${randomBytes(16).toString('hex')}`,
    };
    const salesChannel: SalesChannel = { id: newId('sc'), name: 'Default Sales Channel' };
    const stockLocation: StockLocation = {
      id: newId('sloc'),
      name: 'Default Warehouse',
      sales_channel_ids: [salesChannel.id],
    };
    const region: Region = {
      id: newId('reg'),
      name: 'Default Region',
      currency_code: options.currencyCode ?? DEFAULTS.currencyCode,
    };
    const store = new ProductStore([salesChannel]);
    const inventory = new InventoryStore([stockLocation]);
    const context: ApiContext = {
      auth: new AdminAuth(credentials),
      store,
      inventory,
      carts: new CartStore({
        products: store,
        inventory,
        regions: [region],
        stockLocations: [stockLocation],
      }),
      region,
      salesChannels: [salesChannel],
      stockLocations: [stockLocation],
      publishableKey: {
        token: options.publishableKey ?? `pk_${randomBytes(16).toString('hex')}`,
        salesChannelId: salesChannel.id,
      },
    };
    const controls = new RequestControls();
    const server = createServer((request, response) => {
      serve(request, response, context, controls).catch((error: unknown) => {
        if (response.headersSent) {
          response.destroy();
          return;
        }
        const status = error instanceof BodyTooLargeError ? 413 : 500;
        sendJson(response, status, { type: 'unknown_error', message: 'An unknown error occurred.' });
      });
    });
    server.listen(options.port ?? 0, '127.0.0.1');
    await once(server, 'listening');
    return new MedusaSimulator(server, context, controls, credentials);
  }

  /** Drops open connections (hung requests included) and stops listening. */
  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  /** Added before every response. */
  setLatency(ms: number): void {
    this.controls.latencyMs = ms;
  }

  /** The next `count` requests (any route) get this status instead of being served. */
  failNext(count: number, failure: InjectedFailure): void {
    this.controls.failNext(count, failure);
  }

  /** The next `count` requests get no answer until the client gives up or the simulator stops. */
  hangNext(count: number): void {
    this.controls.hangNext(count);
  }

  /** Runs `action` right before the next request to `"<METHOD> <path>"` (e.g. "POST /admin/products"). */
  beforeNext(route: string, action: () => void | Promise<void>): void {
    this.controls.beforeNext(route, action);
  }

  /** Every Bearer token issued so far answers 401 from now on (a session that expired). */
  expireTokens(): void {
    this.context.auth.expireTokens();
  }

  products(): Product[] {
    return this.context.store.list();
  }

  product(id: string): Product | undefined {
    return this.context.store.list({ id })[0];
  }

  productByHandle(handle: string): Product | undefined {
    return this.context.store.list({ handle })[0];
  }

  count(): number {
    return this.context.store.list().length;
  }

  /** The inventory item of a SKU (one per SKU, as Medusa keeps them unique). */
  inventoryItem(sku: string): InventoryItem | undefined {
    return this.context.inventory.list({ sku })[0];
  }

  /** The inventory items linked to a variant (none when it does not manage inventory). */
  inventoryItemsOf(variantId: string): InventoryItem[] {
    return this.context.inventory.itemsOf(variantId);
  }

  /** No products, inventory, carts, faults, latency or queued actions; keys, region, channel and location stay. */
  reset(): void {
    this.context.store.reset();
    this.context.inventory.reset();
    this.context.carts.reset();
    this.controls.reset();
  }
}

async function serve(
  request: IncomingMessage,
  response: ServerResponse,
  context: ApiContext,
  controls: RequestControls,
): Promise<void> {
  if (
    await controls.interceptRequest(response, (status) => ({
      type: 'unknown_error',
      message: `simulated failure ${status}`,
    }))
  )
    return;
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  await controls.runBefore(`${request.method ?? 'GET'} ${url.pathname}`);
  await handleApi(request, response, url, context);
}
