import { SingleBar } from 'cli-progress';
import type { CliIo } from './cli-io';

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

const SILENT: Progress = { update: () => undefined, stop: () => undefined };

/** A progress bar on stderr when it is a terminal and stdout is not reserved for --json; else nothing. */
export function progressBar(io: CliIo, label: string, json: boolean): Progress {
  if (json || !io.stderr.isTTY) return SILENT;
  const bar = new SingleBar({
    format: `${label} [{bar}] {value}/{total}`,
    stream: io.stderr as NodeJS.WriteStream,
    hideCursor: true,
  });
  let started = false;
  return {
    update(done, total) {
      if (!started) bar.start(total, done);
      else bar.setTotal(total);
      started = true;
      bar.update(done);
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}
