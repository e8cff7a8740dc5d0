/** Where a storefront reaches Medusa: the real one or the simulator, both have these fields. */
export interface StoreCoordinates {
  readonly url: string;
  readonly publishableKey: string;
  readonly region: { readonly id: string; readonly currency_code: string };
  readonly salesChannel: { readonly id: string };
}

export interface StoreVariant {
  readonly id: string;
  readonly sku: string | null;
  readonly title: string;
  readonly manage_inventory?: boolean;
  /** Null when the variant has no price in the region's currency. */
  readonly calculated_price?: { readonly calculated_amount: number; readonly currency_code: string } | null;
}

export interface StoreProduct {
  readonly id: string;
  readonly handle: string;
  readonly title: string;
  readonly variants: readonly StoreVariant[];
}

/** A store API answer: the status and the JSON body, whatever they were. */
export interface StoreReply {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

export interface LineItemView {
  readonly variant_id: string;
  readonly quantity: number;
  readonly unit_price: number;
}

/** What adding one unit of a variant to a fresh cart did. */
export type AddToCartOutcome =
  | { readonly added: true; readonly cartId: string; readonly item: LineItemView }
  | { readonly added: false; readonly cartId: string; readonly reply: StoreReply };

/**
 * The storefront's view through the publishable key: what a shopper sees of a product in the region
 * and whether it goes into a cart. Errors name the product, so a failing check says which one.
 */
export class StoreApi {
  constructor(private readonly coordinates: StoreCoordinates) {}

  /** The published product with this handle in the key's sales channel, or undefined. */
  async findProduct(handle: string): Promise<StoreProduct | undefined> {
    const query = new URLSearchParams({
      handle,
      region_id: this.coordinates.region.id,
      fields: '*variants.calculated_price',
    });
    const reply = await this.send('GET', `/store/products?${query.toString()}`);
    if (reply.status !== 200) throw new Error(`store: product ${handle}: ${describe(reply)}`);
    return (reply.body.products as StoreProduct[])[0];
  }

  /** Like findProduct, but a product the store does not show is an error naming it. */
  async product(handle: string): Promise<StoreProduct> {
    const product = await this.findProduct(handle);
    if (!product) {
      throw new Error(
        `store: product ${handle} is not visible with the publishable key (not published, or not in sales channel ${this.coordinates.salesChannel.id})`,
      );
    }
    return product;
  }

  async createCart(): Promise<StoreReply> {
    return this.send('POST', '/store/carts', {
      region_id: this.coordinates.region.id,
      sales_channel_id: this.coordinates.salesChannel.id,
    });
  }

  async addLineItem(cartId: string, variantId: string, quantity = 1): Promise<StoreReply> {
    return this.send('POST', `/store/carts/${encodeURIComponent(cartId)}/line-items`, {
      variant_id: variantId,
      quantity,
    });
  }

  /** A fresh cart in the region and channel, then one unit of the variant: added, or the refusal. */
  async tryAddToCart(variantId: string, quantity = 1): Promise<AddToCartOutcome> {
    const created = await this.createCart();
    const cart = created.body.cart as { id?: string } | undefined;
    if (created.status !== 200 || typeof cart?.id !== 'string') {
      throw new Error(
        `store: cannot create a cart in region ${this.coordinates.region.id}: ${describe(created)}`,
      );
    }
    const reply = await this.addLineItem(cart.id, variantId, quantity);
    if (reply.status !== 200) return { added: false, cartId: cart.id, reply };
    const items = (reply.body.cart as { items: LineItemView[] }).items;
    const item = items.find((candidate) => candidate.variant_id === variantId);
    if (!item) throw new Error(`store: cart ${cart.id} answered 200 without a line item for ${variantId}`);
    return { added: true, cartId: cart.id, item };
  }

  /**
   * Every variant of the product (by handle, or only the one with `sku`) is priced in the region and
   * goes into a cart; throws naming the product and variant that does not.
   */
  async expectPurchasable(handle: string, sku?: string): Promise<LineItemView[]> {
    const product = await this.product(handle);
    const variants = product.variants.filter((variant) => sku === undefined || variant.sku === sku);
    if (variants.length === 0) throw new Error(`store: product ${handle} has no variant ${sku ?? ''}`.trim());
    const items: LineItemView[] = [];
    for (const variant of variants) {
      const name = `product ${handle} variant ${variant.sku ?? variant.id}`;
      if (!variant.calculated_price) {
        throw new Error(`store: ${name} has no price in ${this.coordinates.region.currency_code}`);
      }
      const outcome = await this.tryAddToCart(variant.id);
      if (!outcome.added)
        throw new Error(`store: ${name} cannot be added to a cart: ${describe(outcome.reply)}`);
      items.push(outcome.item);
    }
    return items;
  }

  private async send(method: 'GET' | 'POST', path: string, body?: unknown): Promise<StoreReply> {
    const response = await fetch(`${this.coordinates.url}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        'x-publishable-api-key': this.coordinates.publishableKey,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(text) as Record<string, unknown>;
    } catch {
      parsed = { message: text.slice(0, 200) };
    }
    return { status: response.status, body: parsed };
  }
}

function describe(reply: StoreReply): string {
  const { type, message, code } = reply.body;
  return [reply.status, type, code, message]
    .filter((part) => part !== undefined)
    .map(String)
    .join(' ');
}
