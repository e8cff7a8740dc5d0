import type { Drift } from '../../../nest-worker/src/reconcile/drift';
import { reconcile, type ReconcileReport } from '../../../nest-worker/src/reconcile/reconcile';
import { reconcileClients } from '../../../nest-worker/src/reconcile/reconcile-clients';
import {
  loadReconcileConfig,
  ReconcileConfigError,
} from '../../../nest-worker/src/reconcile/reconcile-config';
import {
  EXIT_OK,
  EXIT_PROBLEM,
  humanDuration,
  paint,
  table,
  writeJson,
  writeLine,
  type CliIo,
} from '../cli-io';
import type { AwsClients } from '../target/aws-clients';
import type { PipelineTarget } from '../target/pipeline-target';

export interface ReconcileOptions {
  readonly fix: boolean;
  readonly json: boolean;
  /** Drift rows shown (all are in --json). */
  readonly show: number;
}

/** A target whose relay settings cannot be used: exit 1, naming what is wrong (never a value). */
export class DownstreamNotUsable extends Error {
  override readonly name = 'DownstreamNotUsable';
}

/**
 * `reconcile [--fix]`: the nightly job's comparison, run from here with the relay's own settings. Exit 1
 * when anything differs (also after --fix: the repairs are on their way; the next run shows them done).
 */
export async function reconcileCommand(
  io: CliIo,
  target: PipelineTarget,
  clients: AwsClients,
  downstream: Readonly<Record<string, string>>,
  options: ReconcileOptions,
): Promise<number> {
  let config;
  try {
    config = loadReconcileConfig({
      ...downstream,
      PRODUCTS_EVENT_BUS_NAME: target.outputs.busName,
      RECONCILE_FIX: String(options.fix),
    });
  } catch (error) {
    if (!(error instanceof ReconcileConfigError)) throw error;
    throw new DownstreamNotUsable(`${target.description}: ${error.message}`);
  }
  const dependencies = reconcileClients(config, clients.eventBridge);
  let report: ReconcileReport;
  try {
    report = await reconcile(dependencies, { fix: options.fix });
  } finally {
    await dependencies.close();
  }
  const failedRepairs = report.repairs?.failed.length ?? 0;
  if (options.json) writeJson(io, report);
  else render(io, report, target, options);
  return report.drift.length > 0 || failedRepairs > 0 ? EXIT_PROBLEM : EXIT_OK;
}

function render(io: CliIo, report: ReconcileReport, target: PipelineTarget, options: ReconcileOptions): void {
  const { counts } = report;
  writeLine(
    io,
    `Pimcore ${report.pimcoreProducts} products, Medusa ${report.medusaProducts} products, compared in ${humanDuration(report.durationMs)} (run ${report.runId})`,
  );
  if (report.drift.length === 0) {
    writeLine(io, paint(io, 'green', 'No drift: Medusa shows what Pimcore holds.'));
    return;
  }
  writeLine(
    io,
    paint(
      io,
      'red',
      `Drift: ${counts.missing} missing, ${counts.stale} stale, ${counts.unpublished} unpublished, ${counts.conflict} conflicts`,
    ),
  );
  const shown = report.drift.slice(0, options.show);
  writeLine(io, table(io, ['kind', 'external id', 'pimcore', 'medusa', 'detail', 'repair'], shown.map(row)));
  if (report.drift.length > shown.length) {
    writeLine(io, `… and ${report.drift.length - shown.length} more (--show N, or --json for all)`);
  }
  if (report.repairs === undefined) {
    if (counts.conflict < report.drift.length) {
      writeLine(io, 'Repair with --fix: one publication event per drift, through the relay as any other.');
    }
    return;
  }
  writeLine(
    io,
    `Put ${report.repairs.sent} repair event(s) on ${target.outputs.busName}; the relay applies them ` +
      '(run reconcile again to see them done).',
  );
  for (const failure of report.repairs.failed) {
    writeLine(io, paint(io, 'red', `  not sent: ${failure.externalId}: ${failure.error}`));
  }
}

function row(drift: Drift): string[] {
  return [
    drift.kind,
    drift.externalId,
    drift.pimcoreId === undefined ? '-' : String(drift.pimcoreId),
    drift.medusaId ?? '-',
    drift.detail,
    drift.repair?.detailType ?? 'none (fix by hand)',
  ];
}
