import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import * as path from 'node:path';
import { oneOf, parseCommandLine, runCommand, UsageError, wholeNumber } from './cli/command-line';
import { userPath } from './cli/user-path';
import { startLocalAws } from '../local/local-aws';
import { isTemplateStale, synthesize, templatePathOf } from './cli/synthesis';

const USAGE = `Usage: npm run local:aws [-- --stage dev|prod] [--port N] [--s3-port N] [--template <file>] [--write-env <file>]

Runs the synthesized ProductPipeline-<stage> stack on this machine: S3, SQS, EventBridge and Step
Functions (the Lambdas in this process). Synthesizes first when cdk.out is missing or older than bin/,
lib/, lambdas/, contracts/, common/, cdk.json or the local synth's context (scripts/cli/synthesis.ts). Prints the environment the worker and tools need as KEY=value
lines on stdout, then runs until Ctrl-C (SIGINT) or SIGTERM.

  --stage dev|prod     the stack to run (default dev)
  --port N             port of the SQS / EventBridge / Step Functions endpoint (default: a free one)
  --s3-port N          port of the S3 endpoint (default: a free one)
  --template <file>    run this synthesized template; no synthesis
  --write-env <file>   also write the KEY=value lines to this file
  --help               this text`;

const PROJECT_ROOT = path.resolve(__dirname, '..');

async function templatePath(template: string | undefined, stage: string): Promise<string> {
  if (template !== undefined) {
    const file = userPath(template);
    if (!existsSync(file)) throw new UsageError(`--template ${template}: no such file`);
    return file;
  }
  const file = templatePathOf(PROJECT_ROOT, stage);
  if (isTemplateStale(file, PROJECT_ROOT)) {
    console.error(`Synthesizing ProductPipeline-${stage} (cdk.out is missing or older than the sources)…`);
    await synthesize(PROJECT_ROOT, stage);
  }
  return file;
}

function uploadHint(env: Readonly<Record<string, string>>, envFile: string | undefined): string {
  const load = envFile
    ? `set -a; . ${envFile}; set +a`
    : 'export the KEY=value lines above (or run with --write-env .local-run/aws.env and: set -a; . .local-run/aws.env; set +a)';
  return [
    `Local AWS runtime up: SQS, EventBridge, Step Functions at ${env.AWS_ENDPOINT_URL}; S3 at ${env.AWS_ENDPOINT_URL_S3}.`,
    `Upload an export from another shell, after: ${load}`,
    `  aws s3 cp samples/shein_products.example.json s3://${env.INGEST_BUCKET ?? '<bucket>'}/incoming/shein_products.json`,
    `  aws stepfunctions list-executions --state-machine-arn ${env.STATE_MACHINE_ARN ?? '<arn>'}`,
    // The AWS CLI v1 sends SQS calls to the queue URL's region endpoint unless told otherwise.
    `  aws sqs receive-message --endpoint-url ${env.AWS_ENDPOINT_URL} --queue-url ${env.PRODUCT_INGEST_QUEUE_URL ?? '<url>'}`,
    'Stop with Ctrl-C.',
  ].join('\n');
}

async function main(): Promise<number> {
  const { values } = parseCommandLine(
    process.argv.slice(2),
    {
      stage: { type: 'string' },
      port: { type: 'string' },
      's3-port': { type: 'string' },
      template: { type: 'string' },
      'write-env': { type: 'string' },
    },
    { min: 0, max: 0 },
  );
  const stage = oneOf(values.stage, 'stage', ['dev', 'prod'], 'dev');
  const port = wholeNumber(values.port, 'port', 0);
  const s3Port = wholeNumber(values['s3-port'], 's3-port', 0);
  const runtime = await startLocalAws({
    templatePath: await templatePath(values.template, stage),
    port,
    s3Port,
  });
  const lines = Object.entries(runtime.env).map(([key, value]) => `${key}=${value}`);
  console.log(lines.join('\n'));
  const envFile = values['write-env'];
  if (envFile !== undefined) {
    mkdirSync(path.dirname(userPath(envFile)), { recursive: true });
    writeFileSync(userPath(envFile), `${lines.join('\n')}\n`);
  }
  console.error(uploadHint(runtime.env, envFile));

  const signal = await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
  console.error(`${String(signal[0] ?? 'signal')}: stopping the local AWS runtime…`);
  await runtime.stop();
  return 0;
}

runCommand(USAGE, main);
