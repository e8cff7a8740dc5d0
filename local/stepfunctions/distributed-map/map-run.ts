import { randomUUID } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { JSONPath } from 'jsonpath-plus';
import { isJsonObject, type JsonObject, type JsonValue } from '../../aws-json/json';
import type { LocalExecution } from '../local-execution';
import { MapRunRuntimeError, resultWriterFailed, toleratedFailureExceeded } from './errors';
import { pendingRecord, resultEntries, transformationOf, type Transformation } from './execution-record';
import { batches, batchLimits, singleItems, type ChildInput } from './item-batcher';
import { readItems } from './item-reader';
import { selectItem } from './item-selector';
import type { DistributedMapState } from '../prepared-types';
import { nameBasedUuid, type MapRunRequest } from './map-state';
import { ResultFiles } from './result-writer';

/**
 * AWS runs up to 10,000 child executions at once when MaxConcurrency is 0 or absent (state-map-
 * distributed.html). Children run in this one process here, so a Map Run runs at most this many.
 */
export const LOCAL_MAX_CONCURRENCY = 1000;

/** A child execution to start: its ARN, name and state machine as AWS forms them for a Map Run. */
export interface ChildStart {
  readonly arn: string;
  readonly name: string;
  readonly stateMachineArn: string;
  readonly stateMachineName: string;
  readonly input: string;
  readonly map: DistributedMapState;
}

/** What a Map Run needs from the runtime around it. */
export interface MapRunHost {
  /** The parent execution's state machine. */
  readonly stateMachineArn: string;
  /** Aborted when the parent execution ends (stopped, timed out, …): running children are aborted. */
  readonly signal: AbortSignal;
  readonly s3: () => S3Client;
  startChild(start: ChildStart): LocalExecution;
}

interface Tolerance {
  readonly count?: number;
  readonly percentage?: number;
}

/**
 * One Map Run of a Distributed Map (state-map-distributed.html): items from the ItemReader (or the
 * ItemsPath array), each through ItemSelector, grouped by ItemBatcher, run as child executions of the
 * ItemProcessor, at most MaxConcurrency at once. When more items fail than ToleratedFailureCount /
 * ToleratedFailurePercentage allow (by default none), no further child starts and the Map fails with
 * States.ExceedToleratedFailureThreshold (after exporting results, whose unstarted items are PENDING).
 * The result is the children's outputs in item order, or, with a ResultWriter, where they were written.
 */
export async function runMapRun(
  map: DistributedMapState,
  request: MapRunRequest,
  host: MapRunHost,
): Promise<JsonValue> {
  const run = new MapRun(map, request, host);
  return run.execute();
}

class MapRun {
  private readonly id = randomUUID();
  private readonly arn: string;
  private readonly childStateMachineArn: string;
  private readonly evaluated: JsonObject;
  private readonly transformation: Transformation;
  private readonly running = new Set<LocalExecution>();
  private readonly outputs: JsonValue[][] = [];
  private files: ResultFiles | undefined;
  private itemsRead = 0;
  private allItemsRead = false;
  /** How many items there are, once known: at once for an array in the input, at the end for a reader. */
  private totalItems: number | undefined;
  private failedItems = 0;
  private exceeded = false;
  /** A result that could not be written ends the Map Run (States.ResultWriterFailed). */
  private writeError: unknown;

  constructor(
    private readonly map: DistributedMapState,
    private readonly request: MapRunRequest,
    private readonly host: MapRunHost,
  ) {
    // mapRun:<state machine>/<label>:<id>, and the children's state machine <state machine>/<label>.
    this.arn = `${host.stateMachineArn.replace(':stateMachine:', ':mapRun:')}/${map.label}:${this.id}`;
    this.childStateMachineArn = `${host.stateMachineArn}/${map.label}`;
    this.evaluated = request.Evaluated;
    const writer = map.resultWriter;
    this.transformation = transformationOf(writer?.WriterConfig, writer?.Resource !== undefined);
  }

  async execute(): Promise<JsonValue> {
    const destination = this.destination();
    const writerConfig = isJsonObject(this.map.resultWriter?.WriterConfig)
      ? this.map.resultWriter.WriterConfig
      : {};
    if (destination) this.files = await ResultFiles.create(writerConfig.OutputType === 'JSONL');
    try {
      await this.runChildren();
      if (this.host.signal.aborted) throw new Error('The parent execution ended; the Map Run was aborted.');
      if (destination && this.files) {
        const output = await this.files.upload(this.host.s3(), destination, { arn: this.arn, id: this.id });
        if (this.exceeded) throw toleratedFailureExceeded();
        return output;
      }
      if (this.exceeded) throw toleratedFailureExceeded();
      return this.outputs.flat();
    } finally {
      await this.files?.discard();
    }
  }

  private async runChildren(): Promise<void> {
    const slots = new Slots(this.maxConcurrency());
    const tolerance = this.tolerance();
    const children = this.childInputs()[Symbol.asyncIterator]();
    const finishing = new Set<Promise<void>>();
    const stopRunning = () => this.running.forEach((child) => child.stop());
    this.host.signal.addEventListener('abort', stopRunning);
    try {
      for (let index = 0; ; index++) {
        const next = await children.next();
        if (next.done) break;
        await slots.acquire();
        if (this.host.signal.aborted || this.writeError !== undefined) break;
        if (this.exceeded) {
          slots.release();
          await this.writePending(next.value, children);
          break;
        }
        const child = this.start(index, next.value);
        const finished = child.finished
          .then(() => this.record(index, child, next.value.itemCount, tolerance))
          .catch((error: unknown) => {
            this.writeError ??= error;
          })
          .finally(() => {
            this.running.delete(child);
            finishing.delete(finished);
            slots.release();
          });
        finishing.add(finished);
      }
      await Promise.all(finishing);
      if (this.writeError !== undefined) throw this.writeError;
      this.exceeded ||= this.overTolerance(tolerance);
    } catch (error) {
      // A reader or writer failure ends the Map Run: what still runs is aborted.
      stopRunning();
      await Promise.allSettled(finishing);
      throw error;
    } finally {
      this.host.signal.removeEventListener('abort', stopRunning);
      await children.return?.(undefined);
    }
  }

  private start(index: number, child: ChildInput): LocalExecution {
    const name = nameBasedUuid(`${this.id}:${index}`);
    const [prefix, machineName] = splitArn(this.childStateMachineArn);
    // STANDARD children are `execution:<machine>/<label>:<name>` (ResultWriter (Map) examples); EXPRESS
    // ones, like every Express execution, `express:<machine>:<name>:<id>`.
    const arn =
      this.map.executionType === 'STANDARD'
        ? `${prefix}:execution:${machineName}:${name}`
        : `${prefix}:express:${machineName}:${name}:${randomUUID()}`;
    const execution = this.host.startChild({
      arn,
      name,
      stateMachineArn: this.childStateMachineArn,
      stateMachineName: machineName,
      input: JSON.stringify(child.input),
      map: this.map,
    });
    this.running.add(execution);
    return execution;
  }

  private async record(index: number, child: LocalExecution, itemCount: number, tolerance: Tolerance) {
    if (this.host.signal.aborted) return;
    // "the total number of failed or timed out items" (Distributed Map failure thresholds).
    if (child.status === 'FAILED' || child.status === 'TIMED_OUT') this.failedItems += itemCount;
    this.exceeded ||= this.overTolerance(tolerance);
    const entries = resultEntries(child, this.transformation);
    if (!this.files) {
      this.outputs[index] = entries;
      return;
    }
    const status = child.status === 'SUCCEEDED' ? 'SUCCEEDED' : 'FAILED';
    for (const entry of entries) await this.files.add(status, entry).catch(writeFailure);
  }

  /** With a ResultWriter, the items no child ran for are listed as PENDING. */
  private async writePending(first: ChildInput, rest: AsyncIterator<ChildInput>): Promise<void> {
    if (!this.files) return;
    for (
      let next: IteratorResult<ChildInput> = { done: false, value: first };
      !next.done;
      next = await rest.next()
    ) {
      if (this.host.signal.aborted) return;
      await this.files.add('PENDING', pendingRecord(next.value.input)).catch(writeFailure);
    }
  }

  private overTolerance(tolerance: Tolerance): boolean {
    if (tolerance.count !== undefined && this.failedItems > tolerance.count) return true;
    if (tolerance.percentage === undefined || this.failedItems === 0) return false;
    // The percentage is of all the items, known once they are all read (at once for 0 %).
    if (tolerance.percentage === 0) return true;
    const total = this.allItemsRead ? this.itemsRead : this.totalItems;
    return total !== undefined && (this.failedItems / total) * 100 > tolerance.percentage;
  }

  /** ItemSelector is applied to each item, then ItemBatcher groups them (input-output-fields-dist-map). */
  private async *childInputs(): AsyncGenerator<ChildInput> {
    const limits = batchLimits(this.map.itemBatcher, this.evaluated);
    yield* limits ? batches(this.selectedItems(), limits) : singleItems(this.selectedItems());
  }

  private async *selectedItems(): AsyncGenerator<JsonValue> {
    const { Input: mapInput, Context: context } = this.request;
    for await (const value of this.items()) {
      const index = this.itemsRead++;
      yield selectItem(this.map.itemSelector, mapInput, context, { index, value });
    }
    this.allItemsRead = true;
  }

  private items(): AsyncIterable<JsonValue> {
    if (this.map.itemReader) {
      return readItems(
        {
          itemReader: this.map.itemReader,
          parameters: this.evaluated.ItemReaderParameters ?? {},
          maxItems: this.evaluated.MaxItems,
        },
        this.host.s3(),
      );
    }
    const path = this.map.itemsPath ?? '$';
    const items: unknown = JSONPath({ path, json: this.request.Input as object, wrap: false });
    if (!Array.isArray(items)) {
      throw new MapRunRuntimeError(
        `The Map's ItemsPath ${this.map.itemsPath ?? '$'} does not select an array.`,
      );
    }
    this.totalItems = items.length;
    return arrayItems(items);
  }

  private maxConcurrency(): number {
    const value = this.evaluated.MaxConcurrency;
    const limit = typeof value === 'number' && value > 0 ? value : LOCAL_MAX_CONCURRENCY;
    return Math.min(limit, LOCAL_MAX_CONCURRENCY);
  }

  /** Neither given: no failure is tolerated (the percentage defaults to 0). */
  private tolerance(): Tolerance {
    const number = (value: JsonValue | undefined) => (typeof value === 'number' ? value : undefined);
    const count = number(this.evaluated.ToleratedFailureCount);
    const percentage = number(this.evaluated.ToleratedFailurePercentage);
    return count === undefined && percentage === undefined ? { percentage: 0 } : { count, percentage };
  }

  /** ResultWriter Parameters Bucket and Prefix, when results go to S3. */
  private destination(): { bucket: string; prefix: string } | undefined {
    if (this.map.resultWriter?.Resource === undefined) return undefined;
    if (!/^arn:[^:]+:states:::s3:putObject$/.test(String(this.map.resultWriter.Resource))) {
      throw new MapRunRuntimeError(
        `ResultWriter resource ${String(this.map.resultWriter.Resource)} is not emulated.`,
      );
    }
    const parameters = isJsonObject(this.evaluated.ResultWriterParameters)
      ? this.evaluated.ResultWriterParameters
      : {};
    if (typeof parameters.Bucket !== 'string')
      throw resultWriterFailed('ResultWriter Parameters need a Bucket.');
    return {
      bucket: parameters.Bucket,
      prefix: typeof parameters.Prefix === 'string' ? parameters.Prefix : '',
    };
  }
}

async function* arrayItems(items: JsonValue[]): AsyncGenerator<JsonValue> {
  yield* items;
}

function writeFailure(error: unknown): never {
  throw resultWriterFailed(`The results could not be written: ${(error as Error).message}`);
}

/** `arn:aws:states:region:account` and the name after `stateMachine:`. */
function splitArn(stateMachineArn: string): [string, string] {
  const marker = stateMachineArn.indexOf(':stateMachine:');
  return [stateMachineArn.slice(0, marker), stateMachineArn.slice(marker + ':stateMachine:'.length)];
}

/** MaxConcurrency as a counting semaphore: one producer waits, finishing children release. */
class Slots {
  private readonly waiting: (() => void)[] = [];

  constructor(private free: number) {}

  async acquire(): Promise<void> {
    if (this.free > 0) {
      this.free -= 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free += 1;
  }
}
