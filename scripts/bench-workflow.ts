import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseCommandLine, runCommand, wholeNumber } from './cli/command-line';
import type { WorkflowRunResult } from './bench-workflow/workflow-run';
import { devTemplate, PROJECT_ROOT } from './whole-pipeline/template';

const run = promisify(execFile);

/** Peak RSS may grow at most this much from the smaller run to the larger one: memory stays flat. */
const RSS_GROWTH_LIMIT = 1.5;

const USAGE = `Usage: npm run bench:workflow [-- --products N] [--checkpoint N]

Sends generated products (valid, mixed Shein shapes) through the local workflow as a deployment runs it
(the synthesized dev stack: Validate → Distributed Map of Express children (Transform → Publish) →
Summarize) to the ingest queue, which a process of its own drains as worker tasks would (48 long polls: on one machine the runtime serves them on the same thread as the workflow). Runs --checkpoint
products, then --products, each in a fresh process, and prints for each the time, products per second
and the runtime's peak RSS (its process: the emulators and the Lambdas). The last line is JSON; goal: peak
RSS at --products ≤ ${RSS_GROWTH_LIMIT}× the one at --checkpoint (reported, never fatal). Needs about 10 GB of
free disk in the temporary folder for 1,000,000 products.

  --products N     the large run (default 1000000)
  --checkpoint N   the small run (default 100000)
  --help           this text`;

async function measure(products: number, template: string): Promise<WorkflowRunResult> {
  const script = join(PROJECT_ROOT, 'scripts', 'bench-workflow', 'workflow-run.ts');
  const { stdout } = await run(process.execPath, ['--import', 'tsx', script, String(products), template], {
    cwd: PROJECT_ROOT,
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as WorkflowRunResult;
}

runCommand(USAGE, async () => {
  const { values } = parseCommandLine(
    process.argv.slice(2),
    { products: { type: 'string' }, checkpoint: { type: 'string' } },
    { min: 0, max: 0 },
  );
  const products = wholeNumber(values.products, '--products', 1_000_000);
  const checkpoint = wholeNumber(values.checkpoint, '--checkpoint', 100_000);
  const template = await devTemplate();
  const results: WorkflowRunResult[] = [];
  console.log('products   file MB   batches   status      seconds   products/s   received   peak RSS MB');
  for (const size of [checkpoint, products]) {
    const result = await measure(size, template);
    results.push(result);
    console.log(
      [
        String(result.products).padStart(8),
        String(result.fileMb).padStart(9),
        String(result.batches).padStart(9),
        result.executionStatus.padEnd(10),
        String(result.seconds).padStart(9),
        String(Math.round(result.products / result.seconds)).padStart(12),
        String(result.received).padStart(10),
        String(result.peakRssMb).padStart(13),
      ].join(' '),
    );
  }
  const [small, large] = results;
  const rssRatio = Math.round((large.peakRssMb / small.peakRssMb) * 100) / 100;
  const lost = results.some(
    (result) => result.executionStatus !== 'SUCCEEDED' || result.received < result.products,
  );
  console.log(
    `peak RSS ${small.peakRssMb} MB at ${small.products} → ${large.peakRssMb} MB at ${large.products}: ` +
      `${rssRatio}× (limit ${RSS_GROWTH_LIMIT}×) ${rssRatio <= RSS_GROWTH_LIMIT ? 'flat' : 'NOT flat'}`,
  );
  console.log(
    JSON.stringify({
      products: large.products,
      seconds: large.seconds,
      productsPerSecond: Math.round(large.products / large.seconds),
      peakRssMb: { [small.products]: small.peakRssMb, [large.products]: large.peakRssMb },
      rssRatio,
      rssGrowthLimit: RSS_GROWTH_LIMIT,
      everyProductReceived: !lost,
    }),
  );
  return lost ? 1 : 0;
});
