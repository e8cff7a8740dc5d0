/** The JSON values the generator builds: plain data, written out with JSON.stringify. */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object at `path` inside `root`; a generator bug if it is not there. */
export function objectAt(root: JsonObject, path: readonly (string | number)[]): JsonObject {
  let value: JsonValue = root;
  for (const key of path) {
    const next: JsonValue | undefined = Array.isArray(value)
      ? value[Number(key)]
      : isObject(value)
        ? value[key]
        : undefined;
    if (next === undefined) throw new Error(`generated item has nothing at ${path.join('.')}`);
    value = next;
  }
  if (!isObject(value)) throw new Error(`generated item has no object at ${path.join('.')}`);
  return value;
}

/** The objects of the array at `path` inside `root`. */
export function objectsAt(root: JsonObject, path: readonly string[]): JsonObject[] {
  const parent = objectAt(root, path.slice(0, -1));
  const list = parent[path.at(-1) ?? ''];
  return Array.isArray(list) ? list.filter(isObject) : [];
}
