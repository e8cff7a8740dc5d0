import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '../../local/whole-pipeline/wait';
import { ROOT, temporaryFolder } from './run-script';

/**
 * Runs the fixture under node + tsx, as `npm run demo` runs its script, and resolves once it is ready.
 * Its stop lasts until `finishStopping()`: the test decides what happens while it stops, not the clock.
 */
async function startSlowStop(marker: string) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(__dirname, 'fixtures', 'slow-stop.ts'), marker],
    {
      cwd: ROOT,
      stdio: ['pipe', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  await new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('ready')) resolve();
    });
    void exited.then(() => reject(new Error(`the fixture exited before it was ready: ${stderr}`)));
  });
  const logged = (line: string) =>
    waitFor(`the fixture logs "${line}"`, () => stderr.includes(line), 20_000, 20);
  return { child, exited, stderr: () => stderr, logged, finishStopping: () => child.stdin.end() };
}

describe('stopOnSignals (demo, local and chaos on Ctrl-C)', () => {
  const folder = temporaryFolder('stop-on-signals-');
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('finishes stopping before it exits 130, even when Ctrl-C arrives twice', async () => {
    const marker = join(folder, 'twice');
    const run = await startSlowStop(marker);
    run.child.kill('SIGINT');
    await run.logged('SIGINT: stopping everything');
    run.child.kill('SIGINT');
    await run.logged('SIGINT: already stopping');
    // The second Ctrl-C, arrived while stopping, did not end the process.
    expect(run.child.exitCode).toBeNull();
    expect(existsSync(marker)).toBe(false);

    run.finishStopping();
    expect(await run.exited).toEqual([130, null]);
    expect(existsSync(marker)).toBe(true);
  });

  it.each([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('exits after stopping on %s, with %i', async (signal, code) => {
    const marker = join(folder, signal);
    const run = await startSlowStop(marker);
    run.child.kill(signal);
    await run.logged(`${signal}: stopping everything`);
    expect(run.child.exitCode).toBeNull();

    run.finishStopping();
    expect(await run.exited).toEqual([code, null]);
    expect(existsSync(marker)).toBe(true);
  });
});
