import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { waitUntil } from './worker-harness';

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A child process with its exit as a promise, killed if a test leaves it running. */
abstract class ChildProcessHandle {
  readonly exited: Promise<Exit>;

  protected constructor(readonly child: ChildProcess) {
    this.exited = once(child, 'exit').then(([code, signal]) => ({
      code: code as number | null,
      signal: signal as NodeJS.Signals | null,
    }));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Sends the signal and waits for the exit. */
  async kill(signal: NodeJS.Signals): Promise<Exit> {
    if (this.running) this.child.kill(signal);
    return this.exited;
  }
}

/** One line of the worker's pino JSON log. */
export type WorkerLogLine = Readonly<Record<string, unknown>> & { readonly msg?: string };

/**
 * nest-worker/src/main.ts in a child process, compiled by tsx as `npm run worker` does, so a test can
 * kill it for real (SIGKILL, SIGTERM). tsx's loader runs in the child itself (`node --import tsx`):
 * the tsx command would run the worker in a grandchild that a SIGKILL of the child leaves running.
 * Its JSON log lines are collected.
 */
export class WorkerProcess extends ChildProcessHandle {
  readonly logs: WorkerLogLine[] = [];

  private constructor(
    child: ChildProcess,
    readonly baseUrl: string,
  ) {
    super(child);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('{')) this.logs.push(JSON.parse(line) as WorkerLogLine);
    });
    createInterface({ input: child.stderr! }).on('line', (line) => this.logs.push({ msg: line }));
  }

  /** Starts the worker and waits until its consumers run. */
  static async start(env: Readonly<Record<string, string>>): Promise<WorkerProcess> {
    const port = String(await freePort());
    const child = spawn(process.execPath, ['--import', 'tsx', 'nest-worker/src/main.ts'], {
      cwd: `${__dirname}/../..`,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env, LOG_LEVEL: 'info', PORT: port },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const worker = new WorkerProcess(child, `http://127.0.0.1:${port}`);
    await waitUntil('the worker process has started', () => {
      if (!worker.running) throw new Error(`the worker exited: ${JSON.stringify(worker.logs)}`);
      return worker.logs.some((line) => line.msg === 'Nest application successfully started');
    });
    return worker;
  }

  linesWith(msg: string): WorkerLogLine[] {
    return this.logs.filter((line) => line.msg === msg);
  }
}

/**
 * A redis-server of the test's own on a free port, without persistence, so a test may kill and restart
 * it (the machine's shared Redis is never touched). A restart comes back empty, like a Redis that lost
 * its data.
 */
export class RedisServerProcess extends ChildProcessHandle {
  private constructor(
    child: ChildProcess,
    readonly port: number,
  ) {
    super(child);
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(port?: number): Promise<RedisServerProcess> {
    const chosen = port ?? (await freePort());
    const child = spawn(
      'redis-server',
      ['--port', String(chosen), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const server = new RedisServerProcess(child, chosen);
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitUntil('redis-server accepts connections', () => {
      if (!server.running) throw new Error(`redis-server exited: ${output}`);
      return output.includes('Ready to accept connections');
    });
    return server;
  }

  /** A new server on the same port, as after a crash and a restart. */
  restart(): Promise<RedisServerProcess> {
    return RedisServerProcess.start(this.port);
  }
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
