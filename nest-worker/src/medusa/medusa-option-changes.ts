import type { MedusaOptionInput, MedusaProduct, OptionLinkChanges } from './medusa-api-types';

/**
 * How the product's options must change to match `wanted`, in two steps around the variants' update:
 * `before` adds options and values (variants being written may use them); `after` removes the ones no
 * variant uses any more (Medusa refuses to drop a value a variant still has). Undefined: nothing to do.
 */
export function planOptionChanges(
  existing: MedusaProduct['options'],
  wanted: readonly MedusaOptionInput[],
): { before?: OptionLinkChanges; after?: OptionLinkChanges } {
  const current = existing ?? [];
  const byTitle = new Map(current.map((option) => [option.title, option]));
  const wantedTitles = new Set(wanted.map((option) => option.title));

  const added = wanted.filter((option) => !byTitle.has(option.title));
  const valuesAdded = wanted.flatMap((option) => {
    const have = new Set((byTitle.get(option.title)?.values ?? []).map((value) => value.value));
    const missing = option.values.filter((value) => !have.has(value));
    const id = byTitle.get(option.title)?.id;
    return id === undefined || missing.length === 0
      ? []
      : [{ product_option_id: id, add: missing.map((value) => ({ value })) }];
  });
  const removed = current.filter((option) => !wantedTitles.has(option.title)).map((option) => option.id);
  const valuesRemoved = wanted.flatMap((option) => {
    const existingOption = byTitle.get(option.title);
    if (existingOption === undefined) return [];
    const keep = new Set(option.values);
    const obsolete = (existingOption.values ?? []).filter((value) => !keep.has(value.value));
    return obsolete.length === 0
      ? []
      : [{ product_option_id: existingOption.id, remove: obsolete.map((value) => value.id) }];
  });

  return {
    before: compact({ add: added, update: valuesAdded }),
    after: compact({ remove: removed, update: valuesRemoved }),
  };
}

function compact(changes: OptionLinkChanges): OptionLinkChanges | undefined {
  const entries = Object.entries(changes).filter(([, list]) => (list as unknown[]).length > 0);
  return entries.length === 0 ? undefined : (Object.fromEntries(entries) as OptionLinkChanges);
}
