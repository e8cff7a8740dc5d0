import { sameBinaryText, sameFieldText } from './collation';
import type { SimulatedObject } from './object-store';

/**
 * Pimcore's JSON listing filter (the `filter` argument of getXListing, Resolver/QueryType.php
 * resolveListing), the part the simulator needs: `{"field": value}`, `{"field": {"$like": "%x%"}}`, and
 * `$and` / `$or` over lists of those. Equality compares as MySQL does (collation.ts): `{"externalId":
 * "SHEIN:1"}` finds shein:1.
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
  if (typeof condition === 'string') {
    // SQL `=` in the column's collation: the objects table's key is binary, a class field's is *_ci.
    const same = name === 'key' ? sameBinaryText : sameFieldText;
    return (object) => {
      const value = valueOf(object);
      return value !== null && same(value, condition);
    };
  }
  if (!isPlainObject(condition)) return (object) => valueOf(object) === condition;
  const entries = Object.entries(condition);
  const [operator, operand] = entries[0] ?? [];
  if (entries.length !== 1 || operator !== '$like' || typeof operand !== 'string') {
    throw new FilterError(`the simulator supports only equality and $like, got ${JSON.stringify(condition)}`);
  }
  // LIKE in the column's collation too: the binary key minds letter case, a *_ci field does not.
  const pattern = likePattern(operand, name !== 'key');
  return (object) => pattern.test(valueOf(object) ?? '');
}

/** SQL LIKE: % any run, _ one character; `ignoreCase` as *_ci collations are (accents still count here). */
function likePattern(like: string, ignoreCase: boolean): RegExp {
  const source = [...like]
    .map((char) => (char === '%' ? '.*' : char === '_' ? '.' : char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
