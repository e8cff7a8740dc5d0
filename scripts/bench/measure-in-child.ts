import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { FileFormat } from '../generate/write-json-items';
import type { Job, Measurement } from './measurement';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');

/**
 * Runs one job in a fresh Node process (this Node, with tsx) and reads its Measurement; with a warm-up
 * file, the job runs on it first, untimed.
 */
export async function measureInChild(
  job: Job,
  file: string,
  format: FileFormat,
  warmUpFile?: string,
): Promise<Measurement> {
  const script = join(ROOT, 'scripts', 'bench', 'measure-run.ts');
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', script, job, file, format, ...(warmUpFile === undefined ? [] : [warmUpFile])],
    { cwd: ROOT, maxBuffer: 1 << 20 },
  );
  const last = stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as Measurement;
}
