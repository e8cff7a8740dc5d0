import type { IngestResult } from './ingest-file';

/** The last stdout line: what a script or CI job reads. */
export function summaryJson(file: string, result: IngestResult): string {
  const { total, valid, rejected, variants, rejectReasons, canonicalFile, rejectsFile, error } = result;
  return JSON.stringify({
    file,
    total,
    valid,
    rejected,
    variants,
    rejectReasons,
    canonicalFile,
    rejectsFile,
    ...(error ? { error } : {}),
  });
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** The few lines a merchandiser reads on the terminal (stderr, so stdout stays machine-readable). */
export function humanSummary(file: string, result: IngestResult): string {
  const reasons = Object.entries(result.rejectReasons)
    .sort(([, a], [, b]) => b - a)
    .map(([reason, count]) => `${reason} ×${count}`);
  const counts =
    `${plural(result.total, 'product')}: ${result.valid} valid (${plural(result.variants, 'variant')}), ` +
    `${result.rejected} rejected`;
  const lines = result.error
    ? [`${file}: CANNOT BE INGESTED — ${result.error.name}: ${result.error.message}`]
    : [`${file}: ${counts}`];
  // Products read before a fatal error are counted too: they show how far the file is fine.
  if (result.error && result.total > 0) lines.push(`  read before the error: ${counts}`);
  if (reasons.length > 0) lines.push(`  rejected for: ${reasons.join(', ')}`);
  lines.push(`  canonical products: ${result.canonicalFile}`, `  rejects report:     ${result.rejectsFile}`);
  return lines.join('\n');
}
