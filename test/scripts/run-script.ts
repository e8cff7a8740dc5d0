import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

export interface ScriptRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The last stdout line, parsed: every script ends with a JSON line. */
  readonly json: () => unknown;
}

/**
 * Runs `scripts/<name>.ts` as a user would (through tsx, in a child process). INIT_CWD is what
 * `npm run` sets; relative paths resolve against it, so tests point it at their temporary folder.
 */
export function runScript(name: string, args: readonly string[], initCwd: string): Promise<ScriptRun> {
  return new Promise((resolve) => {
    execFile(
      TSX,
      [join(ROOT, 'scripts', `${name}.ts`), ...args],
      { cwd: ROOT, env: { ...process.env, INIT_CWD: initCwd }, maxBuffer: 16 << 20 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        const json = () => JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as unknown;
        resolve({ code, stdout, stderr, json });
      },
    );
  });
}

export function temporaryFolder(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
