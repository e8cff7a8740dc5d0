import { z } from 'zod';
import { invalidData, notFound } from './errors';
import {
  newId,
  type InventoryItem,
  type InventoryLevel,
  type ProductVariant,
  type StockLocation,
} from './model';

/** The inventory bodies of Medusa 2.21.2 (api/admin/inventory-items/validators.ts), strict. */
const levelQuantities = {
  stocked_quantity: z.number().min(0).optional(),
  incoming_quantity: z.number().min(0).optional(),
};
export const createLevelBody = z.strictObject({ location_id: z.string().min(1), ...levelQuantities });
export const updateLevelBody = z.strictObject(levelQuantities);
export const createItemBody = z.strictObject({
  sku: z.string().nullable().optional(),
  title: z.string().nullable().optional(),
  description: z.string().nullable().optional(),
  requires_shipping: z.boolean().optional(),
  metadata: z.record(z.string(), z.unknown()).nullable().optional(),
  location_levels: z.array(createLevelBody).optional(),
});
export const linkItemBody = z.strictObject({
  inventory_item_id: z.string().min(1),
  required_quantity: z.number().positive(),
});

export type CreateLevelBody = z.infer<typeof createLevelBody>;
export type UpdateLevelBody = z.infer<typeof updateLevelBody>;
export type CreateItemBody = z.infer<typeof createItemBody>;

export interface InventoryFilter {
  readonly id?: string;
  readonly sku?: string;
}

/**
 * The inventory module and its link to variants. As in Medusa, creating a product makes an item (the
 * variant's SKU and title) for each variant that manages inventory; a variant added by a product
 * update gets none, and a variant an update deletes leaves its item behind, SKU and all, while deleting
 * the product deletes its variants' items (the delete workflow removes the links, which cascade).
 */
export class InventoryStore {
  private readonly items = new Map<string, InventoryItem>();
  /** variant id → inventory item ids (Medusa's product_variant_inventory_item link). */
  private readonly links = new Map<string, string[]>();

  constructor(private readonly locations: readonly StockLocation[]) {}

  list(filter: InventoryFilter = {}): InventoryItem[] {
    return [...this.items.values()].filter(
      (item) =>
        (filter.id === undefined || item.id === filter.id) &&
        (filter.sku === undefined || item.sku === filter.sku),
    );
  }

  get(id: string): InventoryItem {
    const item = this.items.get(id);
    if (!item) throw notFound(`Inventory item with id: ${id} was not found`);
    return item;
  }

  itemsOf(variantId: string): InventoryItem[] {
    return (this.links.get(variantId) ?? []).map((id) => this.get(id));
  }

  /** Throws what createProductsWorkflow throws when a managed variant's SKU already has an item. */
  checkNewVariants(variants: readonly ProductVariant[]): void {
    for (const variant of variants) {
      if (variant.manage_inventory && variant.sku !== null) this.checkSkuFree(variant.sku);
    }
  }

  createForVariants(variants: readonly ProductVariant[]): void {
    for (const variant of variants.filter((candidate) => candidate.manage_inventory)) {
      const item = this.create({ sku: variant.sku, title: variant.title, description: variant.title });
      this.link(variant.id, item.id);
    }
  }

  create(body: CreateItemBody): InventoryItem {
    if (body.sku) this.checkSkuFree(body.sku);
    const now = new Date().toISOString();
    const item: InventoryItem = {
      id: newId('iitem'),
      sku: body.sku ?? null,
      title: body.title ?? null,
      location_levels: [],
      created_at: now,
      updated_at: now,
    };
    this.items.set(item.id, item);
    for (const level of body.location_levels ?? []) this.createLevel(item.id, level);
    return this.get(item.id);
  }

  /** The items linked to these variants go, with their links (a product's deletion). */
  deleteForVariants(variants: readonly ProductVariant[]): void {
    for (const { id } of variants) {
      for (const itemId of this.links.get(id) ?? []) this.items.delete(itemId);
      this.links.delete(id);
    }
  }

  /** Linking twice is a no-op, as in Medusa. */
  link(variantId: string, itemId: string): void {
    this.get(itemId);
    const linked = this.links.get(variantId) ?? [];
    if (!linked.includes(itemId)) this.links.set(variantId, [...linked, itemId]);
  }

  createLevel(itemId: string, body: CreateLevelBody): InventoryItem {
    const item = this.items.get(itemId);
    if (!item) {
      throw notFound(
        `You tried to set relationship inventory_item_id: ${itemId}, but such entity does not exist`,
      );
    }
    if (!this.locations.some((location) => location.id === body.location_id)) {
      throw notFound(`Stock locations with ids: ${body.location_id} was not found`);
    }
    if (item.location_levels.some((level) => level.location_id === body.location_id)) {
      throw invalidData(
        `Inventory level with inventory_item_id: ${itemId}, location_id: ${body.location_id}, already exists.`,
      );
    }
    const level: InventoryLevel = {
      id: newId('ilev'),
      location_id: body.location_id,
      stocked_quantity: body.stocked_quantity ?? 0,
      reserved_quantity: 0,
    };
    return this.save({ ...item, location_levels: [...item.location_levels, level] });
  }

  updateLevel(itemId: string, locationId: string, body: UpdateLevelBody): InventoryItem {
    const item = this.items.get(itemId);
    const level = item?.location_levels.find((candidate) => candidate.location_id === locationId);
    if (!item || !level) throw notFound(`Item ${itemId} is not stocked at location ${locationId}`);
    const updated = { ...level, stocked_quantity: body.stocked_quantity ?? level.stocked_quantity };
    return this.save({
      ...item,
      location_levels: item.location_levels.map((candidate) => (candidate === level ? updated : candidate)),
    });
  }

  reset(): void {
    this.items.clear();
    this.links.clear();
  }

  private checkSkuFree(sku: string): void {
    if (this.list({ sku }).length > 0) throw invalidData(`Inventory item with sku: ${sku}, already exists.`);
  }

  private save(item: InventoryItem): InventoryItem {
    const saved = { ...item, updated_at: new Date().toISOString() };
    this.items.set(item.id, saved);
    return saved;
  }
}
