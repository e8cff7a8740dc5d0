import { oneLine } from './kind';

/** One row of the probe's table: a kind, what it must do, what it did, and whether that was right. */
export interface TableRow {
  readonly kind: string;
  readonly expected: string;
  readonly seen: string;
  readonly ok: boolean;
}

/** Widest each column may get; a longer cell is cut with "…" (a failed kind's whole `seen` goes to stderr). */
const MAX_WIDTH = { kind: 40, expected: 64, seen: 110 } as const;

const cell = (text: string, width: number) => oneLine(text, width).padEnd(width);

/** `kind | expected | seen | ok` in padded columns, with a header and a rule under it. */
export function probeTable(rows: readonly TableRow[]): string {
  const width = (column: keyof typeof MAX_WIDTH, header: string) =>
    Math.min(MAX_WIDTH[column], Math.max(header.length, ...rows.map((row) => row[column].length)));
  const widths = {
    kind: width('kind', 'kind'),
    expected: width('expected', 'expected'),
    seen: width('seen', 'seen'),
  };
  const line = (kind: string, expected: string, seen: string, ok: string) =>
    [cell(kind, widths.kind), cell(expected, widths.expected), cell(seen, widths.seen), ok].join(' | ');
  return [
    line('kind', 'expected', 'seen', 'ok'),
    [widths.kind, widths.expected, widths.seen, 2].map((size) => '-'.repeat(size)).join('-|-'),
    ...rows.map((row) => line(row.kind, row.expected, row.seen, row.ok ? 'ok' : 'NO')),
  ].join('\n');
}
