import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { openSync, closeSync } from 'node:fs';
import { freePort } from '../whole-pipeline/ports';
import { MEDUSA_DIR, medusaCli, medusaNode } from './medusa-project';

/** What the medusa/ project reads (medusa-config.ts) plus the server's port. */
export interface MedusaEnv {
  readonly DATABASE_URL: string;
  readonly JWT_SECRET: string;
  readonly COOKIE_SECRET: string;
  readonly PORT?: string;
}

function childEnv(env: MedusaEnv): NodeJS.ProcessEnv {
  // Jest sets NODE_ENV=test and "production" would stop Medusa compiling medusa-config.ts.
  return { ...process.env, ...env, NODE_ENV: 'development', MEDUSA_DISABLE_TELEMETRY: 'true' };
}

function spawnCli(
  args: readonly string[],
  env: MedusaEnv,
  logFile: string,
  options: { detached: boolean; signal?: AbortSignal },
): ChildProcess {
  const log = openSync(logFile, 'a');
  try {
    return spawn(medusaNode(), [medusaCli(), ...args], {
      cwd: MEDUSA_DIR,
      env: childEnv(env),
      stdio: ['ignore', log, log],
      ...options,
    });
  } finally {
    closeSync(log);
  }
}

/** `medusa <args>` to completion (db:migrate, user …); its output goes to the log. Abort kills it. */
export async function runMedusaCli(
  args: readonly string[],
  env: MedusaEnv,
  logFile: string,
  signal?: AbortSignal,
): Promise<void> {
  const child = spawnCli(args, env, logFile, { detached: false, ...(signal ? { signal } : {}) });
  child.on('error', () => undefined); // an abort also surfaces as 'error'; the exit below reports it
  const [code] = (await once(child, 'exit')) as [number | null];
  signal?.throwIfAborted();
  if (code !== 0) throw new Error(`medusa ${args[0] ?? ''} exited ${String(code)}; see ${logFile}`);
}

/**
 * `medusa start` in its own process group, so stopping it also stops whatever it forked. A server
 * that exits before it is healthy fails the wait at once, naming the log.
 */
export class MedusaServer {
  private readonly exited: Promise<void>;
  private exitCode: number | null | undefined;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    private readonly logFile: string,
  ) {
    this.exited = once(child, 'exit').then(([code]) => {
      this.exitCode = code as number | null;
    });
  }

  static async start(env: MedusaEnv, logFile: string): Promise<MedusaServer> {
    const port = Number(env.PORT ?? (await freePort()));
    const child = spawnCli(['start'], { ...env, PORT: String(port) }, logFile, { detached: true });
    return new MedusaServer(child, `http://127.0.0.1:${port}`, logFile);
  }

  async waitUntilHealthy(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      signal?.throwIfAborted();
      if (this.exitCode !== undefined) {
        throw new Error(
          `medusa start exited (${String(this.exitCode)}) before it was healthy; see ${this.logFile}`,
        );
      }
      if (await this.healthy()) return;
      if (Date.now() > deadline) {
        throw new Error(
          `medusa start was not healthy at ${this.url}/health within ${timeoutMs} ms; see ${this.logFile}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** SIGTERM to the group, SIGKILL when it has not exited after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.exitCode !== undefined) return;
    this.signalGroup('SIGTERM');
    const timer = setTimeout(() => this.signalGroup('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  private signalGroup(signal: NodeJS.Signals): void {
    try {
      if (this.child.pid !== undefined) process.kill(-this.child.pid, signal);
    } catch {
      // The group is gone already.
    }
  }

  private async healthy(): Promise<boolean> {
    try {
      const response = await fetch(`${this.url}/health`, { signal: AbortSignal.timeout(2000) });
      return response.ok;
    } catch {
      return false;
    }
  }
}
