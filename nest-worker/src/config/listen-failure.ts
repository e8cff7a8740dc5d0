/**
 * The one line the worker prints, instead of a stack, when it cannot bind its HTTP port (PORT): taken
 * by another process, or below 1024 without the privilege. Undefined for any other error.
 */
export function listenFailure(error: unknown, port: number): string | undefined {
  // Not `instanceof Error`: Node's system errors may come from another realm (a test's VM context).
  const code =
    typeof error === 'object' && error !== null ? (error as NodeJS.ErrnoException).code : undefined;
  if (code === 'EADDRINUSE') return `Worker cannot start: port ${port} is already in use (PORT)`;
  if (code === 'EACCES') {
    return `Worker cannot start: no permission to listen on port ${port} (PORT; ports below 1024 need privileges)`;
  }
  return undefined;
}
