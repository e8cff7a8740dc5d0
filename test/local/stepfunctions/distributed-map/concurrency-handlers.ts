import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Lambda handlers that count how many of their invocations run at once. Each invocation waits until
 * `limit` invocations have been running together (then the gate opens for good), or until a ceiling
 * for a loaded machine has passed; so the largest count seen is the concurrency the runtime allowed.
 */
export const concurrency = { active: 0, largest: 0, limit: Infinity, open: false };

export function resetConcurrency(limit: number): void {
  Object.assign(concurrency, { active: 0, largest: 0, limit, open: false });
}

export async function countConcurrent(input: unknown) {
  concurrency.active += 1;
  concurrency.largest = Math.max(concurrency.largest, concurrency.active);
  if (concurrency.active >= concurrency.limit) concurrency.open = true;
  for (const deadline = Date.now() + 10_000; !concurrency.open && Date.now() < deadline;) await nextTurn();
  concurrency.active -= 1;
  return input;
}
