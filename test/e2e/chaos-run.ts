import { runChaos, type ChaosOptions } from '../../scripts/chaos/run-chaos';
import { synthesizeTemplate } from '../local/synthesized-template';

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
  const outcome = {
    lost: report.lost,
    duplicated: report.duplicated,
    webhooksGivenUp: report.webhooksGivenUp,
    accounted: report.state.inMedusa + report.state.deadLettered.length,
  };
  expect(outcome).toEqual({ lost: [], duplicated: [], webhooksGivenUp: 0, accounted: report.valid });
  expect(report.valid + report.rejected).toBe(options.products);
  // A product a DLQ holds may have stopped short of Pimcore; every other one is there exactly once.
  expect(report.state.inPimcore).toBeGreaterThanOrEqual(report.valid - report.state.deadLettered.length);
  expect(report.faults).toMatchObject({ workerKills: options.kills, redisRestarts: 1 });
  expect(report.uploads).toBe(2);
  expect(report.faults.pimcoreErrors + report.faults.medusaErrors).toBeGreaterThan(0);
  expect(report.throughput?.productsPerSecond).toBeGreaterThan(0);
  expect(report.ok).toBe(true);
  return { report, kills: log.filter((line) => line.startsWith('fault: SIGKILL')) };
}
