import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, temporaryFolder } from './run-script';

/** Runs the fixture under node + tsx, as `npm run demo` runs its script, and resolves once it is ready. */
async function startSlowStop(marker: string) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(__dirname, 'fixtures', 'slow-stop.ts'), marker],
    {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
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
  return { child, exited, stderr: () => stderr };
}

describe('stopOnSignals (demo, local and chaos on Ctrl-C)', () => {
  const folder = temporaryFolder('stop-on-signals-');
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('finishes stopping before it exits 130, even when Ctrl-C arrives twice', async () => {
    const marker = join(folder, 'twice');
    const run = await startSlowStop(marker);
    run.child.kill('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 100));
    run.child.kill('SIGINT');

    expect(await run.exited).toEqual([130, null]);
    expect(existsSync(marker)).toBe(true);
    expect(run.stderr()).toContain('SIGINT: already stopping');
  });

  it.each([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('exits after stopping on %s, with %i', async (signal, code) => {
    const marker = join(folder, signal);
    const run = await startSlowStop(marker);
    run.child.kill(signal);

    expect(await run.exited).toEqual([code, null]);
    expect(existsSync(marker)).toBe(true);
  });
});
