/**
 * On Ctrl-C or SIGTERM: runs `stop` (everything the command started), then exits 130 / 143. Signals
 * that arrive while it stops are only acknowledged: a terminal sends Ctrl-C to npm, tsx and this
 * process at once, and tsx forwards its own copy, so a second default-handled SIGINT would kill the
 * process before its worker and Redis children are stopped. Returns the function that removes the
 * handlers (for when the command ends on its own).
 */
export function stopOnSignals(stop: () => Promise<void>, log: (line: string) => void): () => void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return log(`${signal}: already stopping…`);
    stopping = true;
    log(`${signal}: stopping everything this command started…`);
    void stop().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
