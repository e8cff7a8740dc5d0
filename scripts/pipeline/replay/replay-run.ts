import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CancelReplayCommand,
  DescribeReplayCommand,
  StartReplayCommand,
  type DescribeReplayCommandOutput,
  type EventBridgeClient,
} from '@aws-sdk/client-eventbridge';
import type { Progress } from '../progress';
import type { BusArchive } from './bus-archive';

export interface ReplayRequest {
  readonly archive: BusArchive;
  readonly from: Date;
  readonly to: Date;
  /** Rule ARNs of the bus; empty: every rule. */
  readonly filterArns: readonly string[];
}

/** Where a replay stands: DescribeReplay's answer, or StartReplay's before the first one. */
export interface ReplayStatus {
  readonly state: string;
  readonly stateReason?: string;
  readonly replayStartTime?: Date;
  readonly replayEndTime?: Date;
}

const POLL_MS = 1000;
const ENDED_STATES: ReadonlySet<string> = new Set(['COMPLETED', 'FAILED', 'CANCELLED']);

/**
 * `pipeline-20261207T101500-3fa2`: when it started (UTC) and 4 random hex digits, so two operators
 * starting in the same second do not collide. AWS's ReplayName: 1 to 64 of [.-_A-Za-z0-9] (API
 * Reference, Replay).
 */
export function replayNameAt(time: Date): string {
  const compact = time.toISOString().slice(0, 19).replace(/[-:]/g, '');
  return `pipeline-${compact}-${randomBytes(2).toString('hex')}`;
}

export async function startReplay(
  eventBridge: EventBridgeClient,
  name: string,
  request: ReplayRequest,
): Promise<ReplayStatus> {
  const { archive, filterArns } = request;
  const started = await eventBridge.send(
    new StartReplayCommand({
      ReplayName: name,
      Description: 'npx pipeline replay',
      EventSourceArn: archive.archiveArn,
      EventStartTime: request.from,
      EventEndTime: request.to,
      // AWS replays only to the bus the archive belongs to.
      Destination: { Arn: archive.busArn, ...(filterArns.length > 0 && { FilterArns: [...filterArns] }) },
    }),
  );
  return { state: started.State ?? 'STARTING', replayStartTime: started.ReplayStartTime };
}

function statusOf(replay: DescribeReplayCommandOutput): ReplayStatus {
  return {
    state: replay.State ?? 'UNKNOWN',
    ...(replay.StateReason && { stateReason: replay.StateReason }),
    replayStartTime: replay.ReplayStartTime,
    replayEndTime: replay.ReplayEndTime,
  };
}

/** How far through the window the replay is: EventLastReplayedTime as a percentage of [from, to]. */
function percentDone(replay: DescribeReplayCommandOutput, from: Date, to: Date): number {
  if (replay.State === 'COMPLETED') return 100;
  const last = replay.EventLastReplayedTime?.getTime();
  if (last === undefined) return 0;
  const share = (last - from.getTime()) / (to.getTime() - from.getTime());
  return Math.min(100, Math.max(0, Math.round(share * 100)));
}

/**
 * DescribeReplay every second until the replay ends. Ctrl-C meanwhile cancels it (CancelReplay) and
 * answers its CANCELLING state with `interrupted`; the SIGINT handler is there only while waiting.
 */
export async function waitForReplay(
  eventBridge: EventBridgeClient,
  name: string,
  window: { readonly from: Date; readonly to: Date },
  progress: Progress,
  pollMs = POLL_MS,
): Promise<{ status: ReplayStatus; interrupted: boolean }> {
  const interrupt = new AbortController();
  const onSigint = () => interrupt.abort();
  process.once('SIGINT', onSigint);
  try {
    for (;;) {
      const replay = await eventBridge.send(new DescribeReplayCommand({ ReplayName: name }));
      progress.update(percentDone(replay, window.from, window.to), 100);
      if (ENDED_STATES.has(replay.State ?? '')) return { status: statusOf(replay), interrupted: false };
      if (!interrupt.signal.aborted) {
        await sleep(pollMs, undefined, { signal: interrupt.signal }).catch(() => undefined);
      }
      if (interrupt.signal.aborted) return await cancel(eventBridge, replay);
    }
  } finally {
    process.removeListener('SIGINT', onSigint);
    progress.stop();
  }
}

async function cancel(
  eventBridge: EventBridgeClient,
  replay: DescribeReplayCommandOutput,
): Promise<{ status: ReplayStatus; interrupted: boolean }> {
  try {
    const { State } = await eventBridge.send(new CancelReplayCommand({ ReplayName: replay.ReplayName }));
    return { status: { ...statusOf(replay), state: State ?? 'CANCELLING' }, interrupted: true };
  } catch (error) {
    // It ended between the last look and the cancel: its own end is the answer.
    if ((error as Error).name !== 'IllegalStatusException') throw error;
    const ended = await eventBridge.send(new DescribeReplayCommand({ ReplayName: replay.ReplayName }));
    return { status: statusOf(ended), interrupted: true };
  }
}
