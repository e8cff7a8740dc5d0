import * as path from 'node:path';
import { isJsonObject } from '../aws-json/json';
import type { Clock } from '../clock';
import type { ArchiveModel } from '../template/stack-model';
import type { EventEnvelope } from './event-entry';
import { compileEventPattern, type EventMatcher } from './event-pattern';
import { JsonLinesFile } from './json-lines-file';

/** One line of an archive file: the event as targets received it, and when the bus received it. */
interface ArchivedLine {
  readonly archivedAt: number;
  readonly event: EventEnvelope;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * An event archive of the template (EventBridge User Guide, "Archiving and replaying events"): the
 * events of its bus that match its pattern, kept in `<folder>/<archive name>.jsonl`, one line each,
 * never in memory. Only the counts DescribeArchive reports stay in memory.
 */
export class EventArchive {
  private readonly matches: EventMatcher;
  private readonly file: JsonLinesFile;
  private count = 0;
  private bytes = 0;
  readonly creationTime: number;

  constructor(
    readonly model: ArchiveModel,
    folder: string,
    private readonly clock: Clock,
  ) {
    // AWS archives through a managed rule on the bus whose pattern is the archive's plus
    // {"replay-name": [{"exists": false}]}, so replayed events are never archived again (User Guide,
    // "Preventing replayed events from being delivered to an archive").
    this.matches = compileEventPattern({ ...model.eventPattern, 'replay-name': [{ exists: false }] });
    this.file = new JsonLinesFile(path.join(folder, `${model.name}.jsonl`));
    this.creationTime = clock.now();
  }

  /** Where the events are kept (JSON Lines). */
  get filePath(): string {
    return this.file.path;
  }

  /** DescribeArchive's EventCount. */
  get eventCount(): number {
    return this.count;
  }

  /** DescribeArchive's SizeBytes: the UTF-8 size of the archived events as JSON. */
  get sizeBytes(): number {
    return this.bytes;
  }

  /** Archives the event if it matches the archive's pattern; an event of the archive's bus only. */
  offer(event: EventEnvelope): void {
    if (!this.matches(event)) return;
    const json = JSON.stringify(event);
    this.count += 1;
    this.bytes += Buffer.byteLength(json);
    // An ArchivedLine, written without stringifying the event a second time.
    this.file.append(`{"archivedAt":${this.clock.now()},"event":${json}}`);
  }

  /**
   * The archived events whose `time` is in [start, end), in the order they were archived, streamed
   * from the file. StartReplay's window is "determined by the time in the event" and covers events
   * "with a creation time prior to the EventEndTime" (API Reference, Replay). Events kept longer than
   * RetentionDays (0 or absent: indefinitely) are left out, as AWS has deleted them by then.
   */
  async *eventsBetween(start: number, end: number): AsyncGenerator<EventEnvelope> {
    const retention = this.model.retentionDays ? this.model.retentionDays * DAY_MS : Infinity;
    const oldest = this.clock.now() - retention;
    for await (const line of this.file.values()) {
      if (!isArchivedLine(line) || line.archivedAt < oldest) continue;
      const time = Date.parse(line.event.time);
      if (time >= start && time < end) yield line.event;
    }
  }

  close(): void {
    this.file.close();
  }
}

function isArchivedLine(value: unknown): value is ArchivedLine {
  return isJsonObject(value) && typeof value.archivedAt === 'number' && isJsonObject(value.event);
}
