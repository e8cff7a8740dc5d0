import type { IngestionOutcome } from './ingestion';
import type { Reconciliation } from './reconcile';

/** What one run made of one file: the table's rows, and the last line of `npm run demo` as JSON. */
export interface RunSummary {
  readonly file: string;
  readonly ingestion: {
    readonly id: string;
    readonly status: string;
    readonly error?: string;
    /** Why the upload was not ingested at all (not an export). */
    readonly skipped?: string;
  };
  readonly productsInFile: number;
  readonly rejected: number;
  /** Reject reason code → count. */
  readonly rejectReasons: Readonly<Record<string, number>>;
  readonly valid: number;
  readonly inPimcore: number;
  readonly published: number;
  readonly inMedusa: number;
  /** DLQ name → messages in it. */
  readonly deadLetterQueues: Readonly<Record<string, number>>;
  readonly deadLettered: Reconciliation['deadLettered'];
  readonly duplicated: readonly string[];
  readonly missing: readonly string[];
  /** From the upload to the last of the file's products landing in Medusa. */
  readonly uploadToLastInMedusaMs: number | null;
  /** Every valid product reached Medusa, none twice. */
  readonly ok: boolean;
}

export function summarize(
  file: string,
  outcome: IngestionOutcome,
  state: Reconciliation,
  deadLetterQueues: Readonly<Record<string, number>>,
): RunSummary {
  const rejectReasons: Record<string, number> = {};
  for (const reject of outcome.rejects)
    rejectReasons[reject.reason] = (rejectReasons[reject.reason] ?? 0) + 1;
  const valid = outcome.products.length;
  return {
    file,
    ingestion: {
      id: outcome.ingestionId,
      status: outcome.status,
      ...(outcome.error === undefined ? {} : { error: outcome.error }),
      ...(outcome.skipped === undefined ? {} : { skipped: outcome.skipped }),
    },
    productsInFile: outcome.summary?.counts.total ?? valid + outcome.rejects.length,
    rejected: outcome.rejects.length,
    rejectReasons,
    valid,
    inPimcore: state.inPimcore,
    published: state.published,
    inMedusa: state.inMedusa,
    deadLetterQueues,
    deadLettered: state.deadLettered,
    duplicated: state.duplicated,
    missing: state.missing,
    uploadToLastInMedusaMs:
      state.lastInMedusaAt === undefined ? null : state.lastInMedusaAt - outcome.upload.uploadedAt,
    ok:
      outcome.status === 'SUCCEEDED' &&
      valid > 0 &&
      state.inMedusa === valid &&
      state.duplicated.length === 0,
  };
}

/** How fast a run carried its products: from the upload to the last of them landing in Medusa. */
export interface Throughput {
  readonly seconds: number;
  readonly productsPerSecond: number;
}

/** Null while none of them is in Medusa. */
export function throughputOf(products: number, uploadedAt: number, state: Reconciliation): Throughput | null {
  if (state.lastInMedusaAt === undefined) return null;
  const seconds = (state.lastInMedusaAt - uploadedAt) / 1000;
  return { seconds: Number(seconds.toFixed(2)), productsPerSecond: Number((products / seconds).toFixed(2)) };
}

/** The summary as a two-column table for people. */
export function summaryTable(summary: RunSummary): string {
  const reasons = Object.entries(summary.rejectReasons)
    .map(([reason, count]) => `${reason} ×${count}`)
    .join(', ');
  const queues = Object.entries(summary.deadLetterQueues).map(
    ([queue, count]) => [`  in DLQ ${queue}`, String(count)] as const,
  );
  const rows: (readonly [string, string])[] = [
    ['file', summary.file],
    [
      'ingestion',
      `${summary.ingestion.id} ${summary.ingestion.status}${summary.ingestion.error ? ` (${summary.ingestion.error})` : ''}${summary.ingestion.skipped ? ` (skipped: ${summary.ingestion.skipped})` : ''}`,
    ],
    ['products in the file', String(summary.productsInFile)],
    ['rejected', summary.rejected === 0 ? '0' : `${summary.rejected} (${reasons})`],
    ['valid', String(summary.valid)],
    ['in Pimcore', String(summary.inPimcore)],
    ['published in Pimcore', String(summary.published)],
    ['in Medusa', String(summary.inMedusa)],
    ...queues,
    ['duplicated', summary.duplicated.length === 0 ? '0' : summary.duplicated.join(', ')],
    ['missing', summary.missing.length === 0 ? '0' : summary.missing.join(', ')],
    [
      'upload → last product in Medusa',
      summary.uploadToLastInMedusaMs === null
        ? '–'
        : `${(summary.uploadToLastInMedusaMs / 1000).toFixed(2)} s`,
    ],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`);
  const letters = summary.deadLettered.map(
    (letter) => `  ${letter.externalId} in ${letter.queue}: ${letter.reason}`,
  );
  return [...lines, ...(letters.length > 0 ? ['dead-lettered products:', ...letters] : [])].join('\n');
}

/** One progress line: where the file's products are right now. */
export function progressLine(state: Reconciliation, elapsedMs: number): string {
  return (
    `[${(elapsedMs / 1000).toFixed(1)} s] Pimcore ${state.inPimcore}/${state.expected} ` +
    `(published ${state.published}) · Medusa ${state.inMedusa}/${state.expected} · ` +
    `DLQ ${state.deadLettered.length} · waiting for ${state.missing.length}`
  );
}
