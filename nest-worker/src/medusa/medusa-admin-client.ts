import { z } from 'zod';
import { JsonHttp, type JsonCall, type JsonAnswer } from '../downstream/json-http';
import { createMedusaAuth, type MedusaAuth } from './medusa-auth';
import type { MedusaConfig } from './medusa-config';
import { MedusaAuthenticationError, MedusaPermanentError, medusaErrorFor } from './medusa-errors';
import {
  inventoryItemSchema,
  medusaProductSchema,
  type MedusaInventoryItem,
  type MedusaProduct,
  type MedusaProductBody,
  type MedusaProductUpdate,
  type OptionLinkChanges,
} from './medusa-api-types';

/**
 * The admin API calls the relay makes (docs/relay.md): find a product by handle, create and
 * update products, set inventory levels. Each call authenticates (a refused Bearer token triggers one
 * fresh login and one repeat) and throws MedusaTransientError or MedusaPermanentError.
 */
export class MedusaAdminClient {
  private readonly http: JsonHttp;
  private readonly auth: MedusaAuth;
  private readonly baseUrl: string;

  constructor(config: Pick<MedusaConfig, 'baseUrl' | 'credentials' | 'timeoutMs'>) {
    this.http = new JsonHttp({ service: 'Medusa', timeoutMs: config.timeoutMs, toError: medusaErrorFor });
    this.baseUrl = config.baseUrl;
    this.auth = createMedusaAuth(config.credentials, this.http, config.baseUrl);
  }

  /** Medusa's list filter is exact on handle; the caller checks `external_id` itself. */
  async findProductByHandle(handle: string, signal?: AbortSignal): Promise<MedusaProduct | null> {
    const query = new URLSearchParams({ handle, limit: '1' });
    const action = `GET /admin/products?handle=${handle}`;
    const { body } = await this.send({
      method: 'GET',
      url: this.url(`/admin/products?${query}`),
      action,
      signal,
    });
    const products = read(z.object({ products: z.array(medusaProductSchema) }), body, action).products;
    return products[0] ?? null;
  }

  /**
   * A page of every product (any status), oldest id first: reconciliation walks them all. Only the
   * fields it compares are asked for, so 10,000 products are a few MB.
   */
  async listProducts(
    page: { readonly offset: number; readonly limit: number },
    signal?: AbortSignal,
  ): Promise<{ products: MedusaProduct[]; count: number }> {
    const query = new URLSearchParams({
      offset: String(page.offset),
      limit: String(page.limit),
      order: 'id',
      fields: 'id,handle,status,external_id,metadata,updated_at',
    });
    const action = `GET /admin/products?offset=${page.offset}`;
    const { body } = await this.send({
      method: 'GET',
      url: this.url(`/admin/products?${query}`),
      action,
      signal,
    });
    return read(z.object({ products: z.array(medusaProductSchema), count: z.number() }), body, action);
  }

  /** null when Medusa has no product with that id. */
  async getProduct(id: string, signal?: AbortSignal): Promise<MedusaProduct | null> {
    const action = `GET /admin/products/${id}`;
    try {
      const { body } = await this.send({
        method: 'GET',
        url: this.url(`/admin/products/${encodeURIComponent(id)}`),
        action,
        signal,
      });
      return read(z.object({ product: medusaProductSchema }), body, action).product;
    } catch (error) {
      if (error instanceof MedusaPermanentError && error.status === 404) return null;
      throw error;
    }
  }

  async createProduct(product: MedusaProductBody, signal?: AbortSignal): Promise<MedusaProduct> {
    const action = `POST /admin/products (${product.handle})`;
    const { body } = await this.send({
      method: 'POST',
      url: this.url('/admin/products'),
      json: product,
      action,
      signal,
    });
    return read(z.object({ product: medusaProductSchema }), body, action).product;
  }

  /**
   * Replaces the variants with the ones sent: variants without an id are created, absent ones deleted.
   * Options are not part of it (since Medusa 2.16): see linkProductOptions.
   */
  async updateProduct(id: string, update: MedusaProductUpdate, signal?: AbortSignal): Promise<MedusaProduct> {
    const action = `POST /admin/products/${id}`;
    const url = this.url(`/admin/products/${encodeURIComponent(id)}`);
    const { body } = await this.send({ method: 'POST', url, json: update, action, signal });
    return read(z.object({ product: medusaProductSchema }), body, action).product;
  }

  /** Adds, changes and removes the product's options and their values. */
  async linkProductOptions(
    id: string,
    changes: OptionLinkChanges,
    signal?: AbortSignal,
  ): Promise<MedusaProduct> {
    const path = `/admin/products/${encodeURIComponent(id)}/options/batch`;
    const action = `POST ${path}`;
    const { body } = await this.send({ method: 'POST', url: this.url(path), json: changes, action, signal });
    return read(z.object({ product: medusaProductSchema }), body, action).product;
  }

  /** The inventory item Medusa created for a variant with manage_inventory (it carries the variant's SKU). */
  async findInventoryItemBySku(sku: string, signal?: AbortSignal): Promise<MedusaInventoryItem | null> {
    const query = new URLSearchParams({ sku, fields: 'id,sku,*location_levels', limit: '1' });
    const action = `GET /admin/inventory-items?sku=${sku}`;
    const { body } = await this.send({
      method: 'GET',
      url: this.url(`/admin/inventory-items?${query}`),
      action,
      signal,
    });
    return (
      read(z.object({ inventory_items: z.array(inventoryItemSchema) }), body, action).inventory_items[0] ??
      null
    );
  }

  /** An inventory item for a SKU (Medusa makes none for a managed variant added by a product update). */
  async createInventoryItem(sku: string, title: string, signal?: AbortSignal): Promise<MedusaInventoryItem> {
    const action = `POST /admin/inventory-items (${sku})`;
    const url = this.url('/admin/inventory-items');
    const { body } = await this.send({ method: 'POST', url, json: { sku, title }, action, signal });
    return read(z.object({ inventory_item: inventoryItemSchema }), body, action).inventory_item;
  }

  /** Ties the item to the variant (one unit per sale); linking an item twice changes nothing. */
  async linkInventoryItem(
    productId: string,
    variantId: string,
    itemId: string,
    signal?: AbortSignal,
  ): Promise<void> {
    const path = `/admin/products/${encodeURIComponent(productId)}/variants/${encodeURIComponent(variantId)}/inventory-items`;
    const json = { inventory_item_id: itemId, required_quantity: 1 };
    await this.send({ method: 'POST', url: this.url(path), json, action: `POST ${path}`, signal });
  }

  /** Creates the item's level at the location, or sets it when the item is stocked there already. */
  async setStockedQuantity(
    item: MedusaInventoryItem,
    locationId: string,
    stockedQuantity: number,
    signal?: AbortSignal,
  ): Promise<void> {
    const itemPath = `/admin/inventory-items/${encodeURIComponent(item.id)}/location-levels`;
    const level = item.location_levels?.find((candidate) => candidate.location_id === locationId);
    if (level?.stocked_quantity === stockedQuantity) return;
    const call: JsonCall =
      level === undefined
        ? {
            method: 'POST',
            url: this.url(itemPath),
            json: { location_id: locationId, stocked_quantity: stockedQuantity },
            action: `POST ${itemPath} (${item.sku ?? item.id})`,
            signal,
          }
        : {
            method: 'POST',
            url: this.url(`${itemPath}/${encodeURIComponent(locationId)}`),
            json: { stocked_quantity: stockedQuantity },
            action: `POST ${itemPath}/${locationId} (${item.sku ?? item.id})`,
            signal,
          };
    await this.send(call);
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private url(path: string): string {
    return `${this.baseUrl}${path}`;
  }

  private async send(call: JsonCall): Promise<JsonAnswer> {
    const headers = await this.auth.headers(call.signal);
    try {
      return await this.http.call({ ...call, headers });
    } catch (error) {
      if (!(error instanceof MedusaAuthenticationError) || !this.auth.invalidate(headers)) throw error;
      // The token expired (or the server's secret changed): log in again and repeat the call once.
      return this.http.call({ ...call, headers: await this.auth.headers(call.signal) });
    }
  }
}

function read<T>(schema: z.ZodType<T>, body: unknown, action: string): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new MedusaPermanentError(
    'unexpected-response',
    `Medusa's answer to ${action} is not what its API promises: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`,
  );
}
