import type { SimulatedObject } from './object-store';

/**
 * Pimcore's JSON listing filter (the `filter` argument of getXListing), the part the simulator needs:
 * `{"field": value}`, `{"field": {"$like": "%x%"}}`, and `$and` / `$or` over lists of those.
 */

export type ObjectPredicate = (object: SimulatedObject) => boolean;

/** Refuses a filter the way Pimcore's resolver does: the message becomes a GraphQL error. */
export class FilterError extends Error {}

export function parseListingFilter(filter: string, filterableFields: ReadonlySet<string>): ObjectPredicate {
  let parsed: unknown;
  try {
    parsed = JSON.parse(filter);
  } catch {
    parsed = null;
  }
  // Pimcore: `if (!$filter) throw new ClientSafeException('unable to decode filter')`.
  if (!isPlainObject(parsed)) throw new FilterError('unable to decode filter');
  return conditions(parsed, filterableFields);
}

function conditions(filter: Record<string, unknown>, fields: ReadonlySet<string>): ObjectPredicate {
  const predicates = Object.entries(filter).map(([name, condition]) => {
    if (name === '$and' || name === '$or') return combine(name, condition, fields);
    if (!fields.has(name)) throw new FilterError(`unknown filter field ${name}`);
    return fieldCondition(name, condition);
  });
  return (object) => predicates.every((predicate) => predicate(object));
}

function combine(operator: '$and' | '$or', operands: unknown, fields: ReadonlySet<string>): ObjectPredicate {
  if (!Array.isArray(operands) || !operands.every(isPlainObject)) {
    throw new FilterError(`${operator} expects a list of conditions`);
  }
  const predicates = operands.map((operand) => conditions(operand, fields));
  return operator === '$and'
    ? (object) => predicates.every((predicate) => predicate(object))
    : (object) => predicates.some((predicate) => predicate(object));
}

function fieldCondition(name: string, condition: unknown): ObjectPredicate {
  const valueOf = (object: SimulatedObject): string | null =>
    name === 'key' ? object.key : (object.values[name] ?? null);
  if (!isPlainObject(condition)) return (object) => valueOf(object) === condition;
  const entries = Object.entries(condition);
  const [operator, operand] = entries[0] ?? [];
  if (entries.length !== 1 || operator !== '$like' || typeof operand !== 'string') {
    throw new FilterError(`the simulator supports only equality and $like, got ${JSON.stringify(condition)}`);
  }
  const pattern = likePattern(operand);
  return (object) => pattern.test(valueOf(object) ?? '');
}

/** SQL LIKE: % any run, _ one character; case-insensitive as MySQL's default collations are. */
function likePattern(like: string): RegExp {
  const source = [...like]
    .map((char) => (char === '%' ? '.*' : char === '_' ? '.' : char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 'is');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
