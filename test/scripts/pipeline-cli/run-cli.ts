import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runPipelineCli } from '../../../scripts/pipeline/main';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `npx pipeline <args>` in this process (the local runtime keeps running alongside), output captured. */
export async function runCli(args: readonly string[]): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  stdout.on('data', (chunk: Buffer) => chunks.stdout.push(chunk));
  stderr.on('data', (chunk: Buffer) => chunks.stderr.push(chunk));
  const code = await runPipelineCli(args, { stdout, stderr });
  return {
    code,
    stdout: Buffer.concat(chunks.stdout).toString('utf8'),
    stderr: Buffer.concat(chunks.stderr).toString('utf8'),
  };
}

/** The runtime's environment as the KEY=value file `npm run local` writes. */
export function writeEnvFile(folder: string, env: Readonly<Record<string, string>>): string {
  const file = join(folder, 'stack.env');
  writeFileSync(
    file,
    `${Object.entries(env)
      .map(([key, value]) => `${key}=${value}`)
      .join('\n')}\n`,
  );
  return file;
}
