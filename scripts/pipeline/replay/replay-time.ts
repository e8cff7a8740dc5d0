import { InvalidArgumentError } from 'commander';
import { UsageError } from '../../cli/command-line';

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** 2026-12-07T10:00Z, 2026-12-07T10:00:00.5+01:00: a date and time with its zone (no zone is ambiguous). */
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/i;

/**
 * A --from/--to value: an ISO 8601 date-time with its zone, `now`, or a time ago (`30m`, `2h`, `1d`).
 * Throws commander's InvalidArgumentError, so a bad value is a usage error (exit 2).
 */
export function parseReplayTime(text: string): Date {
  const now = new Date();
  const trimmed = text.trim();
  if (trimmed === 'now') return now;
  const ago = /^(\d+)([mhd])$/.exec(trimmed);
  if (ago) return new Date(now.getTime() - Number(ago[1]) * UNIT_MS[ago[2] as keyof typeof UNIT_MS]);
  const parts = ISO_DATE_TIME.exec(trimmed);
  if (!parts) {
    throw new InvalidArgumentError(
      'a time is an ISO 8601 date-time with its zone (2026-12-07T10:00:00Z), now, or a time ago (30m, 2h, 1d)',
    );
  }
  // Date.parse rolls 2026-02-30 over to March and takes 24:00; a calendar check refuses both.
  const [year, month, day, hour, minute, second] = parts.slice(1).map((part) => Number(part ?? 0));
  const calendar = new Date(Date.UTC(year, month - 1, day));
  const inCalendar = calendar.getUTCMonth() === month - 1 && calendar.getUTCDate() === day;
  if (!inCalendar || hour > 23 || minute > 59 || second > 59) {
    throw new InvalidArgumentError(`${trimmed} is not a date and time of the calendar`);
  }
  return new Date(Date.parse(trimmed));
}

/**
 * The window must be one the archive can hold: --from before --to, --to not after now (an archive
 * only has events that happened).
 */
export function checkReplayWindow(from: Date, to: Date): void {
  const now = new Date();
  if (from.getTime() >= to.getTime()) {
    throw new UsageError(`--from (${formatTime(from)}) must be before --to (${formatTime(to)})`);
  }
  if (to.getTime() > now.getTime()) {
    throw new UsageError(
      `--to (${formatTime(to)}) is in the future (now is ${formatTime(now)}): the archive holds only past events; use --to now`,
    );
  }
}

/**
 * EventBridge User Guide, "Archiving and replaying events" (eb-archive.html, Event delivery): "There
 * may be a delay between an event being received on an event bus and the event arriving in the archive.
 * We recommend you delay replaying archived events for 10 minutes to make sure all events are replayed."
 */
export const ARCHIVE_DELAY_MS = 10 * 60_000;

/** True when the window reaches into the last minutes, whose events may not be archived yet. */
export function reachesUnarchivedMinutes(to: Date): boolean {
  return to.getTime() > Date.now() - ARCHIVE_DELAY_MS;
}

/** 2026-12-07T10:00:00Z: UTC, milliseconds only when there are some. */
export function formatTime(time: Date): string {
  return time.toISOString().replace('.000Z', 'Z');
}
