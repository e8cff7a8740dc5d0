import { JSONPath } from 'jsonpath-plus';
import { isJsonObject, type JsonObject, type JsonValue } from '../../aws-json/json';
import { MapRunRuntimeError } from './errors';

/**
 * A Distributed Map's ItemSelector for one item (Step Functions Developer Guide, "ItemSelector (Map)"):
 * a payload template whose `…$` keys are paths into the Map's effective input (`$`) or the context
 * object (`$$`), where `$$.Map.Item.Index` and `$$.Map.Item.Value` are the item's. Without an
 * ItemSelector the item itself is the iteration's input.
 */
export function selectItem(
  itemSelector: JsonValue | undefined,
  mapInput: JsonValue,
  context: JsonObject,
  item: { readonly index: number; readonly value: JsonValue },
): JsonValue {
  if (itemSelector === undefined) return item.value;
  const itemContext: JsonObject = { ...context, Map: { Item: { Index: item.index, Value: item.value } } };
  return applyTemplate(itemSelector, mapInput, itemContext);
}

function applyTemplate(template: JsonValue, input: JsonValue, context: JsonObject): JsonValue {
  if (Array.isArray(template)) return template.map((value) => applyTemplate(value, input, context));
  if (!isJsonObject(template)) return template;
  const result: JsonObject = {};
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$') && typeof value === 'string') {
      result[key.slice(0, -2)] = select(key, value, input, context);
    } else {
      result[key] = applyTemplate(value, input, context);
    }
  }
  return result;
}

/** Paths as the States Language reads them: `$$…` in the context object, `$…` in the input. */
function select(field: string, path: string, input: JsonValue, context: JsonObject): JsonValue {
  if (!path.startsWith('$')) {
    // Intrinsic functions (States.Format, …) are evaluated by aws-local-stepfunctions elsewhere, but
    // it has no hook for a Distributed Map's per-item template.
    throw new MapRunRuntimeError(
      `ItemSelector field ${field}: ${path} is not a path; intrinsic functions are not emulated there.`,
    );
  }
  const inContext = path.startsWith('$$');
  const value: unknown = JSONPath({
    path: inContext ? path.slice(1) : path,
    json: inContext ? context : (input as object),
    wrap: false,
  });
  if (value === undefined) {
    throw new MapRunRuntimeError(
      `The JsonPath argument for the field '${field}' could not be found in the input '${JSON.stringify(input)}'`,
    );
  }
  return value as JsonValue;
}
