/**
 * npm run test:medusa: starts a real Medusa 2.21.2 once (installing medusa/ first if needed), runs the
 * suites of jest.medusa.config.js against it, then stops it and drops its database, also on Ctrl-C.
 * Exits with jest's code. Arguments go to jest (e.g. `npm run test:medusa -- -t inventory`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startRealMedusa, type RealMedusa } from '../local/medusa-real';
import { COORDINATES_ENV } from '../test/medusa-real/medusa-target';

const ROOT = resolve(__dirname, '..');
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const say = (line: string) => console.log(`[test:medusa ${elapsed()}] ${line}`);

let medusa: RealMedusa | undefined;
let jest: ChildProcess | undefined;
let coordinatesFile: string | undefined;
let stopping: Promise<void> | undefined;

/** Once, whatever called it first: the jest run ending, a signal, or a failed start. */
function cleanUp(keepLog: boolean): Promise<void> {
  stopping ??= (async () => {
    if (coordinatesFile) rmSync(coordinatesFile, { force: true });
    if (medusa) {
      say(`stopping Medusa and dropping ${medusa.databaseName}`);
      await medusa.stop({ keepLog });
      if (keepLog) say(`Medusa's log: ${medusa.logFile}`);
    }
  })();
  return stopping;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    say(`${signal}: stopping`);
    jest?.kill(signal);
    void cleanUp(false).finally(() => process.exit(130));
  });
}

async function main(): Promise<number> {
  medusa = await startRealMedusa({ progress: say });
  say(`Medusa ${medusa.url} ready (database ${medusa.databaseName})`);
  // The secret key is in the file, so only this user may read it.
  const { stop: _stop, ...coordinates } = medusa;
  coordinatesFile = join(tmpdir(), `medusa-real-${medusa.databaseName}.json`);
  writeFileSync(coordinatesFile, JSON.stringify(coordinates), { mode: 0o600 });

  const jestBin = join(ROOT, 'node_modules/jest/bin/jest.js');
  jest = spawn(process.execPath, [jestBin, '-c', 'jest.medusa.config.js', ...process.argv.slice(2)], {
    cwd: ROOT,
    env: { ...process.env, [COORDINATES_ENV]: coordinatesFile },
    stdio: 'inherit',
  });
  const [code] = (await once(jest, 'exit')) as [number | null];
  say(`jest exited ${String(code)}`);
  await cleanUp(code !== 0);
  return code ?? 1;
}

main().then(
  (code) => {
    say(`done`);
    process.exit(code);
  },
  async (error: unknown) => {
    console.error(`[test:medusa] ${error instanceof Error ? error.message : String(error)}`);
    await cleanUp(true).catch(() => undefined);
    process.exit(1);
  },
);
