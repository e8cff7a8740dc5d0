import { setImmediate as nextTurn } from 'node:timers/promises';
import { AwsServiceError } from '../aws-json/aws-service-error';
import type { Clock } from '../clock';
import type { EventBusModel, RuleModel } from '../template/stack-model';
import type { EventEnvelope } from './event-entry';
import type { EventArchive } from './event-archive';

/** ReplayState of the API Reference. */
export type ReplayState = 'STARTING' | 'RUNNING' | 'CANCELLING' | 'COMPLETED' | 'CANCELLED' | 'FAILED';

export interface StartReplayRequest {
  readonly replayName: string;
  readonly description?: string;
  /** The archive's ARN. */
  readonly eventSourceArn: string;
  /** Epoch milliseconds. */
  readonly eventStartTime: number;
  readonly eventEndTime: number;
  readonly destination: { readonly arn: string; readonly filterArns?: readonly string[] };
}

/** A replay as DescribeReplay reports it (times in epoch milliseconds). */
export interface Replay extends StartReplayRequest {
  readonly arn: string;
  state: ReplayState;
  stateReason?: string;
  readonly replayStartTime: number;
  replayEndTime?: number;
  eventLastReplayedTime?: number;
}

/** What replays read from and deliver to: the archives, buses and rules of the local EventBridge. */
export interface ReplaySources {
  archive(arn: string): EventArchive | undefined;
  bus(arn: string): EventBusModel | undefined;
  rulesOf(busName: string): readonly RuleModel[];
  /** Evaluates the bus's rules (only `ruleArns` when given) for the event and delivers to their targets. */
  deliver(bus: EventBusModel, event: EventEnvelope, ruleArns?: ReadonlySet<string>): Promise<void>;
}

const ACTIVE: ReadonlySet<ReplayState> = new Set(['STARTING', 'RUNNING']);

/**
 * StartReplay, DescribeReplay, ListReplays and CancelReplay (API Reference). Error codes and messages
 * are AWS's as LocalStack's AWS-validated archive-and-replay tests recorded them, except
 * IllegalStatusException's message (moto's wording) and the FilterArns check (a local addition).
 * StartReplay answers STARTING at once; the replay then streams the archive's events of the window to
 * the destination bus's rules, each with the top-level `replay-name` field AWS adds, through the same
 * delivery as live events.
 */
export class EventReplays {
  private readonly replays = new Map<string, Replay>();
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly sources: ReplaySources,
    private readonly context: { readonly accountId: string; readonly region: string; readonly clock: Clock },
  ) {}

  start(request: StartReplayRequest): Replay {
    const { replayName, eventSourceArn, destination } = request;
    if (this.replays.has(replayName)) {
      throw new AwsServiceError('ResourceAlreadyExistsException', `Replay ${replayName} already exists.`);
    }
    if (request.eventEndTime <= request.eventStartTime) {
      throw invalid('EventEndTime', 'EventStartTime must be before EventEndTime.');
    }
    const archive = this.sources.archive(eventSourceArn);
    if (!archive) {
      // AWS answers ValidationException here, not ResourceNotFoundException (LocalStack's recording).
      throw invalid('EventSourceArn', `Archive ${eventSourceArn.split('/').at(-1)} does not exist.`);
    }
    const bus = this.sources.bus(destination.arn);
    if (!bus) {
      const name = destination.arn.split('/').at(-1);
      throw new AwsServiceError('ResourceNotFoundException', `Event bus ${name} does not exist.`);
    }
    // "you can replay events only to the same event bus that emitted the events" (User Guide).
    if (bus.arn !== archive.model.eventSourceArn) {
      throw invalid('Destination.Arn', 'Cross event bus replay is not permitted.');
    }
    const ruleArns = this.filterOf(bus, destination.filterArns);
    const { accountId, region, clock } = this.context;
    const replay: Replay = {
      ...request,
      arn: `arn:aws:events:${region}:${accountId}:replay/${replayName}`,
      state: 'STARTING',
      replayStartTime: clock.now(),
    };
    this.replays.set(replayName, replay);
    const run = this.run(replay, archive, bus, ruleArns).finally(() => this.running.delete(run));
    this.running.add(run);
    return replay;
  }

  describe(name: string): Replay {
    const replay = this.replays.get(name);
    if (!replay) throw new AwsServiceError('ResourceNotFoundException', `Replay ${name} does not exist.`);
    return replay;
  }

  list(): readonly Replay[] {
    return [...this.replays.values()];
  }

  /** A STARTING or RUNNING replay becomes CANCELLING, then CANCELLED before its next event. */
  cancel(name: string): Replay {
    const replay = this.describe(name);
    if (!ACTIVE.has(replay.state)) {
      throw new AwsServiceError(
        'IllegalStatusException',
        `Replay ${name} is not in a valid state for this operation.`,
      );
    }
    replay.state = 'CANCELLING';
    return replay;
  }

  /** Cancels the replays still running and waits for them to stop (the runtime is stopping). */
  async stop(): Promise<void> {
    for (const replay of this.replays.values()) if (ACTIVE.has(replay.state)) replay.state = 'CANCELLING';
    await Promise.all(this.running);
  }

  /**
   * FilterArns: only these rules of the bus get the replayed events. An ARN that is no rule of the bus
   * is refused here, so a mistyped rule shows at once instead of a replay that delivers nothing.
   */
  private filterOf(bus: EventBusModel, filterArns?: readonly string[]): ReadonlySet<string> | undefined {
    if (filterArns === undefined || filterArns.length === 0) return undefined;
    const known = new Set(this.sources.rulesOf(bus.name).map((rule) => rule.arn));
    const unknown = filterArns.find((arn) => !known.has(arn));
    if (unknown !== undefined) {
      throw new AwsServiceError(
        'ResourceNotFoundException',
        `Rule ${unknown.split('/').at(-1)} does not exist on EventBus ${bus.name}.`,
      );
    }
    return new Set(filterArns);
  }

  private async run(
    replay: Replay,
    archive: EventArchive,
    bus: EventBusModel,
    ruleArns: ReadonlySet<string> | undefined,
  ): Promise<void> {
    const { clock } = this.context;
    try {
      // StartReplay has answered STARTING before any event moves.
      await nextTurn();
      if (replay.state === 'STARTING') replay.state = 'RUNNING';
      for await (const event of archive.eventsBetween(replay.eventStartTime, replay.eventEndTime)) {
        if (replay.state === 'CANCELLING') break;
        await this.sources.deliver(bus, withReplayName(event, replay.replayName), ruleArns);
        replay.eventLastReplayedTime = Date.parse(event.time);
      }
      replay.state = replay.state === 'CANCELLING' ? 'CANCELLED' : 'COMPLETED';
    } catch (error) {
      replay.state = 'FAILED';
      replay.stateReason = error instanceof Error ? error.message : String(error);
    }
    replay.replayEndTime = clock.now();
  }
}

/** The event as AWS replays it: `replay-name` added after `region` (the order AWS sends, as recorded). */
function withReplayName(event: EventEnvelope, replayName: string): EventEnvelope {
  const { resources, detail, ...envelope } = event;
  return { ...envelope, 'replay-name': replayName, resources, detail };
}

function invalid(parameter: string, reason: string): AwsServiceError {
  return new AwsServiceError('ValidationException', `Parameter ${parameter} is not valid. Reason: ${reason}`);
}
