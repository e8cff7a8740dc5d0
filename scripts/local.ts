import { once } from 'node:events';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { oneOf, parseCommandLine, runCommand } from './cli/command-line';
import { describeReplicas, withWholePipeline } from './whole-pipeline/run-stack';
import { acquireRunLock, RunLockedError } from './whole-pipeline/run-lock';
import { devTemplate, PROJECT_ROOT } from './whole-pipeline/template';

const USAGE = `Usage: npm run local [-- --auto-publish on|off] [--webhook-auth signed|token]

Starts the same stack as npm run demo (local AWS runtime, Redis, Pimcore and Medusa simulators or the
configured real ones, the worker's ECS services as processes) and keeps it running until Ctrl-C. Prints
how to upload files into it and where the workers' logs are; writes the environment to
.local-run/stack.env.

  --auto-publish on|off  the Pimcore simulator publishes what the worker creates (default on)
  --webhook-auth signed|token
                         how the Pimcore simulator's webhooks authenticate: as the shipped listener
                         (signed, default) or as Datahub Webhooks (token)
  --help                 this text`;

const RUN_DIR = path.join(PROJECT_ROOT, '.local-run', 'stack');
const LOCK_FILE = path.join(PROJECT_ROOT, '.local-run', 'local.lock');

async function main(): Promise<number> {
  const { values } = parseCommandLine(
    process.argv.slice(2),
    { 'auto-publish': { type: 'string' }, 'webhook-auth': { type: 'string' } },
    { min: 0, max: 0 },
  );
  const autoPublish = oneOf(values['auto-publish'], 'auto-publish', ['on', 'off'], 'on') === 'on';
  const webhookAuth = oneOf(values['webhook-auth'], 'webhook-auth', ['signed', 'token'], 'signed');
  mkdirSync(path.dirname(LOCK_FILE), { recursive: true });
  let releaseLock: () => void;
  try {
    releaseLock = acquireRunLock(LOCK_FILE, 'npm run local');
  } catch (error) {
    if (!(error instanceof RunLockedError)) throw error;
    console.error(error.message);
    return 1;
  }
  mkdirSync(RUN_DIR, { recursive: true });
  try {
    return await withWholePipeline(
      { templatePath: await devTemplate(), autoPublish, webhookAuth, runDir: RUN_DIR },
      async (stack) => {
        const envFile = path.join(PROJECT_ROOT, '.local-run', 'stack.env');
        const lines = Object.entries(stack.operatorEnvironment).map(([key, value]) => `${key}=${value}`);
        // It holds the relay's Pimcore and Medusa keys (the simulators', or the configured services'): owner only.
        writeFileSync(envFile, `${lines.join('\n')}\n`, { mode: 0o600 });
        chmodSync(envFile, 0o600); // a file left by an earlier run keeps its mode otherwise
        console.log(
          [
            '',
            'The pipeline runs. Upload an export from another shell (a .json, .jsonl or .ndjson file under incoming/ starts an ingestion):',
            `  set -a; . ${path.relative(process.cwd(), envFile)}; set +a`,
            `  aws s3 cp samples/shein_products.example.json "s3://$INGEST_BUCKET/incoming/my-export.json"`,
            `  aws stepfunctions list-executions --state-machine-arn "$STATE_MACHINE_ARN"`,
            `  aws s3 ls "s3://$INGEST_BUCKET/reports/" --recursive      # rejects and summary reports`,
            `  npx pipeline status --env-file ${path.relative(process.cwd(), envFile)}   # or trace, dlq, replay, reconcile`,
            '',
            'Worker services (ECS services of the template, one process per task; /health, /ready, /metrics):',
            ...stack.services.map((service) => `  ${service.name}: ${describeReplicas(service)}`),
            `Their pino JSON logs: tail -f ${path.join(stack.runDir, '*.log')}`,
            ...(stack.pimcore.simulator ? [`Pimcore simulator: ${stack.pimcore.simulator.url}`] : []),
            ...(stack.medusa.simulator
              ? [
                  `Medusa simulator: ${stack.medusa.simulator.url}/store/products ` +
                    `(header x-publishable-api-key: ${stack.medusa.simulator.publishableKey})`,
                ]
              : []),
            'Stop with Ctrl-C.',
          ].join('\n'),
        );
        await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
        return 0;
      },
    );
  } finally {
    releaseLock();
  }
}

runCommand(USAGE, main);
