import { checkedChaosRun } from './chaos-run';

/**
 * A small `npm run chaos`: the whole local pipeline under 5xx storms, hung requests, duplicate webhook
 * deliveries, a second upload of the file, worker SIGKILLs and a Redis restart. Nothing may be lost or
 * duplicated, and the faults must really have happened.
 */
it('loses and duplicates no product under downstream faults, worker kills and a Redis restart', async () => {
  const { report, kills } = await checkedChaosRun({ products: 60, kills: 2 });
  expect(report.replicas).toEqual({ ingest: 1, relay: 1 });
  expect(kills).toEqual([expect.stringContaining('ingest-1'), expect.stringContaining('relay-1')]);
}, 300_000);
