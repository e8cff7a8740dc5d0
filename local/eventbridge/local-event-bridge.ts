import { systemClock, type Clock } from '../clock';
import type { ArchiveModel, EventBusModel, RuleModel } from '../template/stack-model';
import { EventArchive } from './event-archive';
import { checkEntry, entrySize, type EventEnvelope, type PutEventsEntry } from './event-entry';
import { compileEventPattern, type EventMatcher } from './event-pattern';
import { EventReplays } from './event-replays';
import { selectJsonPath } from './target-input';
import {
  DEFAULT_DELIVERY_OPTIONS,
  TargetDelivery,
  type AsyncFunctionInvoker,
  type DeliveryOptions,
  type QueueSender,
  type StateMachineStarter,
} from './target-delivery';

export interface LocalEventBridgeOptions {
  /** The buses (with `default`) and rules of the stack model. */
  readonly eventBuses: readonly EventBusModel[];
  readonly rules: readonly RuleModel[];
  /** The template's archives, and the folder their events are written to (required with archives). */
  readonly archives?: readonly ArchiveModel[];
  readonly archiveDirectory?: string;
  readonly accountId: string;
  readonly region: string;
  readonly queues: QueueSender;
  readonly stateMachines?: StateMachineStarter;
  readonly delivery?: Partial<DeliveryOptions>;
  readonly clock?: Clock;
}

/** One PutEvents result entry: the event id, or why the entry was refused. */
export type PutEventsResultEntry =
  { readonly EventId: string } | { readonly ErrorCode: string; readonly ErrorMessage: string };

export class PutEventsRequestError extends Error {}

const MAX_ENTRIES = 10;
const MAX_REQUEST_BYTES = 256 * 1024;

interface RouteRule {
  readonly rule: RuleModel;
  readonly matches: EventMatcher;
}

/**
 * The event buses of the stack, their rules and archives: PutEvents builds each event, archives it
 * where an archive of its bus matches it, evaluates the enabled rules of its bus and delivers to their
 * targets before answering, so a caller sees the event in the target queue (or its dead-letter queue)
 * as soon as PutEvents returns. `replays` replays archived events to the rules of their bus.
 */
export class LocalEventBridge {
  private readonly busesByName: ReadonlyMap<string, EventBusModel>;
  private readonly rulesByBus = new Map<string, RouteRule[]>();
  private readonly archivesByBus = new Map<string, EventArchive[]>();
  readonly archives: readonly EventArchive[];
  readonly replays: EventReplays;
  private readonly delivery: TargetDelivery;
  private readonly clock: Clock;
  private stateMachines: StateMachineStarter | undefined;
  private functions: AsyncFunctionInvoker | undefined;

  constructor(private readonly options: LocalEventBridgeOptions) {
    this.busesByName = new Map(options.eventBuses.map((bus) => [bus.name, bus]));
    for (const rule of options.rules) {
      checkInputPaths(rule);
      const route = { rule, matches: compileEventPattern(rule.eventPattern) };
      this.rulesByBus.set(rule.eventBusName, [...(this.rulesByBus.get(rule.eventBusName) ?? []), route]);
    }
    this.stateMachines = options.stateMachines;
    this.delivery = new TargetDelivery(
      options.queues,
      () => this.stateMachines,
      { ...DEFAULT_DELIVERY_OPTIONS, ...options.delivery },
      () => this.functions,
    );
    this.clock = options.clock ?? systemClock;
    this.archives = (options.archives ?? []).map((model) => {
      if (!options.archiveDirectory) throw new Error(`Archive ${model.name}: no archive folder was given`);
      return new EventArchive(model, options.archiveDirectory, this.clock);
    });
    for (const archive of this.archives) {
      const bus = archive.model.eventBusName;
      this.archivesByBus.set(bus, [...(this.archivesByBus.get(bus) ?? []), archive]);
    }
    this.replays = new EventReplays(
      {
        archive: (arn) => this.archives.find((archive) => archive.model.arn === arn),
        bus: (arn) => this.findBus(arn),
        rulesOf: (busName) => this.rulesOf(busName),
        deliver: (bus, event, ruleArns) => this.route(bus, event, ruleArns),
      },
      { accountId: options.accountId, region: options.region, clock: this.clock },
    );
  }

  /** Stops running replays and writes out and closes the archive files. */
  async close(): Promise<void> {
    await this.replays.stop();
    for (const archive of this.archives) archive.close();
  }

  /** Attaches the Step Functions runner that state machine targets start executions with. */
  connectStateMachines(starter: StateMachineStarter): void {
    this.stateMachines = starter;
  }

  /** Attaches the Lambdas that Lambda targets invoke asynchronously. */
  connectFunctions(invoker: AsyncFunctionInvoker): void {
    this.functions = invoker;
  }

  get eventBuses(): readonly EventBusModel[] {
    return this.options.eventBuses;
  }

  rulesOf(busName: string): readonly RuleModel[] {
    return (this.rulesByBus.get(busName) ?? []).map(({ rule }) => rule);
  }

  /** The bus an EventBusName (name or ARN) designates in this account and region. */
  findBus(nameOrArn: string): EventBusModel | undefined {
    if (!nameOrArn.startsWith('arn:')) return this.busesByName.get(nameOrArn);
    return this.options.eventBuses.find((bus) => bus.arn === nameOrArn);
  }

  /**
   * PutEvents. Request-level limits (1–10 entries, 256 KB) throw PutEventsRequestError; entry problems
   * are answered per entry. `trustedSource` lets AWS services (S3) use `aws.*` sources.
   */
  async putEvents(
    entries: readonly PutEventsEntry[],
    trustedSource = false,
  ): Promise<PutEventsResultEntry[]> {
    if (entries.length === 0 || entries.length > MAX_ENTRIES) {
      throw new PutEventsRequestError(`PutEvents takes 1 to ${MAX_ENTRIES} entries; got ${entries.length}.`);
    }
    const size = entries.reduce((total, entry) => total + entrySize(entry), 0);
    if (size > MAX_REQUEST_BYTES) {
      throw new PutEventsRequestError(
        `Total size of the entries in the request is over the limit (${size} bytes).`,
      );
    }
    return Promise.all(entries.map((entry) => this.putEntry(entry, trustedSource)));
  }

  /** In-process put for AWS services (S3 "Object Created" on the default bus). */
  async putEvent(
    busName: string,
    entry: Omit<PutEventsEntry, 'EventBusName'>,
  ): Promise<PutEventsResultEntry> {
    const [result] = await this.putEvents([{ ...entry, EventBusName: busName }], true);
    return result;
  }

  private async putEntry(entry: PutEventsEntry, trustedSource: boolean): Promise<PutEventsResultEntry> {
    const { accountId, region } = this.options;
    const checked = checkEntry(entry, { accountId, region, now: this.clock.now(), trustedSource });
    if (!checked.ok) return { ErrorCode: checked.errorCode, ErrorMessage: checked.errorMessage };
    const bus = this.findBus(checked.busName);
    // AWS has been seen to accept events for a bus that does not exist and drop them; locally that
    // mistake is reported, so a misnamed bus shows up at once.
    if (!bus)
      return {
        ErrorCode: 'ResourceNotFoundException',
        ErrorMessage: `Event bus ${checked.busName} does not exist.`,
      };
    await this.route(bus, checked.envelope);
    return { EventId: checked.envelope.id };
  }

  /**
   * The bus's archives, then its enabled matching rules (only `ruleArns` for a replay with FilterArns).
   * Replayed events reach the archives too: their patterns refuse them, as AWS's archive rules do.
   */
  private async route(
    bus: EventBusModel,
    event: EventEnvelope,
    ruleArns?: ReadonlySet<string>,
  ): Promise<void> {
    for (const archive of this.archivesByBus.get(bus.name) ?? []) archive.offer(event);
    const matched = (this.rulesByBus.get(bus.name) ?? []).filter(
      ({ rule, matches }) => rule.enabled && (!ruleArns || ruleArns.has(rule.arn)) && matches(event),
    );
    await Promise.all(
      matched.flatMap(({ rule }) => rule.targets.map((target) => this.delivery.deliver(rule, target, event))),
    );
  }
}

/** A target's InputPath is checked at start-up: a bad one would otherwise fail every delivery. */
function checkInputPaths(rule: RuleModel): void {
  for (const target of rule.targets) {
    if (target.inputPath === undefined) continue;
    try {
      selectJsonPath({}, target.inputPath);
    } catch (error) {
      throw new Error(`Rule ${rule.name}, target ${target.id}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
}
