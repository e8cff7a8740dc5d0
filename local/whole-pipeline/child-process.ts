import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Set when the process could not be started (e.g. ENOENT: no such command). */
  readonly error?: Error;
}

export interface SpawnOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** stdout and stderr are appended here, so a restarted process continues the same log. */
  readonly logFile: string;
}

/** Every process the stack started and has not seen exit: killed if this process exits first. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * A child process of the stack: its output goes to a log file (not a pipe that must be drained), its
 * exit is a promise, and it dies with this process even when that ends abruptly.
 */
export class ManagedProcess {
  readonly exited: Promise<ProcessExit>;

  private constructor(
    readonly child: ChildProcess,
    readonly logFile: string,
  ) {
    running.add(child);
    // `once` rejects on 'error', which a child emits instead of 'exit' when it cannot start.
    this.exited = once(child, 'exit').then(
      ([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }),
      (error: Error) => ({ code: null, signal: null, error }),
    );
    void this.exited.then(() => running.delete(child));
  }

  static spawn(options: SpawnOptions): ManagedProcess {
    mkdirSync(dirname(options.logFile), { recursive: true });
    const log = openSync(options.logFile, 'a');
    try {
      const child = spawn(options.command, [...options.args], {
        cwd: options.cwd,
        env: options.env,
        stdio: ['ignore', log, log],
      });
      return new ManagedProcess(child, options.logFile);
    } finally {
      // The child holds its own descriptor.
      closeSync(log);
    }
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Sends the signal and waits for the exit. */
  async kill(signal: NodeJS.Signals): Promise<ProcessExit> {
    if (this.running) this.child.kill(signal);
    return this.exited;
  }

  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  async stop(graceMs: number): Promise<ProcessExit> {
    if (!this.running) return this.exited;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}
