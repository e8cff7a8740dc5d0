import { styleText } from 'node:util';
import Table from 'cli-table3';

/** Where a command writes: the process's streams, or a test's buffers. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { readonly isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { readonly isTTY?: boolean };
}

export const EXIT_OK = 0;
/** A problem found (a DLQ holds messages, an ingestion failed) or an operation that failed. */
export const EXIT_PROBLEM = 1;

type Style = Parameters<typeof styleText>[0];

/**
 * `text` styled only when `stream` is a terminal (and NO_COLOR is unset): styleText checks the stream
 * it is given, so piped or captured output stays plain.
 */
export function paint(io: CliIo, style: Style, text: string): string {
  return styleText(style, text, { stream: io.stdout as NodeJS.WriteStream });
}

export function writeLine(io: CliIo, text = ''): void {
  io.stdout.write(`${text}\n`);
}

/** `--json`: the one document a command prints on stdout. */
export function writeJson(io: CliIo, document: unknown): void {
  io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
}

/** A table with a bold header; cli-table3's own colours are off, paint() decides. */
export function table(io: CliIo, head: readonly string[], rows: readonly (readonly string[])[]): string {
  const rendered = new Table({
    head: head.map((title) => paint(io, 'bold', title)),
    style: { head: [], border: [] },
    // No rule between rows: a queue or an ingestion per line reads better.
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    wordWrap: true,
  });
  rendered.push(...rows.map((row) => [...row]));
  return rendered.toString();
}

/** "3m 12s", "1h 04m", "850ms": a duration an operator reads at a glance. */
export function humanDuration(milliseconds: number): string {
  if (milliseconds < 1000) return `${Math.round(milliseconds)}ms`;
  const seconds = Math.round(milliseconds / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ${String(minutes % 60).padStart(2, '0')}m`;
  return `${Math.floor(hours / 24)}d ${String(hours % 24).padStart(2, '0')}h`;
}
