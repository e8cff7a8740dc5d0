import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { FileFormat } from '../generate/write-json-items';
import type { Job, Measurement } from './measurement';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');

/** Runs one job in a fresh Node process (this Node, with tsx) and reads its Measurement. */
export async function measureInChild(job: Job, file: string, format: FileFormat): Promise<Measurement> {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'scripts', 'bench', 'measure-run.ts'), job, file, format],
    { cwd: ROOT, maxBuffer: 1 << 20 },
  );
  const last = stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as Measurement;
}
