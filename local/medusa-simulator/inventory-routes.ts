import { readFilter, sendPage } from './api-io';
import { createItemBody, createLevelBody, updateLevelBody } from './inventory-store';
import { answer, type Route } from './routing';
import { adminInventoryItem } from './presenters';
import { parseBody } from './product-schemas';

const ITEM_FILTERS = new Set(['id', 'sku', 'q', 'location_levels[location_id]']);

/** /admin/inventory-items: find an item by SKU, create one, and set its level at a stock location. */
export const inventoryRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/admin/inventory-items',
    handle: ({ response, url, context }) => {
      const { q, 'location_levels[location_id]': locationId, ...filter } = readFilter(url, ITEM_FILTERS);
      const items = context.inventory
        .list(filter)
        .filter((item) => q === undefined || `${item.sku ?? ''} ${item.title ?? ''}`.includes(q))
        .filter(
          (item) =>
            locationId === undefined ||
            item.location_levels.some((level) => level.location_id === locationId),
        );
      sendPage(response, 'inventory_items', items.map(adminInventoryItem), url, 20);
    },
  },
  answer('POST', '/admin/inventory-items', async ({ context, body }) => ({
    inventory_item: adminInventoryItem(context.inventory.create(parseBody(createItemBody, await body()))),
  })),
  answer('GET', '/admin/inventory-items/:id', ({ params, context }) => ({
    inventory_item: adminInventoryItem(context.inventory.get(params.id)),
  })),
  answer('POST', '/admin/inventory-items/:id/location-levels', async ({ params, context, body }) => {
    const level = parseBody(createLevelBody, await body());
    return { inventory_item: adminInventoryItem(context.inventory.createLevel(params.id, level)) };
  }),
  answer(
    'POST',
    '/admin/inventory-items/:id/location-levels/:location_id',
    async ({ params, context, body }) => {
      const quantities = parseBody(updateLevelBody, await body());
      const item = context.inventory.updateLevel(params.id, params.location_id, quantities);
      return { inventory_item: adminInventoryItem(item) };
    },
  ),
];
