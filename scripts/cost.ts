import { parseCommandLine, runCommand, UsageError, wholeNumber } from './cli/command-line';
import { userPath } from './cli/user-path';
import { devTemplate } from './whole-pipeline/template';
import { ASSUMPTIONS } from './cost/assumptions';
import { costOf } from './cost/cost-model';
import { costReport, costTable } from './cost/cost-table';
import { measureIngestion } from './cost/measure-ingestion';
import { measureWorker } from './cost/measure-worker';
import { loadPriceList } from './cost/prices';
import { readTemplateFacts } from './cost/template-facts';

const USAGE = `Usage: npm run cost -- --products N [--json] [options]

Prints what N products cost in AWS end to end (ingestion to Pimcore, and the relay to Medusa), priced
from the synthesized template (npm run demo's dev stack, synthesized first when stale), sizes and times
measured on this machine with the project's own code, and the dated price list. Fixed monthly costs are
shown apart. Figures scale linearly from the samples to N.

  --products N           products to price (required)
  --json                 also print the report as JSON on the last line
  --sample N             generated products run through Validate, Transform and Publish (default 1000)
  --worker-sample N      of those, products sent through the local worker to Medusa (default 50)
  --products-per-file N  products per uploaded export, over which per-upload costs spread (default ${ASSUMPTIONS.productsPerFile})
  --template <file>      a synthesized template instead of the dev stack's
  --prices <file>        a price list instead of pricing/aws-prices.json
  --help                 this text`;

/** The goal of issue 16: the variable cost per million products. */
const GOAL_PER_MILLION = 3;

async function main(): Promise<number> {
  const { values } = parseCommandLine(
    process.argv.slice(2),
    {
      products: { type: 'string' },
      json: { type: 'boolean' },
      sample: { type: 'string' },
      'worker-sample': { type: 'string' },
      'products-per-file': { type: 'string' },
      template: { type: 'string' },
      prices: { type: 'string' },
    },
    { min: 0, max: 0 },
  );
  if (values.products === undefined) throw new UsageError('--products is required');
  const products = wholeNumber(values.products, 'products', 0);
  const sample = wholeNumber(values.sample, 'sample', 1000);
  const workerSample = wholeNumber(values['worker-sample'], 'worker-sample', 50);
  if (workerSample > sample) throw new UsageError('--worker-sample cannot exceed --sample');
  const assumptions = {
    ...ASSUMPTIONS,
    productsPerFile: wholeNumber(
      values['products-per-file'],
      'products-per-file',
      ASSUMPTIONS.productsPerFile,
    ),
  };
  const prices = loadPriceList(values.prices === undefined ? undefined : userPath(values.prices));
  const templatePath = values.template === undefined ? await devTemplate() : userPath(values.template);
  const facts = readTemplateFacts(templatePath);

  console.error(`Measuring ${sample} generated products through Validate, Transform and Publish…`);
  const ingestion = await measureIngestion(sample, { busName: 'products-dev', bucket: 'ingest-bucket' });
  console.error(
    `Measuring the worker on ${workerSample} of them (the local pipeline: Pimcore, webhook, Medusa)…`,
  );
  const worker = await measureWorker(templatePath, ingestion.canonical.slice(0, workerSample), 180_000);

  const { lines, fixed } = costOf(products, { facts, prices, ingestion, worker, assumptions });
  const report = costReport(products, lines, fixed, prices, GOAL_PER_MILLION);
  console.log(costTable(lines, fixed, report, prices));
  console.log(
    [
      '',
      `Measured: ${ingestion.products} products (${ingestion.batches} batches) through the Lambdas' code, ${worker.products} through the worker; scaled linearly to ${products.toLocaleString('en-US')}.`,
      `Workflow priced as the template has it: Map ${facts.stateMachine.shape.map.mode}${facts.stateMachine.shape.map.childExecutionType ? ` (${facts.stateMachine.shape.map.childExecutionType} children)` : ''}, ${facts.stateMachine.type} parent.`,
      `Assumed (scripts/cost/assumptions.ts): ${Object.entries(assumptions)
        .map(([key, value]) => `${key}=${Number(value.toPrecision(4))}`)
        .join(', ')}.`,
    ].join('\n'),
  );
  if (values.json === true)
    console.log(
      JSON.stringify({
        ...report,
        lines,
        fixed,
        measured: { ingestion: { ...ingestion, canonical: undefined }, worker },
        assumptions,
      }),
    );
  return 0;
}

runCommand(USAGE, main);
