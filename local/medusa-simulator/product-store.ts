import { invalidData, notFound } from './errors';
import { changeOptions, newOptions } from './option-changes';
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
import type {
  CreateProductBody,
  CreateVariantInput,
  OptionsBatchBody,
  UpdateProductBody,
  VariantInput,
} from './product-schemas';

/** Runs after the product rules passed and before the product is stored; throwing stops the write. */
export type BeforeSave = (product: Product, previous: Product | undefined) => void;

/** A value or any of a list of values, as Medusa's list filters take them. */
export interface ProductFilter {
  readonly handle?: string | readonly string[];
  readonly id?: string | readonly string[];
  readonly status?: string | readonly string[];
}

const matches = (wanted: string | readonly string[] | undefined, value: string) =>
  wanted === undefined || (typeof wanted === 'string' ? wanted === value : wanted.includes(value));

/**
 * The in-memory product module: the rules of Medusa 2.21.2's createProducts/updateProducts that a
 * client can trip over. Every write builds the whole new product first and stores it only when all
 * rules pass, as Medusa's workflow rolls back.
 */
export class ProductStore {
  private readonly products = new Map<string, Product>();
  /** The unique indexes, as the database keeps them: handle → product id, SKU → variant id. */
  private readonly handleIndex = new Map<string, string>();
  private readonly skuIndex = new Map<string, string>();

  constructor(private readonly salesChannels: readonly SalesChannel[]) {}

  list(filter: ProductFilter = {}): Product[] {
    return [...this.products.values()].filter(
      (product) =>
        matches(filter.handle, product.handle) &&
        matches(filter.id, product.id) &&
        matches(filter.status, product.status),
    );
  }

  /** The product, or Medusa's not-found error with the message the calling route gives. */
  get(id: string, message = 'Product not found'): Product {
    const product = this.products.get(id);
    if (!product) throw notFound(message);
    return product;
  }

  create(body: CreateProductBody, beforeSave?: BeforeSave): Product {
    // createProductsWorkflow refuses a product without options, even a single-variant one.
    if (!body.options || body.options.length === 0) {
      throw invalidData(`Product options are not provided for: [${body.title}].`);
    }
    const now = new Date().toISOString();
    const options = newOptions(body.options);
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
      variants: (body.variants ?? []).map((input) =>
        checkCoverage(newVariant(input, newId('variant')), options),
      ),
      created_at: now,
      updated_at: now,
    };
    return this.save(product, undefined, beforeSave);
  }

  /**
   * Medusa's update upserts the variants it is given and deletes the product's others (with their
   * prices): a variant without `id`, or with an id the product does not have, is created. Options are
   * not part of the body any more (see changeOptions).
   */
  update(id: string, body: UpdateProductBody, beforeSave?: BeforeSave): Product {
    const current = this.get(id, `Product with id "${id}" not found`);
    const variants = body.variants
      ? upsertVariants(current.variants, body.variants, current.options)
      : current.variants;
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
      variants,
      updated_at: new Date().toISOString(),
    };
    return this.save(next, current, beforeSave);
  }

  /** POST /admin/products/:id/options/batch (see option-changes.ts). */
  changeOptions(id: string, body: OptionsBatchBody): Product {
    const current = this.get(
      id,
      `You tried to set relationship product_id: ${id}, but such entity does not exist`,
    );
    const next: Product = {
      ...current,
      options: changeOptions(current, body),
      updated_at: new Date().toISOString(),
    };
    return this.save(next, current);
  }

  /** Deleting an unknown product succeeds, as in Medusa. */
  delete(id: string): void {
    const product = this.products.get(id);
    if (!product) return;
    this.unindex(product);
    this.products.delete(id);
  }

  reset(): void {
    this.products.clear();
    this.handleIndex.clear();
    this.skuIndex.clear();
  }

  /**
   * Enforces the unique indexes (handle; variant SKU) with the messages of Medusa's dbErrorMapper.
   * Medusa writes the upserts before it deletes the variants left out, so a new variant cannot take
   * the SKU of one the same update removes: the index still holds the product's previous variants.
   */
  private save(product: Product, previous: Product | undefined, beforeSave?: BeforeSave): Product {
    const handleHolder = this.handleIndex.get(product.handle);
    if (handleHolder !== undefined && handleHolder !== product.id) {
      throw invalidData(`Product with handle: ${product.handle}, already exists.`);
    }
    const seen = new Set<string>();
    for (const { id, sku } of product.variants) {
      if (sku === null) continue;
      const holder = this.skuIndex.get(sku);
      if ((holder !== undefined && holder !== id) || seen.has(sku)) {
        throw invalidData(`Product variant with sku: ${sku}, already exists.`);
      }
      seen.add(sku);
    }
    beforeSave?.(product, previous);
    if (previous) this.unindex(previous);
    this.products.set(product.id, product);
    this.handleIndex.set(product.handle, product.id);
    for (const { id, sku } of product.variants) if (sku !== null) this.skuIndex.set(sku, id);
    return product;
  }

  private unindex(product: Product): void {
    this.handleIndex.delete(product.handle);
    for (const { sku } of product.variants) if (sku !== null) this.skuIndex.delete(sku);
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

function newVariant(input: CreateVariantInput, id: string): ProductVariant {
  return {
    id,
    title: input.title,
    sku: input.sku ?? null,
    manage_inventory: input.manage_inventory ?? true,
    allow_backorder: input.allow_backorder ?? false,
    optionValues: input.options ?? {},
    prices: input.prices.map((price) => ({ id: newId('price'), ...price })),
    metadata: input.metadata ?? null,
  };
}

function upsertVariants(
  current: readonly ProductVariant[],
  inputs: readonly VariantInput[],
  options: readonly ProductOption[],
): ProductVariant[] {
  return inputs.map((input) => {
    const existing = current.find((variant) => variant.id === input.id);
    const variant: ProductVariant = {
      id: existing?.id ?? input.id ?? newId('variant'),
      title: input.title ?? existing?.title ?? '',
      sku: input.sku === undefined ? (existing?.sku ?? null) : input.sku,
      manage_inventory: input.manage_inventory ?? existing?.manage_inventory ?? true,
      allow_backorder: input.allow_backorder ?? existing?.allow_backorder ?? false,
      optionValues: input.options ?? existing?.optionValues ?? {},
      prices: input.prices ? replacePrices(existing?.prices ?? [], input.prices) : (existing?.prices ?? []),
      metadata: input.metadata === undefined ? (existing?.metadata ?? null) : input.metadata,
    };
    // On update Medusa checks a variant's values only when it is sent some (then all, as on create).
    const sent = Object.keys(input.options ?? {}).length > 0;
    // Its message names the title sent, `undefined` when none was.
    return sent ? checkCoverage(variant, options, String(input.title)) : variant;
  });
}

/** A variant's prices are replaced; only a price sent with its id keeps it (same currency is not enough). */
function replacePrices(current: readonly Price[], inputs: NonNullable<VariantInput['prices']>): Price[] {
  return inputs.map((input) => {
    const existing = input.id === undefined ? undefined : current.find((price) => price.id === input.id);
    return { id: existing?.id ?? newId('price'), amount: input.amount, currency_code: input.currency_code };
  });
}

/** A variant names one existing value for every option of its product (on update: if sent values). */
function checkCoverage(
  variant: ProductVariant,
  options: readonly ProductOption[],
  title = variant.title,
): ProductVariant {
  const provided = Object.entries(variant.optionValues);
  if (provided.length !== options.length) {
    throw invalidData(
      `Product has ${options.length} option values but there were ${provided.length} provided option values for the variant: ${title}.`,
    );
  }
  return checkValuesExist(variant, options);
}

function checkValuesExist(variant: ProductVariant, options: readonly ProductOption[]): ProductVariant {
  for (const [title, value] of Object.entries(variant.optionValues)) {
    const option = options.find((candidate) => candidate.title === title);
    if (!option?.values.some((candidate) => candidate.value === value)) {
      throw invalidData(`Option value ${value} does not exist for option ${title}`);
    }
  }
  return variant;
}
