/**
 * npm run test:medusa: starts a real Medusa 2.21.2 once (installing medusa/ first if needed), runs the
 * suites of jest.medusa.config.js against it, then stops it and drops its database, also on Ctrl-C.
 * Exits with jest's code (130 when interrupted). Arguments go to jest (`npm run test:medusa -- -t cart`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  COORDINATES_ENV,
  startRealMedusa,
  type RealMedusa,
  type RealMedusaCoordinates,
} from '../local/real-medusa';

const ROOT = resolve(__dirname, '..');
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const say = (line: string) => console.log(`[test:medusa ${elapsed()}] ${line}`);

const interruption = new AbortController();
let jest: ChildProcess | undefined;

// A signal only starts the way out; the steps below stop what they started and clean up.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interruption.signal.aborted) return;
    say(`${signal}: stopping`);
    interruption.abort();
    jest?.kill(signal);
  });
}

async function runJest(coordinatesFile: string): Promise<number> {
  const jestBin = join(ROOT, 'node_modules/jest/bin/jest.js');
  jest = spawn(process.execPath, [jestBin, '-c', 'jest.medusa.config.js', ...process.argv.slice(2)], {
    cwd: ROOT,
    env: { ...process.env, [COORDINATES_ENV]: coordinatesFile },
    stdio: 'inherit',
  });
  const [code] = (await once(jest, 'exit')) as [number | null];
  say(`jest exited ${String(code)}`);
  return code ?? 1;
}

async function main(): Promise<number> {
  const medusa: RealMedusa = await startRealMedusa({ progress: say, signal: interruption.signal });
  say(`Medusa ${medusa.url} ready (database ${medusa.databaseName})`);
  // The secret key is in the file, so only this user may read it.
  const { stop: _stop, ...coordinates } = medusa;
  const coordinatesFile = join(tmpdir(), `medusa-real-${medusa.databaseName}.json`);
  let code = 1;
  try {
    writeFileSync(coordinatesFile, JSON.stringify(coordinates satisfies RealMedusaCoordinates), {
      mode: 0o600,
    });
    if (!interruption.signal.aborted) code = await runJest(coordinatesFile);
  } finally {
    rmSync(coordinatesFile, { force: true });
    say(`stopping Medusa and dropping ${medusa.databaseName}`);
    const failed = code !== 0 && !interruption.signal.aborted;
    await medusa.stop({ keepLog: failed });
    if (failed) say(`Medusa's log: ${medusa.logFile}`);
  }
  return interruption.signal.aborted ? 130 : code;
}

main().then(
  (code) => {
    say('done');
    process.exit(code);
  },
  (error: unknown) => {
    if (interruption.signal.aborted) {
      say('interrupted; what was started is stopped');
      process.exit(130);
    }
    console.error(`[test:medusa] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
