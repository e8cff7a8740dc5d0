import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { acquireRunLock, RunLockedError } from '../../scripts/whole-pipeline/run-lock';
import { ROOT, runScript, temporaryFolder } from './run-script';

const LOCK_MODULE = join(ROOT, 'scripts', 'whole-pipeline', 'run-lock.ts');

/** A pid no process has any more: a child that has exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

describe('one npm run local per checkout', () => {
  it('refuses a second holder while the first lives, naming its process, and frees the lock on release', () => {
    const lock = join(temporaryFolder('run-lock-'), 'local.lock');
    const release = acquireRunLock(lock, 'npm run local');
    expect(readFileSync(lock, 'utf8')).toBe(String(process.pid));
    expect(() => acquireRunLock(lock, 'npm run local')).toThrow(
      new RunLockedError(
        `npm run local is already running in this checkout (process ${process.pid}); stop it first ` +
          `(Ctrl-C in its terminal, or kill ${process.pid}). Lock: ${lock}`,
      ),
    );
    release();
    expect(existsSync(lock)).toBe(false);
    acquireRunLock(lock, 'npm run local')();
  });

  it('frees the lock when the run ends through process.exit (as a stop on Ctrl-C does)', () => {
    const lock = join(temporaryFolder('run-lock-'), 'local.lock');
    const program = `require(${JSON.stringify(LOCK_MODULE)}).acquireRunLock(${JSON.stringify(lock)}, 'x'); process.exit(130);`;
    const child = spawnSync(join(ROOT, 'node_modules', '.bin', 'tsx'), ['-e', program], { encoding: 'utf8' });
    expect({ status: child.status, stderr: child.stderr }).toEqual({ status: 130, stderr: '' });
    expect(existsSync(lock)).toBe(false);
  });

  it('takes over the lock of a run that died without releasing it', () => {
    const lock = join(temporaryFolder('run-lock-'), 'local.lock');
    writeFileSync(lock, String(deadPid()));
    const release = acquireRunLock(lock, 'npm run local');
    expect(readFileSync(lock, 'utf8')).toBe(String(process.pid));
    release();
  });

  it('npm run local stops at once, touching nothing, while another run holds the checkout', async () => {
    const lock = join(ROOT, '.local-run', 'local.lock');
    mkdirSync(join(ROOT, '.local-run'), { recursive: true });
    // This test process stands for the running one.
    if (existsSync(lock)) throw new Error(`${lock} exists: stop your npm run local before running this test`);
    writeFileSync(lock, String(process.pid));
    try {
      const run = await runScript('local', [], ROOT);
      expect(run.code).toBe(1);
      expect(run.stderr.trim()).toBe(
        `npm run local is already running in this checkout (process ${process.pid}); stop it first ` +
          `(Ctrl-C in its terminal, or kill ${process.pid}). Lock: ${lock}`,
      );
    } finally {
      rmSync(lock, { force: true });
    }
  }, 60_000);
});
