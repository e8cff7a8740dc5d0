import { runChaos } from '../../scripts/chaos/run-chaos';
import { synthesizeTemplate } from '../local/synthesized-template';

/**
 * A small `npm run chaos`: the whole local pipeline under 5xx storms, hung requests, duplicate webhook
 * deliveries, a second upload of the file, worker SIGKILLs and a Redis restart. Nothing may be lost or
 * duplicated, and the faults must really have happened.
 */
it('loses and duplicates no product under downstream faults, worker kills and a Redis restart', async () => {
  const log: string[] = [];
  const report = await runChaos({
    templatePath: synthesizeTemplate(),
    products: 60,
    invalidRatio: 0.1,
    seed: 11,
    kills: 2,
    timeoutMs: 120_000,
    log: (line) => log.push(line),
  });
  const outcome = {
    lost: report.lost,
    duplicated: report.duplicated,
    webhooksGivenUp: report.webhooksGivenUp,
    accounted: report.state.inMedusa + report.state.deadLettered.length,
  };
  expect(outcome).toEqual({ lost: [], duplicated: [], webhooksGivenUp: 0, accounted: report.valid });
  expect(report.products).toBe(60);
  expect(report.valid + report.rejected).toBe(60);
  // A product a DLQ holds may have stopped short of Pimcore; every other one is there exactly once.
  expect(report.state.inPimcore).toBeGreaterThanOrEqual(report.valid - report.state.deadLettered.length);
  expect(report.faults).toMatchObject({ workerKills: 2, redisRestarts: 1 });
  expect(report.uploads).toBe(2);
  expect(report.faults.pimcoreErrors + report.faults.medusaErrors).toBeGreaterThan(0);
  expect(report.ok).toBe(true);
}, 300_000);
