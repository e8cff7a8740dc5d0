import { invalidData, notFound } from './errors';
import { newId, type Product, type ProductOption } from './model';
import type { OptionInput, OptionsBatchBody } from './product-schemas';

/**
 * POST /admin/products/:id/options/batch as Medusa 2.21.2 applies it: new options (existing variants
 * get no value for them), values added to or removed from the product's options, options removed.
 * Removing what a variant still uses is refused; unknown ids to remove are ignored.
 */
export function changeOptions(product: Product, body: OptionsBatchBody): ProductOption[] {
  const updates = body.update ?? [];
  const unknown = updates.filter(
    (change) => !product.options.some((option) => option.id === change.product_option_id),
  );
  if (unknown.length > 0) {
    const pairs = unknown.map((change) => `${product.id}:${change.product_option_id}`).join(', ');
    throw invalidData(`Some product options are not linked to products: [${pairs}]`);
  }
  const changed = product.options.map((option) =>
    updates
      .filter((change) => change.product_option_id === option.id)
      .reduce((current, change) => {
        const added = (change.add ?? []).reduce(addOptionValue, current);
        return removeValues(product, added, change.remove ?? []);
      }, option),
  );
  const removed = new Set(body.remove ?? []);
  for (const option of changed.filter((candidate) => removed.has(candidate.id))) {
    if (product.variants.some((variant) => option.title in variant.optionValues)) {
      throw invalidData('Cannot unassign product option from product which has variants for that option');
    }
  }
  return [...changed.filter((option) => !removed.has(option.id)), ...newOptions(body.add ?? [])];
}

export function newOptions(inputs: readonly OptionInput[]): ProductOption[] {
  return inputs.map((input) => ({
    id: newId('opt'),
    title: input.title,
    values: input.values.map((value) => ({ id: newId('optval'), value })),
  }));
}

function addOptionValue(option: ProductOption, added: string | { value: string }): ProductOption {
  if (typeof added === 'string') {
    // A string names an existing value by id.
    if (option.values.some((value) => value.id === added)) return option;
    throw notFound(
      `You tried to set relationship product_option_value_id: ${added}, but such entity does not exist`,
    );
  }
  if (option.values.some((value) => value.value === added.value)) return option;
  return { ...option, values: [...option.values, { id: newId('optval'), value: added.value }] };
}

function removeValues(product: Product, option: ProductOption, valueIds: readonly string[]): ProductOption {
  const removed = option.values.filter((value) => valueIds.includes(value.id));
  const users = product.variants.filter((variant) =>
    removed.some((value) => variant.optionValues[option.title] === value.value),
  );
  if (users.length > 0) {
    throw invalidData(
      `Cannot unassign option values from product because the following variant(s) are using it: ${users.map((variant) => variant.title).join(', ')}`,
    );
  }
  return { ...option, values: option.values.filter((value) => !removed.includes(value)) };
}
