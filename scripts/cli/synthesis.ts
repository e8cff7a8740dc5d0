import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';

/**
 * What the synthesized template is made from (cdk.json's `watch.include`, plus cdk.json itself, and the
 * local synth's own context and app).
 */
const TEMPLATE_SOURCES = [
  'bin',
  'lib',
  'lambdas',
  'contracts',
  'common',
  'cdk.json',
  'scripts/cli/synthesis.ts',
  'scripts/cli/local-cdk-app.ts',
];

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
 * The context of the stack a local run starts: a deployment's, with settings that suit this machine. The
 * addresses of Pimcore and Medusa are required by the stack and replaced at start by the simulators' (or
 * the configured real services').
 */
export const LOCAL_WORKER_CONTEXT = {
  pimcoreBaseUrl: 'http://pimcore.localhost',
  medusaBaseUrl: 'http://medusa.localhost',
  medusaSalesChannelId: 'sc_local',
  // The webhook's load balancer rule tells which service takes Pimcore's webhook (never looked up).
  webhookCertificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/local',
  // Both webhook schemes, so a run can send as the shipped listener (signed) or as Datahub Webhooks (token).
  webhookAuth: 'signed-and-token',
  // A SIGKILLed worker's messages come back after twice this: 20 s rather than 2 minutes.
  workerHandlerTimeoutSeconds: 10,
  workerEnvironment: {
    // The simulator's region currency: the one price every product must have.
    MEDUSA_CURRENCIES: 'sar',
  },
};

/**
 * `npx cdk synth -q -c stage=<stage>` of the CDK app with LOCAL_WORKER_CONTEXT (scripts/cli/local-cdk-app.ts)
 * in the project, its output on this process's stderr (stdout is kept for the KEY=value lines). Rejects
 * when the synth fails, e.g. on a cdk-nag finding.
 */
export function synthesize(projectRoot: string, stage: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const app = `npx tsx ${path.join('scripts', 'cli', 'local-cdk-app.ts')}`;
    const child = spawn('npx', ['cdk', 'synth', '-q', '--app', app, '-c', `stage=${stage}`], {
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
