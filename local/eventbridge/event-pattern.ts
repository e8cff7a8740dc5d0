import { BlockList, isIP } from 'node:net';
import { isJsonObject, type JsonObject, type JsonValue } from '../aws-json/json';

/**
 * EventBridge event-pattern matching as the EventBridge User Guide documents it ("Creating event
 * patterns", "Comparison operators"): exact values, arrays as OR, nested fields, prefix / suffix
 * (with equals-ignore-case), anything-but (value, list, prefix, suffix, wildcard, equals-ignore-case),
 * exists, numeric ranges, equals-ignore-case, wildcard, cidr and $or. Invalid patterns are rejected
 * as AWS rejects them. No maintained npm package implements this (the registry was checked), hence
 * this small pure module.
 *
 * Like AWS (its Event Ruler), both the event and the pattern are flattened to dotted paths: a field
 * `"a.b"` matches `{"a":{"b":…}}`, and arrays in the event, also arrays of objects, offer each of their
 * leaves as a candidate value for the path. Objects are not leaves: `exists` only sees leaf values.
 */

export class InvalidEventPatternError extends Error {
  override readonly name = 'InvalidEventPatternException';
}

export type EventMatcher = (event: JsonObject) => boolean;

type Leaf = string | number | boolean | null;

type ValueMatcher =
  | { readonly kind: 'exists'; readonly exists: boolean }
  | { readonly kind: 'test'; readonly test: (value: Leaf) => boolean };

interface CompiledPattern {
  /** Every field must match (AND) ... */
  readonly fields: ReadonlyArray<{ readonly path: string; readonly matchers: readonly ValueMatcher[] }>;
  /** ... and every `$or` must have a matching alternative. */
  readonly alternatives: ReadonlyArray<readonly CompiledPattern[]>;
}

/** Validates `pattern` (throws InvalidEventPatternError) and returns a matcher for events. */
export function compileEventPattern(pattern: unknown): EventMatcher {
  if (!isJsonObject(pattern) || Object.keys(pattern).length === 0) {
    throw new InvalidEventPatternError('Event pattern must be a non-empty JSON object');
  }
  const compiled = compileObject(pattern, '');
  return (event) => matches(compiled, flatten(event));
}

function matches(pattern: CompiledPattern, event: ReadonlyMap<string, Leaf[]>): boolean {
  return (
    pattern.fields.every(({ path, matchers }) => {
      const values = event.get(path) ?? [];
      return matchers.some((matcher) =>
        matcher.kind === 'exists' ? values.length > 0 === matcher.exists : values.some(matcher.test),
      );
    }) && pattern.alternatives.every((alternatives) => alternatives.some((branch) => matches(branch, event)))
  );
}

function flatten(value: JsonValue, path = '', leaves = new Map<string, Leaf[]>()): Map<string, Leaf[]> {
  if (Array.isArray(value)) {
    for (const item of value) flatten(item, path, leaves);
  } else if (isJsonObject(value)) {
    for (const [key, item] of Object.entries(value))
      flatten(item, path === '' ? key : `${path}.${key}`, leaves);
  } else {
    leaves.set(path, [...(leaves.get(path) ?? []), value]);
  }
  return leaves;
}

function compileObject(pattern: JsonObject, prefix: string): CompiledPattern {
  const fields: Array<CompiledPattern['fields'][number]> = [];
  const alternatives: Array<readonly CompiledPattern[]> = [];
  for (const [key, value] of Object.entries(pattern)) {
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2 || !value.every(isJsonObject)) {
        throw new InvalidEventPatternError('$or must be an array of at least two pattern objects');
      }
      alternatives.push(value.map((branch) => compileObject(branch as JsonObject, prefix)));
      continue;
    }
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (Array.isArray(value)) {
      if (value.length === 0) throw new InvalidEventPatternError(`Empty arrays are not allowed (at ${path})`);
      fields.push({ path, matchers: value.map((item) => compileMatcher(item, path)) });
    } else if (isJsonObject(value)) {
      const nested = compileObject(value, path);
      fields.push(...nested.fields);
      alternatives.push(...nested.alternatives);
    } else {
      throw new InvalidEventPatternError(`Match value must be an array or an object (at ${path})`);
    }
  }
  return { fields, alternatives };
}

function compileMatcher(item: JsonValue, path: string): ValueMatcher {
  if (!isJsonObject(item)) {
    if (Array.isArray(item)) throw new InvalidEventPatternError(`Nested arrays are not allowed (at ${path})`);
    return { kind: 'test', test: (value) => value === item };
  }
  const entries = Object.entries(item);
  if (entries.length !== 1)
    throw new InvalidEventPatternError(`A match expression has exactly one operator (at ${path})`);
  const [operator, operand] = entries[0];
  if (operator === 'exists') {
    if (typeof operand !== 'boolean')
      throw new InvalidEventPatternError(`exists takes true or false (at ${path})`);
    return { kind: 'exists', exists: operand };
  }
  return { kind: 'test', test: compileTest(operator, operand, path) };
}

function compileTest(operator: string, operand: JsonValue, path: string): (value: Leaf) => boolean {
  switch (operator) {
    case 'prefix':
    case 'suffix':
      return affixTest(operator, operand, path);
    case 'equals-ignore-case':
      return equalsIgnoreCase(requireString(operand, operator, path));
    case 'wildcard':
      return wildcardTest(requireString(operand, operator, path), path);
    case 'anything-but':
      return anythingButTest(operand, path);
    case 'numeric':
      return numericTest(operand, path);
    case 'cidr':
      return cidrTest(operand, path);
    default:
      throw new InvalidEventPatternError(`Unrecognized match type ${operator} (at ${path})`);
  }
}

/** `prefix` / `suffix`: a string (may be empty), or `{"equals-ignore-case": string}`. */
function affixTest(
  operator: 'prefix' | 'suffix',
  operand: JsonValue,
  path: string,
): (value: Leaf) => boolean {
  const ignoreCase =
    isJsonObject(operand) && Object.keys(operand).length === 1 && 'equals-ignore-case' in operand;
  const affix = requireString(
    ignoreCase ? (operand as JsonObject)['equals-ignore-case'] : operand,
    operator,
    path,
  );
  const normalise = (text: string) => (ignoreCase ? text.toLowerCase() : text);
  const expected = normalise(affix);
  return (value) =>
    typeof value === 'string' &&
    (operator === 'prefix' ? normalise(value).startsWith(expected) : normalise(value).endsWith(expected));
}

function equalsIgnoreCase(expected: string): (value: Leaf) => boolean {
  const lower = expected.toLowerCase();
  return (value) => typeof value === 'string' && value.toLowerCase() === lower;
}

/** `*` matches any run of characters (also none); `\*` is a literal star. */
function wildcardTest(pattern: string, path: string): (value: Leaf) => boolean {
  if (pattern.includes('**'))
    throw new InvalidEventPatternError(`Consecutive wildcard characters (at ${path})`);
  const source = pattern
    .split(/(\\\*|\*)/)
    .map((part) =>
      part === '*' ? '.*' : part === '\\*' ? '\\*' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  const regex = new RegExp(`^${source}$`, 's');
  return (value) => typeof value === 'string' && regex.test(value);
}

/**
 * `anything-but`: matches any present value (null included) other than the excluded ones; never a
 * missing field. Excluded: a string or number, a list of them, or one prefix / suffix / wildcard /
 * equals-ignore-case (string or list).
 */
function anythingButTest(operand: JsonValue, path: string): (value: Leaf) => boolean {
  if (typeof operand === 'string' || typeof operand === 'number') return (value) => value !== operand;
  if (Array.isArray(operand)) {
    if (
      operand.length === 0 ||
      !operand.every((item) => typeof item === 'string' || typeof item === 'number')
    ) {
      throw new InvalidEventPatternError(`anything-but lists hold strings or numbers only (at ${path})`);
    }
    return (value) => !operand.includes(value as string | number);
  }
  if (isJsonObject(operand) && Object.keys(operand).length === 1) {
    const [operator, inner] = Object.entries(operand)[0];
    const excluded = (Array.isArray(inner) ? inner : [inner]).map((item) => {
      const text = requireString(item, `anything-but ${operator}`, path);
      if (operator === 'prefix' || operator === 'suffix') {
        if (text === '')
          throw new InvalidEventPatternError(`anything-but ${operator} cannot be empty (at ${path})`);
        return affixTest(operator, text, path);
      }
      if (operator === 'wildcard') return wildcardTest(text, path);
      if (operator === 'equals-ignore-case') return equalsIgnoreCase(text);
      throw new InvalidEventPatternError(`Unsupported anything-but operator ${operator} (at ${path})`);
    });
    return (value) => !excluded.some((test) => test(value));
  }
  throw new InvalidEventPatternError(`Invalid anything-but value (at ${path})`);
}

const LOWER_BOUNDS: Record<string, (value: number, bound: number) => boolean> = {
  '>': (value, bound) => value > bound,
  '>=': (value, bound) => value >= bound,
};
const UPPER_BOUNDS: Record<string, (value: number, bound: number) => boolean> = {
  '<': (value, bound) => value < bound,
  '<=': (value, bound) => value <= bound,
};

/** `numeric`: `["=", n]`, one bound, or a lower bound followed by a greater upper bound. */
function numericTest(operand: JsonValue, path: string): (value: Leaf) => boolean {
  const invalid = () => new InvalidEventPatternError(`Invalid numeric expression (at ${path})`);
  if (!Array.isArray(operand) || (operand.length !== 2 && operand.length !== 4)) throw invalid();
  const [operator, bound, upperOperator, upperBound] = operand;
  if (typeof operator !== 'string' || typeof bound !== 'number') throw invalid();
  const comparisons: Array<(value: number) => boolean> = [];
  if (operator === '=' && operand.length === 2) {
    comparisons.push((value) => value === bound);
  } else if (
    Object.hasOwn(LOWER_BOUNDS, operator) ||
    (Object.hasOwn(UPPER_BOUNDS, operator) && operand.length === 2)
  ) {
    const compare = LOWER_BOUNDS[operator] ?? UPPER_BOUNDS[operator];
    comparisons.push((value) => compare(value, bound));
  } else {
    throw invalid();
  }
  if (operand.length === 4) {
    if (typeof upperOperator !== 'string' || !Object.hasOwn(UPPER_BOUNDS, upperOperator)) throw invalid();
    if (typeof upperBound !== 'number' || upperBound <= bound) throw invalid();
    comparisons.push((value) => UPPER_BOUNDS[upperOperator](value, upperBound));
  }
  return (value) => typeof value === 'number' && comparisons.every((compare) => compare(value));
}

/** `cidr`: an IPv4 or IPv6 network; matches string addresses inside it. */
function cidrTest(operand: JsonValue, path: string): (value: Leaf) => boolean {
  const [network, bits, ...rest] = requireString(operand, 'cidr', path).split('/');
  const family = isIP(network ?? '');
  const prefix = Number(bits);
  const maxPrefix = family === 4 ? 32 : 128;
  if (family === 0 || rest.length > 0 || !/^\d+$/.test(bits ?? '') || prefix > maxPrefix) {
    throw new InvalidEventPatternError(`Malformed CIDR ${String(operand)} (at ${path})`);
  }
  const type = family === 4 ? 'ipv4' : 'ipv6';
  const subnet = new BlockList();
  subnet.addSubnet(network, prefix, type);
  return (value) => typeof value === 'string' && isIP(value) === family && subnet.check(value, type);
}

function requireString(value: JsonValue | undefined, operator: string, path: string): string {
  if (typeof value !== 'string')
    throw new InvalidEventPatternError(`${operator} match pattern must be a string (at ${path})`);
  return value;
}
