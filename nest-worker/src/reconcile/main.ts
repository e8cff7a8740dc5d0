import { pino } from 'pino';
import { reconcile } from './reconcile';
import { reconcileClients } from './reconcile-clients';
import { loadReconcileConfig, ReconcileConfigError } from './reconcile-config';

/**
 * The nightly reconciliation job (dist/reconcile.js in the worker's image; the stack's schedule runs it
 * as an ECS task): compares Pimcore with Medusa, puts repair events on the bus when RECONCILE_FIX=true,
 * and ends with one `reconcile.finished` line whose counts the stack turns into metrics and a drift
 * alarm. Exit 0 when it ran, whatever it found; 1 when it could not finish (`reconcile.failed`).
 * `npx pipeline reconcile` runs the same comparison from an operator's shell.
 */
async function run(): Promise<number> {
  const log = pino({ base: { service: 'reconcile' } });
  let config;
  try {
    config = loadReconcileConfig(process.env);
  } catch (error) {
    if (!(error instanceof ReconcileConfigError)) throw error;
    log.error({ event: 'reconcile.failed', error: error.message }, 'reconciliation not started');
    return 1;
  }
  const clients = reconcileClients(config);
  try {
    const report = await reconcile(clients, { fix: config.fix });
    // One line per drift (capped): what the alarm's reader looks for first.
    for (const entry of report.drift.slice(0, 1000)) {
      const { repair, ...drift } = entry;
      log.warn({ event: 'reconcile.drift', runId: report.runId, ...drift }, 'drift');
    }
    const failedRepairs = report.repairs?.failed.length ?? 0;
    log.info(
      {
        event: 'reconcile.finished',
        runId: report.runId,
        drift: report.drift.length,
        missing: report.counts.missing,
        stale: report.counts.stale,
        unpublished: report.counts.unpublished,
        conflicts: report.counts.conflict,
        fixed: report.repairs?.sent ?? 0,
        failedRepairs,
        pimcoreProducts: report.pimcoreProducts,
        medusaProducts: report.medusaProducts,
        durationMs: report.durationMs,
      },
      'reconciliation finished',
    );
    return failedRepairs > 0 ? 1 : 0;
  } catch (error) {
    log.error(
      { event: 'reconcile.failed', error: `${(error as Error).name}: ${(error as Error).message}` },
      'reconciliation failed',
    );
    return 1;
  } finally {
    await clients.close();
  }
}

void run().then((code) => {
  process.exitCode = code;
});
