/** The signals that end a command, with the exit code a shell reports for each (128 + its number). */
const EXIT_CODES: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

/**
 * On Ctrl-C, SIGTERM or a closed terminal (SIGHUP): runs `stop` (everything the command started), then
 * exits 130 / 143 / 129. Signals that arrive while it stops are only acknowledged: a terminal sends
 * Ctrl-C to npm, tsx and this process at once, and tsx forwards its own copy, so a second
 * default-handled SIGINT would kill the process before its worker and Redis children are stopped.
 * Returns the function that removes the handlers (for when the command ends on its own).
 */
export function stopOnSignals(stop: () => Promise<void>, log: (line: string) => void): () => void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return log(`${signal}: already stopping…`);
    stopping = true;
    log(`${signal}: stopping everything this command started…`);
    void stop().finally(() => process.exit(EXIT_CODES[signal]));
  };
  const signals = Object.keys(EXIT_CODES) as NodeJS.Signals[];
  for (const signal of signals) process.on(signal, onSignal);
  return () => {
    for (const signal of signals) process.off(signal, onSignal);
  };
}
