import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { ManagedProcess, type ProcessExit } from './child-process';
import { freePort } from './ports';
import { waitFor } from './wait';

const PROJECT_ROOT = join(__dirname, '..', '..');

/** One line of the worker's pino JSON log. */
export type WorkerLogLine = Readonly<Record<string, unknown>> & { readonly msg?: string };

export interface WorkerOptions {
  /** The worker's whole environment (PORT is set here). */
  readonly env: Readonly<Record<string, string>>;
  /** Default: a free one. */
  readonly port?: number;
  /** Its pino JSON lines (stdout) and anything on stderr. */
  readonly logFile: string;
  /** How long a start may take before it counts as failed. */
  readonly startTimeoutMs?: number;
}

/**
 * nest-worker/src/main.ts as a child process, as `npm run worker` runs it, so it can be killed for real.
 * tsx's loader runs inside the child (`node --import tsx`): the tsx command would put the worker in a
 * grandchild that a SIGKILL of the child leaves running. A restart keeps the port, so the webhook URL
 * stays valid, and appends to the same log.
 */
export class WorkerChild {
  private process: ManagedProcess | undefined;

  private constructor(
    private readonly options: WorkerOptions,
    readonly port: number,
  ) {}

  static async start(options: WorkerOptions): Promise<WorkerChild> {
    const worker = new WorkerChild(options, options.port ?? (await freePort()));
    await worker.restart();
    return worker;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get webhookUrl(): string {
    return `${this.url}/webhooks/pimcore`;
  }

  get logFile(): string {
    return this.options.logFile;
  }

  /** The environment it runs with. */
  get env(): Readonly<Record<string, string>> {
    return this.options.env;
  }

  get running(): boolean {
    return this.process?.running ?? false;
  }

  /** The exit of the latest start. */
  get exited(): Promise<ProcessExit> {
    if (this.process === undefined) throw new Error('the worker has not been started');
    return this.process.exited;
  }

  /**
   * The pino JSON lines its log holds so far (every start's, in order). Lines that are not JSON (stderr)
   * are passed over, and so is a last line still being written.
   */
  logLines(msg?: string): WorkerLogLine[] {
    const lines: WorkerLogLine[] = [];
    for (const line of readFileSync(this.logFile, 'utf8').split('\n').slice(0, -1)) {
      if (!line.startsWith('{')) continue;
      try {
        lines.push(JSON.parse(line) as WorkerLogLine);
      } catch {
        // Not pino's.
      }
    }
    return msg === undefined ? lines : lines.filter((line) => line.msg === msg);
  }

  /**
   * Starts the worker (again) and waits until it serves /health. A worker that exits instead fails the
   * start with what it printed (e.g. its configuration check's lines, each naming a variable).
   */
  async restart(): Promise<void> {
    if (this.running) throw new Error('the worker is running');
    const logFile = this.options.logFile;
    const logged = existsSync(logFile) ? statSync(logFile).size : 0;
    const child = ManagedProcess.spawn({
      command: process.execPath,
      args: ['--import', 'tsx', 'nest-worker/src/main.ts'],
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...this.options.env, PORT: String(this.port) },
      logFile: this.options.logFile,
    });
    this.process = child;
    await waitFor(
      `the worker serves ${this.url}/health (log: ${this.logFile})`,
      async () => {
        if (!child.running) {
          const exit = await child.exited;
          const output = readFileSync(logFile).subarray(logged).toString('utf8').trim();
          throw new Error(
            `the worker exited at start (${describeExit(exit)}; log: ${logFile})` +
              (output === '' ? '' : `:\n${output.split('\n').slice(-20).join('\n')}`),
          );
        }
        return healthy(this.url);
      },
      this.options.startTimeoutMs ?? 60_000,
      200,
    );
  }

  /**
   * Sends the signal and waits for the exit; the signal is sent before this returns, so a caller may kill
   * the worker synchronously. SIGKILL (the default) is a crash or an OOM kill: no shutdown hooks, in-flight
   * messages are left to their visibility timeout. SIGTERM is a graceful stop without stop()'s SIGKILL.
   */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<ProcessExit | undefined> {
    return this.process?.kill(signal);
  }

  /** A graceful stop (SIGTERM: finish in-flight work), SIGKILL after the grace period. */
  async stop(graceMs = 15_000): Promise<void> {
    await this.process?.stop(graceMs);
  }
}

async function healthy(url: string): Promise<boolean> {
  try {
    const response = await request(`${url}/health`, { headersTimeout: 1000, bodyTimeout: 1000 });
    await response.body.dump();
    return response.statusCode === 200;
  } catch {
    return false;
  }
}

function describeExit(exit: ProcessExit): string {
  if (exit.error) return exit.error.message;
  return exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
}
