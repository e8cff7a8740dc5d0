import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ManagedProcess, type ProcessExit } from '../../local/whole-pipeline/child-process';
import { PROJECT_ROOT } from '../whole-pipeline/template';

/** The project's tsx, as `npm run <script>` runs a script. */
export const TSX = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');

export interface ChildRun {
  /** Its exit, or undefined when it was still running at the deadline (it was then stopped). */
  readonly exit: ProcessExit | undefined;
  /** Everything it printed, stdout and stderr in the order written. */
  readonly output: string;
  readonly seconds: number;
}

/**
 * Runs a command in the project folder to its end (its output in `logFile`); one still running after
 * `timeoutMs` is stopped (SIGTERM, SIGKILL 15 s later: `npm run local` stops what it started) and
 * reported as such.
 */
export async function runToExit(
  command: string,
  args: readonly string[],
  options: { readonly logFile: string; readonly timeoutMs: number; readonly env?: NodeJS.ProcessEnv },
): Promise<ChildRun> {
  const startedAt = Date.now();
  const child = ManagedProcess.spawn({
    command,
    args,
    cwd: PROJECT_ROOT,
    env: options.env ?? process.env,
    logFile: options.logFile,
  });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), options.timeoutMs);
  });
  const exit = await Promise.race([child.exited, deadline]);
  clearTimeout(timer);
  if (exit === undefined) await child.stop(15_000);
  return { exit, output: readFileSync(options.logFile, 'utf8'), seconds: (Date.now() - startedAt) / 1000 };
}

/** An exit in a few words: `exit 1`, `signal SIGKILL`, `still running after 30 s`. */
export function describedExit(run: Pick<ChildRun, 'exit' | 'seconds'>): string {
  if (run.exit === undefined) return `still running after ${run.seconds.toFixed(0)} s (stopped)`;
  if (run.exit.error) return `could not start: ${run.exit.error.message}`;
  return run.exit.signal ? `signal ${run.exit.signal}` : `exit ${run.exit.code}`;
}
