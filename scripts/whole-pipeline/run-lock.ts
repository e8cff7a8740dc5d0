import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';

/**
 * One `npm run local` per checkout: they would share `.local-run/stack` (the second's shutdown removed
 * the first's S3 data) and `stack.env`. A pid file created exclusively; a lock whose process is gone is
 * taken over. (proper-lockfile judges staleness by a refreshed mtime, seconds late; the pid says at once
 * whether the holder lives, and names it in the message.)
 */
/** Another run holds the lock: the message names it and how to stop it. */
export class RunLockedError extends Error {
  override readonly name = 'RunLockedError';
}

export function acquireRunLock(lockFile: string, what: string): () => void {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      // Also on process.exit (a signal's stop ends there, past the caller's finally).
      const release = () => {
        process.off('exit', release);
        rmSync(lockFile, { force: true });
      };
      process.on('exit', release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number(readFileSync(lockFile, 'utf8').trim());
    if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) {
      throw new RunLockedError(
        `${what} is already running in this checkout (process ${holder}); stop it first (Ctrl-C in its ` +
          `terminal, or kill ${holder}). Lock: ${lockFile}`,
      );
    }
    rmSync(lockFile, { force: true }); // Its process is gone (killed, crashed): take the lock over.
  }
  throw new RunLockedError(`${what}: could not take ${lockFile}; another start is racing this one`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
