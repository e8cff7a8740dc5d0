import { randomBytes } from 'node:crypto';
import type { MedusaAdminClient } from '../medusa/medusa-admin-client';
import type { MappingSettings } from '../medusa/medusa-product-body';
import type { PimcoreClient } from '../pimcore';
import type { ProductEventPublisher } from '../webhook/product-event-publisher';
import { medusaCatalogue, pimcoreCatalogue, type MedusaEntry, type PimcoreEntry } from './catalogue';
import { findDrift, type Drift, type DriftKind } from './drift';
import { sendRepairs, type RepairResult } from './repairs';

export interface ReconcileDependencies {
  readonly pimcore: PimcoreClient;
  readonly medusa: MedusaAdminClient;
  readonly mapping: MappingSettings;
  /** Needed with `fix` only. */
  readonly publisher?: ProductEventPublisher;
}

export interface ReconcileReport {
  readonly runId: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly pimcoreProducts: number;
  readonly medusaProducts: number;
  readonly counts: Readonly<Record<DriftKind, number>>;
  readonly drift: readonly Drift[];
  /** With `fix`: the repair events put on the bus, and those PutEvents refused. */
  readonly repairs?: RepairResult;
}

/** "20261207T231500-3f9a": sortable, and unique enough for two runs started in the same second. */
const newRunId = (now: Date) =>
  `${now.toISOString().replace(/[-:]/g, '').slice(0, 15)}-${randomBytes(2).toString('hex')}`;

/**
 * Reads both catalogues in full (Pimcore's first, as entries of a few hundred bytes each, then Medusa's)
 * and reports where Medusa differs from Pimcore; with `fix`, puts each repair event on the bus.
 */
export async function reconcile(
  dependencies: ReconcileDependencies,
  options: { readonly fix: boolean; readonly signal?: AbortSignal },
): Promise<ReconcileReport> {
  const started = new Date();
  const runId = newRunId(started);
  const pimcore: PimcoreEntry[] = [];
  for await (const entry of pimcoreCatalogue(dependencies.pimcore, dependencies.mapping, options.signal)) {
    pimcore.push(entry);
  }
  const medusa: MedusaEntry[] = [];
  for await (const entry of medusaCatalogue(dependencies.medusa, options.signal)) medusa.push(entry);
  const drift = findDrift(pimcore, medusa);
  const counts: Record<DriftKind, number> = { missing: 0, stale: 0, unpublished: 0, conflict: 0 };
  for (const entry of drift) counts[entry.kind] += 1;
  let repairs: RepairResult | undefined;
  if (options.fix) {
    if (dependencies.publisher === undefined) throw new Error('reconcile: fix needs an event publisher');
    repairs = await sendRepairs(drift, dependencies.publisher, runId);
  }
  return {
    runId,
    startedAt: started.toISOString(),
    durationMs: Date.now() - started.getTime(),
    pimcoreProducts: pimcore.length,
    medusaProducts: medusa.length,
    counts,
    drift,
    ...(repairs !== undefined && { repairs }),
  };
}
