import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { oneOf, parseCommandLine, runCommand, UsageError, wholeNumber } from './cli/command-line';
import { userPath } from './cli/user-path';
import { withWholePipeline } from './whole-pipeline/run-stack';
import { devTemplate, PROJECT_ROOT } from './whole-pipeline/template';
import { progressLine, summarize, summaryTable } from '../local/whole-pipeline/summary';

const USAGE = `Usage: npm run demo [-- --file <export.json>] [--auto-publish on|off] [--webhook-auth signed|token]
                     [--timeout <seconds>]

Runs the whole pipeline on this machine and sends one Shein export through it: synthesizes the stack,
starts the local AWS runtime, Redis (REDIS_URL, else a redis-server of its own), the Pimcore and Medusa
simulators (or the real ones when PIMCORE_BASE_URL / MEDUSA_BASE_URL and their credentials are set)
and the worker's ECS services (ingest, relay) from their task definitions; uploads the file to the
ingest bucket and follows every product to Medusa. Prints progress on stderr, then a summary table, and
as the last line the same summary as JSON. Exit code 0 only when every valid product reached Medusa;
everything it started is stopped at the end.

  --file <path>          the export to upload (default samples/shein_products.example.json)
  --auto-publish on|off  the Pimcore simulator publishes what the worker creates (default on); with
                         off, products wait in Pimcore for an editor and the run ends at the timeout
  --webhook-auth signed|token
                         how the Pimcore simulator's webhooks authenticate: as the shipped listener
                         (signed, default) or as Datahub Webhooks (token)
  --timeout <seconds>    how long to wait for the products (default 300)
  --help                 this text`;

const DEFAULT_FILE = path.join(PROJECT_ROOT, 'samples', 'shein_products.example.json');

/** Relative to where the user is when the file is below it, else absolute. */
function displayPath(file: string): string {
  const relative = path.relative(process.env.INIT_CWD ?? process.cwd(), file);
  return relative === '' || relative.startsWith('..') ? file : relative;
}

async function main(): Promise<number> {
  const { values } = parseCommandLine(
    process.argv.slice(2),
    {
      file: { type: 'string' },
      'auto-publish': { type: 'string' },
      'webhook-auth': { type: 'string' },
      timeout: { type: 'string' },
    },
    { min: 0, max: 0 },
  );
  const file = values.file === undefined ? DEFAULT_FILE : userPath(values.file);
  if (!existsSync(file)) throw new UsageError(`--file ${values.file}: no such file`);
  const autoPublish = oneOf(values['auto-publish'], 'auto-publish', ['on', 'off'], 'on') === 'on';
  const webhookAuth = oneOf(values['webhook-auth'], 'webhook-auth', ['signed', 'token'], 'signed');
  const timeoutMs = wholeNumber(values.timeout, 'timeout', 300) * 1000;

  return withWholePipeline({ templatePath: await devTemplate(), autoPublish, webhookAuth }, async (stack) => {
    console.error(`Uploading ${file} to s3://${stack.bucket}/incoming/…`);
    const upload = await stack.upload(file);
    const outcome = await stack.ingestion(upload, timeoutMs);
    console.error(
      `Ingestion ${outcome.ingestionId}: ${outcome.status}` +
        (outcome.error ? ` (${outcome.error}: ${outcome.cause ?? ''})` : '') +
        ` — ${outcome.products.length} valid, ${outcome.rejects.length} rejected`,
    );
    const state =
      outcome.products.length === 0
        ? await stack.state([])
        : await stack.settle(outcome.products, {
            timeoutMs,
            onProgress: (progress) => console.error(progressLine(progress, Date.now() - upload.uploadedAt)),
          });
    const summary = summarize(displayPath(file), outcome, state, await stack.deadLetters.counts());
    console.log(summaryTable(summary));
    console.log(JSON.stringify(summary));
    return summary.ok ? 0 : 1;
  });
}

runCommand(USAGE, main);
