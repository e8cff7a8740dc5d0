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

/**
 * Service variables a run ignores because the simulator stands in for that service (its switch, e.g.
 * PIMCORE_BASE_URL, is unset): the simulator and the worker share values of their own, so a lone
 * PIMCORE_WEBHOOK_SECRETS must be named, not silently taken by one side only.
 */
export function ignoredWithoutService(
  env: Readonly<Record<string, string | undefined>>,
  prefix: string,
  switchVariable: string,
): string[] {
  if (env[switchVariable]) return [];
  return Object.keys(variablesWithPrefix(env, prefix)).sort();
}
