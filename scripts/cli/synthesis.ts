import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';

/** What the synthesized template is made from (cdk.json's `watch.include`, plus cdk.json itself). */
const TEMPLATE_SOURCES = ['bin', 'lib', 'lambdas', 'contracts', 'common', 'cdk.json'];

/** The template of `ProductPipeline-<stage>` in the project's cloud assembly. */
export function templatePathOf(projectRoot: string, stage: string): string {
  return path.join(projectRoot, 'cdk.out', `ProductPipeline-${stage}.template.json`);
}

/** True when the template is missing or older than any file it is synthesized from. */
export function isTemplateStale(templatePath: string, projectRoot: string): boolean {
  if (!existsSync(templatePath)) return true;
  const synthesizedAt = statSync(templatePath).mtimeMs;
  return TEMPLATE_SOURCES.some((source) => newestChange(path.join(projectRoot, source)) > synthesizedAt);
}

function newestChange(file: string): number {
  if (!existsSync(file)) return 0;
  const info = statSync(file);
  if (!info.isDirectory()) return info.mtimeMs;
  return readdirSync(file)
    .filter((entry) => entry !== 'node_modules')
    .reduce((newest, entry) => Math.max(newest, newestChange(path.join(file, entry))), info.mtimeMs);
}

/**
 * Where the synthesized worker would find Pimcore and Medusa: required by the stack, and replaced by the
 * simulators' (or the configured real services') addresses when the worker runs on this machine.
 */
export const LOCAL_WORKER_CONTEXT = {
  pimcoreBaseUrl: 'http://pimcore.localhost',
  medusaBaseUrl: 'http://medusa.localhost',
  medusaSalesChannelId: 'sc_local',
} as const;

/**
 * `npx cdk synth -q -c stage=<stage>` (with LOCAL_WORKER_CONTEXT) in the project, its output on this process's stderr (stdout is
 * kept for the KEY=value lines). Rejects when the synth fails, e.g. on a cdk-nag finding.
 */
export function synthesize(projectRoot: string, stage: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const context = Object.entries({ stage, ...LOCAL_WORKER_CONTEXT }).flatMap(([key, value]) => [
      '-c',
      `${key}=${value}`,
    ]);
    const child = spawn('npx', ['cdk', 'synth', '-q', ...context], {
      cwd: projectRoot,
      stdio: ['ignore', process.stderr, process.stderr],
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`cdk synth failed (${signal ?? `exit code ${code}`})`));
    });
  });
}
