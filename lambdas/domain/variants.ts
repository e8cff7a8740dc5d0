import type { CanonicalOption } from '../../contracts/canonical-product';
import { failure, type Outcome } from './reject';
import type { SourceProduct, SourceVariant } from './shein/source-product';

/**
 * The option a product without sale attributes gets: commerce systems (Medusa) refuse a product with no
 * option, and every variant needs a value for each option.
 */
export const DEFAULT_OPTION = { name: 'Title', value: 'Default' } as const;

export interface PlannedVariant {
  readonly sku: string;
  /** The option values, in option order: "S", "Black / XL". */
  readonly title: string;
  readonly options: Record<string, string>;
  readonly source: SourceVariant;
}

export interface VariantPlan {
  readonly options: CanonicalOption[];
  /** Sorted by option values in the shop's order (XS, S, M…), whatever order the SKUs came in. */
  readonly variants: PlannedVariant[];
}

const inconsistent = (message: string) => failure('inconsistent_variants', message);

function firstRepeatedSku(variants: readonly SourceVariant[]): string | undefined {
  const seen = new Map<string, SourceVariant>();
  for (const variant of variants) {
    const earlier = seen.get(variant.sku);
    if (earlier) return `${variant.path}: SKU "${variant.sku}" repeats ${earlier.path}`;
    seen.set(variant.sku, variant);
  }
  return undefined;
}

function defaultPlan(variant: SourceVariant): VariantPlan {
  const { name, value } = DEFAULT_OPTION;
  return {
    options: [{ name, values: [value] }],
    variants: [{ sku: variant.sku, title: value, options: { [name]: value }, source: variant }],
  };
}

/** Each variant's value per option name, or why the SKUs do not form a grid of options. */
function valuesByVariant(
  variants: readonly SourceVariant[],
  names: readonly string[],
): Outcome<Map<string, string>[]> {
  const all: Map<string, string>[] = [];
  for (const variant of variants) {
    const values = new Map<string, string>();
    for (const { name, value } of variant.optionValues) {
      if (name === '__proto__') return inconsistent(`${variant.path}: "__proto__" cannot name an option`);
      if (values.has(name))
        return inconsistent(`${variant.path}: SKU "${variant.sku}" has two values for ${name}`);
      values.set(name, value);
    }
    const missing = names.find((name) => !values.has(name));
    if (missing !== undefined) return inconsistent(`${variant.path}: SKU "${variant.sku}" has no ${missing}`);
    all.push(values);
  }
  return { ok: true, value: all };
}

/** Values in the shop's order when the export gives one, the rest in order of first appearance. */
function orderValues(values: readonly string[], shopOrder: readonly string[] = []): string[] {
  const rank = (value: string) => {
    const index = shopOrder.indexOf(value);
    return index === -1 ? shopOrder.length : index;
  };
  return [...new Set(values)].sort((a, b) => rank(a) - rank(b));
}

/**
 * Options and variants from the SKUs' sale attributes. A product whose SKUs are not a clean grid
 * (a SKU without a size, two SKUs with the same size, a repeated SKU code) is refused here, because
 * the commerce system would refuse it later with a less helpful error.
 */
export function planVariants(source: SourceProduct): Outcome<VariantPlan> {
  const { variants } = source;
  const repeated = firstRepeatedSku(variants);
  if (repeated) return inconsistent(repeated);
  const names = [
    ...new Set(variants.flatMap((variant) => variant.optionValues.map((option) => option.name))),
  ];
  if (names.length === 0) {
    const [only, ...others] = variants;
    if (!only || others.length > 0) {
      return inconsistent(`${variants.length} SKUs, but no sale attribute (such as Size) tells them apart`);
    }
    return { ok: true, value: defaultPlan(only) };
  }
  const values = valuesByVariant(variants, names);
  if (!values.ok) return values;
  const valueOf = (index: number, name: string) => values.value[index]?.get(name) ?? '';
  const options = names.map((name) => ({
    name,
    values: orderValues(
      variants.map((_, index) => valueOf(index, name)),
      source.optionValueOrder.get(name),
    ),
  }));
  const planned = variants.map((variant, index) => ({
    sku: variant.sku,
    title: names.map((name) => valueOf(index, name)).join(' / '),
    options: Object.fromEntries(names.map((name) => [name, valueOf(index, name)])),
    source: variant,
    positions: options.map((option) => option.values.indexOf(valueOf(index, option.name))),
  }));
  const seen = new Map<string, PlannedVariant>();
  for (const variant of planned) {
    const combination = JSON.stringify(variant.positions);
    const earlier = seen.get(combination);
    if (earlier) {
      return inconsistent(
        `${variant.source.path}: SKU "${variant.sku}" has the same options as SKU "${earlier.sku}"`,
      );
    }
    seen.set(combination, variant);
  }
  planned.sort((a, b) => {
    const differing = a.positions.findIndex((position, i) => position !== b.positions[i]);
    return differing === -1 ? 0 : (a.positions[differing] ?? 0) - (b.positions[differing] ?? 0);
  });
  return { ok: true, value: { options, variants: planned.map(({ positions: _, ...variant }) => variant) } };
}
