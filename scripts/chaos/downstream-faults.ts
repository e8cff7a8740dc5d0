import type { WholePipeline } from '../../local/whole-pipeline/whole-pipeline';

/** What the fault loop injected, for the report. */
export interface InjectedFaults {
  pimcoreErrors: number;
  pimcoreHangs: number;
  medusaErrors: number;
  medusaHangs: number;
}

/**
 * Every `intervalMs`, queues a few 5xx answers and now and then a request that never gets an answer
 * (the client's timeout ends it) in the Pimcore and Medusa simulators. `random` decides, so a seeded
 * run injects the same faults. Returns the stop function.
 */
export function startDownstreamFaults(
  stack: WholePipeline,
  random: () => number,
  counts: InjectedFaults,
  intervalMs = 500,
): () => void {
  const pimcore = stack.pimcore.simulator;
  const medusa = stack.medusa.simulator;
  if (!pimcore || !medusa) throw new Error('faults are injected into the simulators only');
  const timer = setInterval(() => {
    const errors = Math.floor(random() * 3);
    pimcore.failNext(errors, { status: random() < 0.5 ? 503 : 500, retryAfter: '1' });
    counts.pimcoreErrors += errors;
    const medusaErrors = Math.floor(random() * 3);
    medusa.failNext(medusaErrors, { status: random() < 0.5 ? 502 : 500 });
    counts.medusaErrors += medusaErrors;
    if (random() < 0.15) {
      pimcore.hangNext(1);
      counts.pimcoreHangs += 1;
    }
    if (random() < 0.15) {
      medusa.hangNext(1);
      counts.medusaHangs += 1;
    }
  }, intervalMs);
  // The few faults still queued at stop are met by the next requests, which retry them.
  return () => clearInterval(timer);
}
