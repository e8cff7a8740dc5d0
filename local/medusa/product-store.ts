import { invalidData, notFound } from './errors';
import {
  handleFromTitle,
  newId,
  type Image,
  type Price,
  type Product,
  type ProductOption,
  type ProductVariant,
  type SalesChannel,
} from './model';
import type { CreateProductBody, OptionInput, UpdateProductBody, VariantInput } from './product-schemas';

export interface ProductFilter {
  readonly handle?: string;
  readonly id?: string;
  readonly status?: string;
}

/**
 * The in-memory product module: the rules of Medusa's createProducts/updateProducts that a client can
 * trip over. Every write builds the whole new product first and stores it only when all rules pass, as
 * Medusa's workflow rolls back.
 */
export class ProductStore {
  private readonly products = new Map<string, Product>();

  constructor(private readonly salesChannels: readonly SalesChannel[]) {}

  list(filter: ProductFilter = {}): Product[] {
    return [...this.products.values()].filter(
      (product) =>
        (filter.handle === undefined || product.handle === filter.handle) &&
        (filter.id === undefined || product.id === filter.id) &&
        (filter.status === undefined || product.status === filter.status),
    );
  }

  get(id: string): Product {
    const product = this.products.get(id);
    if (!product) throw notFound(`Product with id: ${id} was not found`);
    return product;
  }

  create(body: CreateProductBody): Product {
    // createProductsWorkflow refuses a product without options, even a single-variant one.
    if (!body.options || body.options.length === 0) {
      throw invalidData(`Product options are not provided for: [${body.title}].`);
    }
    const now = new Date().toISOString();
    const options = replaceOptions([], body.options);
    const product: Product = {
      id: newId('prod'),
      title: body.title,
      subtitle: body.subtitle ?? null,
      description: body.description ?? null,
      handle: body.handle ?? handleFromTitle(body.title),
      status: body.status ?? 'draft',
      external_id: body.external_id ?? null,
      thumbnail: body.thumbnail ?? null,
      images: toImages(body.images ?? []),
      sales_channels: this.resolveChannels(body.sales_channels ?? []),
      metadata: body.metadata ?? null,
      options,
      variants: replaceVariants([], body.variants ?? [], options),
      created_at: now,
      updated_at: now,
    };
    return this.save(product);
  }

  /**
   * Medusa's update replaces the lists it is given: options and variants without an `id` are created,
   * listed ones updated, and existing ones left out are deleted (with their prices).
   */
  update(id: string, body: UpdateProductBody): Product {
    const current = this.get(id);
    const options = body.options ? replaceOptions(current.options, body.options) : current.options;
    const variants = body.variants
      ? replaceVariants(current.variants, body.variants, options)
      : current.variants.map((variant) => checkCoverage(variant, options));
    const next: Product = {
      ...current,
      title: body.title ?? current.title,
      subtitle: body.subtitle === undefined ? current.subtitle : body.subtitle,
      description: body.description === undefined ? current.description : body.description,
      handle: body.handle ?? current.handle,
      status: body.status ?? current.status,
      external_id: body.external_id === undefined ? current.external_id : body.external_id,
      thumbnail: body.thumbnail === undefined ? current.thumbnail : body.thumbnail,
      images: body.images ? toImages(body.images) : current.images,
      sales_channels: body.sales_channels
        ? this.resolveChannels(body.sales_channels)
        : current.sales_channels,
      metadata: body.metadata === undefined ? current.metadata : body.metadata,
      options,
      variants,
      updated_at: new Date().toISOString(),
    };
    return this.save(next);
  }

  delete(id: string): void {
    this.get(id);
    this.products.delete(id);
  }

  reset(): void {
    this.products.clear();
  }

  /** Enforces the unique indexes (handle; variant SKU) with the messages of Medusa's dbErrorMapper. */
  private save(product: Product): Product {
    const others = [...this.products.values()].filter((other) => other.id !== product.id);
    if (others.some((other) => other.handle === product.handle)) {
      throw invalidData(`Product with handle: ${product.handle} already exists.`);
    }
    const taken = new Set(others.flatMap((other) => other.variants.map((variant) => variant.sku)));
    const seen = new Set<string>();
    for (const { sku } of product.variants) {
      if (sku === null) continue;
      if (taken.has(sku) || seen.has(sku))
        throw invalidData(`Product variant with sku: ${sku} already exists.`);
      seen.add(sku);
    }
    this.products.set(product.id, product);
    return product;
  }

  private resolveChannels(refs: readonly { id: string }[]): SalesChannel[] {
    return refs.map(({ id }) => {
      const channel = this.salesChannels.find((candidate) => candidate.id === id);
      if (!channel) throw notFound(`Sales channel with id: ${id} was not found`);
      return channel;
    });
  }
}

function toImages(images: readonly { id?: string; url: string }[]): Image[] {
  return images.map((image, rank) => ({ id: image.id ?? newId('img'), url: image.url, rank }));
}

function replaceOptions(current: readonly ProductOption[], inputs: readonly OptionInput[]): ProductOption[] {
  return inputs.map((input) => {
    const existing = input.id === undefined ? undefined : current.find((option) => option.id === input.id);
    if (input.id !== undefined && !existing)
      throw notFound(`Product option with id: ${input.id} was not found`);
    // Values that stay keep their ids, as Medusa upserts option values by value.
    const values = input.values.map(
      (value) => existing?.values.find((old) => old.value === value) ?? { id: newId('optval'), value },
    );
    return { id: existing?.id ?? newId('opt'), title: input.title, values };
  });
}

function replaceVariants(
  current: readonly ProductVariant[],
  inputs: readonly VariantInput[],
  options: readonly ProductOption[],
): ProductVariant[] {
  return inputs.map((input) => {
    const existing = input.id === undefined ? undefined : current.find((variant) => variant.id === input.id);
    if (input.id !== undefined && !existing)
      throw notFound(`Product variant with id: ${input.id} was not found`);
    const variant: ProductVariant = {
      id: existing?.id ?? newId('variant'),
      title: input.title,
      sku: input.sku === undefined ? (existing?.sku ?? null) : input.sku,
      manage_inventory: input.manage_inventory ?? existing?.manage_inventory ?? true,
      allow_backorder: input.allow_backorder ?? existing?.allow_backorder ?? false,
      optionValues: input.options ?? existing?.optionValues ?? {},
      prices: input.prices ? replacePrices(existing?.prices ?? [], input.prices) : (existing?.prices ?? []),
      metadata: input.metadata === undefined ? (existing?.metadata ?? null) : input.metadata,
    };
    return checkCoverage(variant, options);
  });
}

/** A price set is replaced too; a price keeps its id when sent with it or for the same currency. */
function replacePrices(current: readonly Price[], inputs: NonNullable<VariantInput['prices']>): Price[] {
  return inputs.map((input) => {
    const existing = current.find((price) =>
      input.id === undefined ? price.currency_code === input.currency_code : price.id === input.id,
    );
    return { id: existing?.id ?? newId('price'), amount: input.amount, currency_code: input.currency_code };
  });
}

/** Every variant must name one existing value for every option of its product. */
function checkCoverage(variant: ProductVariant, options: readonly ProductOption[]): ProductVariant {
  const provided = Object.entries(variant.optionValues);
  if (provided.length !== options.length) {
    throw invalidData(
      `Product has ${options.length} option values but there were ${provided.length} provided option values for the variant: ${variant.title}.`,
    );
  }
  for (const [title, value] of provided) {
    const option = options.find((candidate) => candidate.title === title);
    if (!option?.values.some((candidate) => candidate.value === value)) {
      throw invalidData(`Option value ${value} does not exist for option ${title}`);
    }
  }
  return variant;
}
