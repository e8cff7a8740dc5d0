/** Waits for every start; when one fails, stops those that started and fails with the first reason. */
export async function startAll<T>(
  starts: readonly Promise<T>[],
  stop: (started: T) => Promise<void>,
): Promise<T[]> {
  const settled = await Promise.allSettled(starts);
  const started = settled.flatMap((start) => (start.status === 'fulfilled' ? [start.value] : []));
  const failed = settled.find((start): start is PromiseRejectedResult => start.status === 'rejected');
  if (failed === undefined) return started;
  await Promise.allSettled(started.map(stop));
  throw failed.reason;
}
