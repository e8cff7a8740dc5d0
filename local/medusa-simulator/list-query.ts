import { MedusaApiError } from './errors';

/**
 * The `fields` and `order` query parameters as Medusa 2.21.2 applies them to an answer
 * (@medusajs/framework http/utils: FieldParser and prepareListQuery), on the simulator's full
 * presented entities.
 */

type Selection = Map<string, Selection | 'all' | 'value'>;

/** A field name without its `+`/`-`/space modifier. */
const stripModifier = (field: string) => field.replace(/^[+ \t-]+/, '').trim();

/** `*variants` and `variants.*`: the relation with every property. */
const isStar = (field: string) => field.startsWith('*') || field.endsWith('.*');

/**
 * `fields=id,handle` (any field without a modifier) replaces the default fields: only those come back,
 * plus `id`, at every level; a relation named without `*` brings nothing, an unknown field is ignored.
 * `fields=+x,*y,-z` (modifiers only) changes the defaults: the simulator's answers already hold every
 * field it keeps, so only `-` has an effect there.
 */
export function selectFields(
  entity: Record<string, unknown>,
  fields: string | null,
): Record<string, unknown> {
  if (fields === null) return entity;
  const requested = fields.split(',').filter(Boolean);
  const replacesDefaults =
    requested.length === 0 || requested.some((field) => !(/^[-+ ]/.test(field) || isStar(field)));
  if (!replacesDefaults) {
    return requested
      .filter((field) => field.startsWith('-'))
      .reduce(
        (result, field) => omitPath(result, stripModifier(field).replace(/^\*/, '').split('.')),
        entity,
      );
  }
  const selection: Selection = new Map();
  for (const field of ['id', ...requested.map(stripModifier)]) {
    const path = field.replace(/^\*|\.\*$/g, '').split('.');
    addPath(selection, path, isStar(field));
  }
  return pick(entity, selection);
}

function addPath(selection: Selection, path: readonly string[], star: boolean): void {
  const [head, ...rest] = path;
  if (head === undefined || head === '') return;
  const current = selection.get(head);
  if (rest.length === 0) {
    if (star) selection.set(head, 'all');
    else if (current === undefined) selection.set(head, 'value');
    return;
  }
  if (current === 'all') return;
  const nested: Selection = current instanceof Map ? current : new Map([['id', 'value']]);
  selection.set(head, nested);
  addPath(nested, rest, star);
}

/** A relation (a list or a linked record), as opposed to a column; metadata is a JSON column. */
const isRelation = (key: string, value: unknown) =>
  Array.isArray(value) || (value !== null && typeof value === 'object' && key !== 'metadata');

function pick(entity: Record<string, unknown>, selection: Selection): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, wanted] of selection) {
    if (!(key in entity)) continue;
    const value = entity[key];
    if (wanted === 'all') result[key] = value;
    else if (wanted === 'value') {
      if (!isRelation(key, value)) result[key] = value;
    } else if (Array.isArray(value)) {
      result[key] = value.map((item) => pick(item as Record<string, unknown>, wanted));
    } else if (value !== null && typeof value === 'object') {
      result[key] = pick(value as Record<string, unknown>, wanted);
    } else result[key] = value;
  }
  return result;
}

function omitPath(entity: Record<string, unknown>, path: readonly string[]): Record<string, unknown> {
  const [head, ...rest] = path;
  if (head === undefined || !(head in entity)) return entity;
  if (rest.length === 0) {
    const { [head]: _omitted, ...others } = entity;
    return others;
  }
  const value = entity[head];
  const nested = (item: unknown) => omitPath(item as Record<string, unknown>, rest);
  if (Array.isArray(value)) return { ...entity, [head]: value.map(nested) };
  if (value !== null && typeof value === 'object') return { ...entity, [head]: nested(value) };
  return entity;
}

/**
 * `order=field` (ascending) or `order=-field` (descending) on one of the entity's columns, compared as
 * PostgreSQL compares them under the C collation; nulls last when ascending, first when descending.
 * A field that is not a column makes the database query fail: Medusa answers 500 unknown_error.
 */
export function sortBy<T extends object>(
  entities: readonly T[],
  order: string | null,
  columns: ReadonlySet<string>,
): T[] {
  if (order === null || order === '') return [...entities];
  const descending = order.startsWith('-');
  const column = descending ? order.slice(1) : order;
  if (!columns.has(column)) throw unknownError();
  const valueOf = (entity: T) => (entity as Record<string, unknown>)[column] ?? null;
  const direction = descending ? -1 : 1;
  return [...entities].sort((a, b) => {
    const [left, right] = [valueOf(a), valueOf(b)];
    if (left === right) return 0;
    if (left === null) return direction;
    if (right === null) return -direction;
    return (left < right ? -1 : 1) * direction;
  });
}

export function unknownError(): MedusaApiError {
  return new MedusaApiError('unknown_error', 'An unknown error occurred.', 'unknown_error');
}

/** The scalar columns of Medusa's product table (defaultAdminProductFields without the relations). */
export const PRODUCT_COLUMNS: ReadonlySet<string> = new Set([
  'id',
  'title',
  'subtitle',
  'status',
  'external_id',
  'description',
  'handle',
  'is_giftcard',
  'discountable',
  'thumbnail',
  'collection_id',
  'type_id',
  'weight',
  'length',
  'height',
  'width',
  'hs_code',
  'origin_country',
  'mid_code',
  'material',
  'created_at',
  'updated_at',
  'deleted_at',
]);
