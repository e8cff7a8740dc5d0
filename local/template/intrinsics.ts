import type { JsonValue } from '../aws-json/json';

/** Where Ref and Fn::GetAtt find their values: resources, parameters and pseudo parameters. */
export interface ReferenceSource {
  ref(name: string): JsonValue;
  getAtt(logicalId: string, attribute: string): JsonValue;
}

export class UnsupportedIntrinsicError extends Error {}

/** `Ref: AWS::NoValue` removes the property or list item it stands in. */
const NO_VALUE = Symbol('AWS::NoValue');
type Resolved = JsonValue | typeof NO_VALUE;

/**
 * Resolves the intrinsic functions CDK emits (Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select,
 * Fn::Split) in `value`. Any other intrinsic throws UnsupportedIntrinsicError naming it.
 */
export function resolveIntrinsics(value: unknown, source: ReferenceSource): JsonValue {
  const resolved = resolve(value, source);
  return resolved === NO_VALUE ? null : resolved;
}

function resolve(value: unknown, source: ReferenceSource): Resolved {
  if (Array.isArray(value)) {
    return value.map((item) => resolve(item, source)).filter((item): item is JsonValue => item !== NO_VALUE);
  }
  if (typeof value !== 'object' || value === null) return value as JsonValue;
  const entries = Object.entries(value);
  if (entries.length === 1) {
    const [key, argument] = entries[0];
    if (key === 'Ref') return argument === 'AWS::NoValue' ? NO_VALUE : source.ref(asString(argument, key));
    if (key === 'Fn::Sub') return substitute(argument, source);
    if (key.startsWith('Fn::')) return intrinsic(key, resolveIntrinsics(argument, source), source);
  }
  const object: Record<string, JsonValue> = {};
  for (const [key, item] of entries) {
    const resolved = resolve(item, source);
    if (resolved !== NO_VALUE) object[key] = resolved;
  }
  return object;
}

function intrinsic(name: string, argument: JsonValue, source: ReferenceSource): JsonValue {
  switch (name) {
    case 'Fn::GetAtt': {
      const [logicalId, ...attribute] =
        typeof argument === 'string' ? argument.split('.') : asList(argument, name);
      return source.getAtt(
        asString(logicalId, name),
        attribute.map((part) => asString(part, name)).join('.'),
      );
    }
    case 'Fn::Join': {
      const [delimiter, items] = asList(argument, name);
      return asList(items, name)
        .map((item) => asString(item, name))
        .join(asString(delimiter, name));
    }
    case 'Fn::Select': {
      const [index, items] = asList(argument, name);
      const list = asList(items, name);
      const position = Number(index);
      if (!Number.isInteger(position) || position < 0 || position >= list.length) {
        throw new UnsupportedIntrinsicError(`Fn::Select index ${String(index)} is out of range`);
      }
      return list[position];
    }
    case 'Fn::Split': {
      const [delimiter, text] = asList(argument, name);
      return asString(text, name).split(asString(delimiter, name));
    }
    default:
      throw new UnsupportedIntrinsicError(`${name} is not supported by the local runtime`);
  }
}

/** Fn::Sub: `${Name}`, `${Name.Attribute}`, `${AWS::Region}`, variables of the two-argument form, `${!Literal}`. */
function substitute(raw: unknown, source: ReferenceSource): string {
  const [template, variables] = Array.isArray(raw) ? raw : [raw, {}];
  const values = resolveIntrinsics(variables, source) as Record<string, JsonValue>;
  return asString(template, 'Fn::Sub').replace(/\$\{([^}]*)\}/g, (_match, expression: string) => {
    if (expression.startsWith('!')) return `\${${expression.slice(1)}}`;
    if (Object.hasOwn(values, expression)) return asString(values[expression], 'Fn::Sub');
    const [logicalId, ...attribute] = expression.split('.');
    const value =
      attribute.length > 0 ? source.getAtt(logicalId, attribute.join('.')) : source.ref(logicalId);
    return asString(value, 'Fn::Sub');
  });
}

function asString(value: unknown, context: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new UnsupportedIntrinsicError(`${context} expected a string, got ${JSON.stringify(value)}`);
}

function asList(value: unknown, context: string): JsonValue[] {
  if (!Array.isArray(value))
    throw new UnsupportedIntrinsicError(`${context} expected a list, got ${JSON.stringify(value)}`);
  return value as JsonValue[];
}
