import { runChaos, type ChaosOptions } from '../../scripts/chaos/run-chaos';
import { synthesizeTemplate } from '../local/synthesized-template';

/** The reason the stack's DeadLetters reader gives a message SQS's redrive policy moved (no attributes). */
const REDRIVE_REASON = 'received too often';

/**
 * `npm run chaos` small enough for `npm test`, with the checks every fault run must pass: nothing lost or
 * duplicated, and the faults really happened. Returns the report and the kill lines of its log.
 */
export async function checkedChaosRun(options: Pick<ChaosOptions, 'products' | 'kills' | 'workers'>) {
  const log: string[] = [];
  const report = await runChaos({
    templatePath: synthesizeTemplate(),
    invalidRatio: 0.1,
    seed: 11,
    timeoutMs: 120_000,
    log: (line) => log.push(line),
    ...options,
  });
  // What the fault plan can dead-letter: no product. Its faults are all transient or duplicates — 5xx
  // and hung requests (retried in process, then handed back to SQS), duplicate webhooks and a second
  // upload (dropped by the ledger, or re-applied idempotently after the Redis restart), SIGKILLs (the
  // message comes back after its visibility timeout, by when the killed worker's claim has expired) and
  // a Redis restart (in-flight work handed back) — and the invalid products are rejected at ingestion,
  // so no poison message and no 4xx refusal reaches a worker. So every valid product must be in Medusa
  // (not merely "in Medusa or a DLQ"), and no DLQ message may carry a reason (the worker's own, or
  // EventBridge's for an undeliverable event). SQS's redrive (reason "received too often") can still move a *duplicate* delivery that kept meeting
  // a claim held long (ProductBusy every 5 s past maxReceiveCount: a claim a SIGKILL orphaned, or an
  // upsert slowed by hangs) while its twin completes: such letters are allowed, each about a product
  // that is in Medusa anyway.
  const outcome = {
    lost: report.lost,
    duplicated: report.duplicated,
    webhooksGivenUp: report.webhooksGivenUp,
    deadLettered: report.state.deadLettered,
    inMedusa: report.state.inMedusa,
    inPimcore: report.state.inPimcore,
    lettersNotMovedByRedrive: report.deadLetters.filter(
      (letter) => !letter.reason.startsWith(REDRIVE_REASON),
    ),
  };
  expect(outcome).toEqual({
    lost: [],
    duplicated: [],
    webhooksGivenUp: 0,
    deadLettered: [],
    inMedusa: report.valid,
    inPimcore: report.valid,
    lettersNotMovedByRedrive: [],
  });
  expect(report.valid + report.rejected).toBe(options.products);
  expect(report.faults).toMatchObject({ workerKills: options.kills, redisRestarts: 1 });
  expect(report.uploads).toBe(2);
  expect(report.faults.pimcoreErrors + report.faults.medusaErrors).toBeGreaterThan(0);
  expect(report.throughput?.productsPerSecond).toBeGreaterThan(0);
  expect(report.ok).toBe(true);
  return { report, kills: log.filter((line) => line.startsWith('fault: SIGKILL')) };
}
