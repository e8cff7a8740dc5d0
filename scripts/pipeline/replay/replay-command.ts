import { EXIT_OK, EXIT_PROBLEM, humanDuration, paint, writeJson, writeLine, type CliIo } from '../cli-io';
import { progressBar } from '../progress';
import type { AwsClients } from '../target/aws-clients';
import type { PipelineTarget } from '../target/pipeline-target';
import { findBusArchive, type BusArchive } from './bus-archive';
import { replayNameAt, startReplay, waitForReplay, type ReplayStatus } from './replay-run';
import { checkReplayWindow, formatTime, reachesUnarchivedMinutes } from './replay-time';
import { alsoReplayed, listBusRules, rulesRouting, type BusRule } from './rule-filter';

export interface ReplayOptions {
  readonly from: Date;
  readonly to: Date;
  /** Only the rules that route these detail types get the events; empty: every rule of the bus. */
  readonly detailTypes: readonly string[];
  /** False (--no-wait): start the replay and return. */
  readonly wait: boolean;
  readonly json: boolean;
}

/** `pipeline replay --help`, after the options. */
export const REPLAY_HELP = `
Times: an ISO 8601 date-time with its zone (2026-12-07T10:00:00Z, 2026-12-07T11:00+01:00), a time ago
(30m, 2h, 1d), or now. The window is the events' own time; --to may not be in the future. EventBridge
archives an event some time after the bus received it and recommends replaying only events older than
10 minutes: a window reaching into the last 10 minutes may miss some.

The archive is the bus's own (products-<stage>-archive), found through the bus; the replay goes back to
that bus, whose rules deliver the events again (each with a top-level "replay-name"), so the worker gets
them a second time.

--detail-type: StartReplay cannot select events by detail type, only the bus rules that receive them
(Destination.FilterArns). The rules whose event pattern names the type are taken, and each gets every
event of the window it matches: a rule that routes ProductPublished and ProductUnpublished gets both.

Without --no-wait it follows the replay every second (a progress bar on a terminal) until it ends;
Ctrl-C cancels it (CancelReplay; what was replayed stays delivered). Exit 0 when COMPLETED (or started,
with --no-wait), 1 when FAILED, CANCELLED or interrupted, or the bus has no archive.`;

function describeRules(io: CliIo, rules: readonly BusRule[], detailTypes: readonly string[]): void {
  for (const rule of rules) {
    writeLine(io, `${paint(io, 'bold', 'rule')}     ${rule.name} (${rule.detailTypes.join(', ')})`);
  }
  const extra = alsoReplayed(rules, detailTypes);
  if (extra.length > 0) {
    writeLine(io, paint(io, 'yellow', `         these rules also route ${extra.join(', ')}: replayed too`));
  }
}

function replayJson(
  archive: BusArchive,
  name: string,
  options: ReplayOptions,
  filterArns: readonly string[],
  status: ReplayStatus,
) {
  return {
    archive: archive.archiveName,
    replayName: name,
    from: formatTime(options.from),
    to: formatTime(options.to),
    detailTypes: options.detailTypes,
    filterArns,
    state: status.state,
    ...(status.stateReason && { stateReason: status.stateReason }),
    replayStartTime: status.replayStartTime ? formatTime(status.replayStartTime) : null,
    replayEndTime: status.replayEndTime ? formatTime(status.replayEndTime) : null,
  };
}

/**
 * `pipeline replay`: the bus's archived events of a window sent back to the bus (EventBridge
 * StartReplay), optionally only to the rules that route some detail types, followed until the replay
 * ends. The window and the detail types are checked before anything starts (UsageError, exit 2).
 */
export async function replayCommand(
  io: CliIo,
  target: PipelineTarget,
  clients: AwsClients,
  options: ReplayOptions,
): Promise<number> {
  const { from, to, detailTypes } = options;
  checkReplayWindow(from, to);
  const busName = target.outputs.busName;
  // No archive on the bus: NoArchiveError, which runPipelineCli reports with exit 1.
  const archive = await findBusArchive(clients.eventBridge, busName);
  const rules =
    detailTypes.length === 0
      ? []
      : rulesRouting(busName, await listBusRules(clients.eventBridge, busName), detailTypes);
  const filterArns = rules.map((rule) => rule.arn);

  if (reachesUnarchivedMinutes(to)) {
    io.stderr.write(
      'pipeline: note: events of the last 10 minutes may not be archived yet (EventBridge recommends waiting 10 minutes)\n',
    );
  }
  const window = `${formatTime(from)}–${formatTime(to)}`;
  if (!options.json) {
    writeLine(io, `${paint(io, 'bold', 'archive')}  ${archive.archiveName} (bus ${busName})`);
    writeLine(
      io,
      `${paint(io, 'bold', 'window')}   ${window} (${humanDuration(to.getTime() - from.getTime())})`,
    );
    describeRules(io, rules, detailTypes);
  }

  const startedAt = new Date();
  const name = replayNameAt(startedAt);
  const started = await startReplay(clients.eventBridge, name, { archive, from, to, filterArns });
  if (!options.json) writeLine(io, `${paint(io, 'bold', 'replay')}   ${name}: ${started.state}`);
  if (!options.wait) {
    if (options.json) writeJson(io, replayJson(archive, name, options, filterArns, started));
    else writeLine(io, `follow it with: aws events describe-replay --replay-name ${name}`);
    return EXIT_OK;
  }

  const progress = progressBar(io, `replay ${name} (% of the window)`, options.json);
  const { status, interrupted } = await waitForReplay(clients.eventBridge, name, { from, to }, progress);
  if (options.json) writeJson(io, replayJson(archive, name, options, filterArns, status));
  else {
    const took =
      (status.replayEndTime ?? new Date()).getTime() - (status.replayStartTime ?? startedAt).getTime();
    const ended = `replayed events of ${window} (state ${status.state}) in ${humanDuration(took)}`;
    writeLine(io, status.state === 'COMPLETED' ? ended : paint(io, 'red', ended));
    if (status.stateReason) writeLine(io, paint(io, 'red', status.stateReason));
    if (interrupted && status.state !== 'COMPLETED') {
      writeLine(io, 'cancelled on Ctrl-C: the events replayed so far stay delivered');
    }
  }
  return status.state === 'COMPLETED' ? EXIT_OK : EXIT_PROBLEM;
}
