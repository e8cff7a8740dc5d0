import { parseCommandLine, runCommand, UsageError, wholeNumber } from './cli/command-line';
import { FaultStepError } from './chaos/fault-steps';
import { runChaos, type ChaosOptions, type ChaosReport } from './chaos/run-chaos';
import { devTemplate } from './whole-pipeline/template';

const USAGE = `Usage: npm run chaos [-- --products N] [--workers K] [--kills K] [--invalid-ratio R] [--seed S] [--timeout <seconds>]

The fault run: the whole local pipeline (with a redis-server of its own) takes a generated export of N
products while Pimcore and Medusa answer 5xx and hang requests, webhooks are delivered twice, the file
is uploaded twice, worker processes are SIGKILLed and restarted K times (each kill the next replica, the
services taking turns) and Redis is restarted empty. Then it reconciles every valid product: in Pimcore
exactly once and in Medusa exactly once, or in a DLQ with its reason. Prints the counts, the replicas
and the throughput, the last line as JSON; exit code 1 if any product is lost or duplicated, or a
fault step fails or stalls (the message names the step).

  --products N         products in the generated export, 1 to 10000 (default 200)
  --workers K          processes of each ECS service (ingest, relay) on the same queues and Redis
                       (default: each service's desired count in the template)
  --kills K            worker SIGKILLs (default 3)
  --invalid-ratio R    share of invalid products in the export (default 0.05)
  --seed S             seed of the export and of the faults (default 7)
  --timeout <seconds>  the longest wait for one phase (default 600)
  --help               this text`;

function ratio(text: string | undefined): number {
  if (text === undefined) return 0.05;
  const value = Number(text);
  if (text.trim() === '' || !(value >= 0 && value < 1))
    throw new UsageError(`--invalid-ratio must be from 0 to below 1, not "${text}"`);
  return value;
}

function countsTable(report: ChaosReport): string {
  const { faults, state } = report;
  const rows: [string, string | number][] = [
    ['products in the file', report.products],
    ['rejected at ingestion', report.rejected],
    ['valid', report.valid],
    ['uploads of the file', report.uploads],
    [
      'worker replicas',
      Object.entries(report.replicas)
        .map(([service, count]) => `${service} ×${count}`)
        .join(', '),
    ],
    [
      'throughput (upload → last in Medusa)',
      report.throughput === null
        ? '–'
        : `${report.throughput.productsPerSecond} products/s (${report.throughput.seconds} s)`,
    ],
    ['in Pimcore exactly once', state.inPimcore],
    ['in Medusa exactly once', state.inMedusa],
    ['in a DLQ (with reason)', state.deadLettered.length],
    ['DLQ messages (duplicates included)', report.deadLetters.length],
    ['lost', report.lost.length],
    ['duplicated', report.duplicated.length],
    ['webhooks given up', report.webhooksGivenUp],
    ['faults: worker SIGKILLs', faults.workerKills],
    ['faults: Redis restarts', faults.redisRestarts],
    ['faults: Pimcore 5xx / hangs', `${faults.pimcoreErrors} / ${faults.pimcoreHangs}`],
    ['faults: Medusa 5xx / hangs', `${faults.medusaErrors} / ${faults.medusaHangs}`],
    ['webhook retries / redeliveries', `${faults.webhookRetries} / ${faults.webhookRedeliveries}`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const letters = state.deadLettered.map(
    (letter) => `  ${letter.externalId} in ${letter.queue}: ${letter.reason}`,
  );
  return [
    ...rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`),
    ...(letters.length > 0 ? ['dead-lettered:', ...letters] : []),
    ...(report.lost.length > 0 ? [`lost: ${report.lost.join(', ')}`] : []),
    ...(report.duplicated.length > 0 ? [`duplicated: ${report.duplicated.join(', ')}`] : []),
  ].join('\n');
}

async function main(): Promise<number> {
  const { values } = parseCommandLine(
    process.argv.slice(2),
    {
      products: { type: 'string' },
      workers: { type: 'string' },
      kills: { type: 'string' },
      'invalid-ratio': { type: 'string' },
      seed: { type: 'string' },
      timeout: { type: 'string' },
    },
    { min: 0, max: 0 },
  );
  const products = wholeNumber(values.products, 'products', 200);
  if (products > 10_000) throw new UsageError('--products must be at most 10000');
  // Each replica is a Node.js process of its own, per service.
  if (Number(values.workers) > 10) throw new UsageError('--workers must be at most 10');
  const report = await runOrNameTheStep({
    templatePath: await devTemplate(),
    products,
    workers: values.workers === undefined ? undefined : wholeNumber(values.workers, 'workers', 1),
    kills: wholeNumber(values.kills, 'kills', 3, 0),
    invalidRatio: ratio(values['invalid-ratio']),
    seed: wholeNumber(values.seed, 'seed', 7, 0),
    timeoutMs: wholeNumber(values.timeout, 'timeout', 600) * 1000,
    log: (line) => console.error(line),
  });
  if (report === undefined) return 1;
  console.log(countsTable(report));
  const { state, ...rest } = report;
  console.log(
    JSON.stringify({
      ...rest,
      inPimcore: state.inPimcore,
      inMedusa: state.inMedusa,
      deadLettered: state.deadLettered,
    }),
  );
  return report.ok ? 0 : 1;
}

/** The run's report, or undefined (the failure said on stderr) when one of its fault steps failed or stalled. */
async function runOrNameTheStep(options: ChaosOptions): Promise<ChaosReport | undefined> {
  try {
    return await runChaos(options);
  } catch (error) {
    if (!(error instanceof FaultStepError)) throw error;
    console.error(`the fault run failed: ${error.message}`);
    return undefined;
  }
}

runCommand(USAGE, main);
