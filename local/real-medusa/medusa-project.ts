import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { join, resolve } from 'node:path';

/** The medusa/ project at the repository root: a real Medusa installed apart from the root install. */
export const MEDUSA_DIR = resolve(__dirname, '../../medusa');
export const MEDUSA_VERSION = '2.21.2';
const ROOT_NODE = resolve(__dirname, '../../node_modules/.bin/node');

/** Medusa 2.21 needs Node ^20.19 or ≥22.12; the root install brings Node 24 when this one is older. */
export function medusaNode(): string {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  const recent = major > 22 || (major === 22 && minor >= 12) || (major === 20 && minor >= 19);
  if (recent) return process.execPath;
  if (!existsSync(ROOT_NODE))
    throw new Error(`Medusa needs Node ≥ 20.19 and ${ROOT_NODE} is missing: run npm install`);
  return ROOT_NODE;
}

export function medusaCli(): string {
  return join(MEDUSA_DIR, 'node_modules/@medusajs/cli/cli.js');
}

export function isMedusaInstalled(): boolean {
  const manifest = join(MEDUSA_DIR, 'node_modules/@medusajs/medusa/package.json');
  if (!existsSync(manifest) || !existsSync(medusaCli())) return false;
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version === MEDUSA_VERSION;
}

/**
 * Installs medusa/ from its lock file unless Medusa is already there (≈700 MB, about two minutes).
 * Not `npm ci`: the lock npm writes here lacks other platforms' optional packages (@swc/core-darwin-…),
 * which ci refuses; `install --no-save` takes the locked versions and leaves the lock file alone.
 * npm's output goes to `logFile`; install scripts run with the Node Medusa will run with.
 */
export async function ensureMedusaInstalled(
  logFile: string,
  progress: (line: string) => void,
  signal?: AbortSignal,
): Promise<void> {
  if (isMedusaInstalled()) return;
  progress(`installing Medusa ${MEDUSA_VERSION} into ${MEDUSA_DIR} (≈700 MB; log: ${logFile})`);
  const log = createWriteStream(logFile, { flags: 'a' });
  const nodeDir = resolve(medusaNode(), '..');
  const npm = spawn('npm', ['install', '--no-save', '--no-audit', '--no-fund'], {
    cwd: MEDUSA_DIR,
    env: { ...process.env, PATH: `${nodeDir}:${process.env.PATH ?? ''}` },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(signal ? { signal } : {}),
  });
  npm.on('error', () => undefined); // an abort also surfaces as 'error'; the exit below reports it
  npm.stdout.pipe(log, { end: false });
  npm.stderr.pipe(log, { end: false });
  const [code] = (await once(npm, 'exit')) as [number | null];
  log.end();
  signal?.throwIfAborted();
  if (code !== 0 || !isMedusaInstalled()) {
    throw new Error(
      `installing Medusa in ${MEDUSA_DIR} failed (npm install exited ${String(code)}); see ${logFile}`,
    );
  }
}
