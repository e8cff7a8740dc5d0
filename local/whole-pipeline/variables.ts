/** The set variables of `env` whose names start with `prefix` (e.g. PIMCORE_), for a configured service. */
export function variablesWithPrefix(
  env: Readonly<Record<string, string | undefined>>,
  prefix: string,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter(
      (entry): entry is [string, string] => entry[0].startsWith(prefix) && entry[1] !== undefined,
    ),
  );
}
