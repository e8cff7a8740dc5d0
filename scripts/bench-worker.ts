import { parseCommandLine, runCommand, wholeNumber } from './cli/command-line';
import { productIngestedBodies } from './bench-worker/bench-products';
import { sendBodies, startBenchEnvironment, type BenchEnvironment } from './bench-worker/bench-environment';
import { drainOneAtATime } from './bench-worker/measure-baseline';
import { drainWithQueueConsumer, type Drained } from './bench-worker/measure-consumer';

const USAGE = `Usage: npm run bench:worker [-- --messages N] [--latency-ms L] [--in-flight K] [--baseline-messages B]

Drains N ProductIngested messages from the project's local SQS endpoint through the worker's real
consumer (QueueConsumer, ProductIngestHandler, the Redis idempotency ledger, the Datahub Pimcore client)
into the Pimcore simulator, which answers every request after L ms. Each product is new, so each
upsert is one Datahub request. Prints the throughput, the limit K ÷ L (K messages in flight, each
waiting L ms for Pimcore at the least) and ratio = throughput ÷ limit; then the baseline: the same
handler fed by a consumer that receives one message every 5 s, measured on B messages. The last line
is JSON. Goal: ratio ≥ 0.85. Needs Redis (REDIS_URL, default redis://127.0.0.1:6379); the keys the
run writes are removed at the end.

  --messages N           messages drained (default 2000)
  --latency-ms L         Pimcore's latency per request (default 50)
  --in-flight K          messages worked on at once (default 16, the worker's default)
  --baseline-messages B  messages the baseline drains (default 3)
  --help                 this text`;

const BASELINE_INTERVAL_MS = 5000;

async function drain(
  latencyMs: number,
  messages: number,
  run: (environment: BenchEnvironment) => Promise<Drained>,
): Promise<Drained> {
  const environment = await startBenchEnvironment(latencyMs);
  try {
    await sendBodies(environment, productIngestedBodies(environment.runId, messages));
    const drained = await run(environment);
    const objects = await environment.pimcoreObjects();
    if (objects !== messages) throw new Error(`Pimcore holds ${objects} objects for ${messages} messages`);
    return drained;
  } finally {
    await environment.close();
  }
}

const perSecond = (drained: Drained) => drained.messages / drained.seconds;

async function main(): Promise<number> {
  const { values } = parseCommandLine(
    process.argv.slice(2),
    {
      messages: { type: 'string' },
      'latency-ms': { type: 'string' },
      'in-flight': { type: 'string' },
      'baseline-messages': { type: 'string' },
    },
    { min: 0, max: 0 },
  );
  const messages = wholeNumber(values.messages, 'messages', 2000);
  const latencyMs = wholeNumber(values['latency-ms'], 'latency-ms', 50);
  const inFlight = wholeNumber(values['in-flight'], 'in-flight', 16);
  const baselineMessages = wholeNumber(values['baseline-messages'], 'baseline-messages', 3);

  console.log(`${messages} messages, ${inFlight} in flight, Pimcore latency ${latencyMs} ms per request`);
  console.log(
    'SQS endpoint and Pimcore simulator each in a child process (other machines in production); Redis: ' +
      (process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'),
  );
  const consumer = await drain(latencyMs, messages, (environment) =>
    drainWithQueueConsumer(environment, messages, inFlight),
  );
  const throughput = perSecond(consumer);
  const limit = inFlight / (latencyMs / 1000);
  const ratio = throughput / limit;
  console.log(
    `worker:   ${messages} in ${consumer.seconds.toFixed(2)} s = ${throughput.toFixed(1)} messages/s`,
  );
  console.log(`limit:    ${inFlight} in flight ÷ ${latencyMs} ms = ${limit.toFixed(1)} messages/s`);
  console.log(`ratio:    ${ratio.toFixed(3)} (goal ≥ 0.85)`);

  const baseline = await drain(latencyMs, baselineMessages, (environment) =>
    drainOneAtATime(environment, baselineMessages, BASELINE_INTERVAL_MS),
  );
  const baselineThroughput = perSecond(baseline);
  console.log(
    `baseline: ${baselineMessages} in ${baseline.seconds.toFixed(2)} s = ${baselineThroughput.toFixed(3)} messages/s ` +
      `(one message every ${BASELINE_INTERVAL_MS / 1000} s); the worker is ${(throughput / baselineThroughput).toFixed(0)}× faster`,
  );
  console.log(
    JSON.stringify({
      throughput: round(throughput),
      limit: round(limit),
      ratio: round(ratio),
      baselineThroughput: round(baselineThroughput),
      messages,
      inFlight,
      latencyMs,
    }),
  );
  return 0;
}

const round = (value: number) => Math.round(value * 1000) / 1000;

runCommand(USAGE, main);
