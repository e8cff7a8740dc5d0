import {
  CancelReplayCommand,
  DescribeArchiveCommand,
  DescribeReplayCommand,
  EventBridgeClient,
  ListArchivesCommand,
  ListReplaysCommand,
  PutEventsCommand,
  StartReplayCommand,
  type PutEventsRequestEntry,
  type StartReplayCommandInput,
} from '@aws-sdk/client-eventbridge';
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { DETAIL_TYPES, EVENT_SOURCES } from '../../../contracts/events';
import { startAwsEndpoint, type AwsEndpoint } from '../../../local/aws-endpoint';
import type { EventArchive } from '../../../local/eventbridge/event-archive';
import { synthesizeTemplate } from '../synthesized-template';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/** The runtime's clock: the real time plus `offset`, so retention can be tested without waiting days. */
let offset = 0;
const clock = { now: () => Date.now() + offset };

let runtime: AwsEndpoint;
let events: EventBridgeClient;
let sqs: SQSClient;
let archiveDirectory: string;

beforeAll(async () => {
  archiveDirectory = mkdtempSync(path.join(tmpdir(), 'archive-replay-test-'));
  runtime = await startAwsEndpoint({
    templatePath: synthesizeTemplate(),
    delivery: { retryDelayMs: 1 },
    archiveDirectory,
    clock,
  });
  events = new EventBridgeClient({ endpoint: runtime.endpoint, region: 'us-east-1', credentials });
  sqs = new SQSClient({ endpoint: runtime.endpoint, region: 'us-east-1', credentials });
});
afterAll(async () => {
  events.destroy();
  sqs.destroy();
  await runtime.stop();
  rmSync(archiveDirectory, { recursive: true, force: true });
});
beforeEach(async () => {
  offset = 0;
  await drain('product-ingest-dev');
  await drain('medusa-sync-dev');
});

const busArn = () => runtime.model.eventBuses.find((bus) => bus.name === 'products-dev')!.arn;
const archive = () => runtime.model.archives[0];
const ruleArn = (logicalIdPrefix: string) =>
  runtime.model.rules.find((rule) => rule.logicalId.startsWith(logicalIdPrefix))!.arn;
const archiveFile = () => path.join(archiveDirectory, `${archive().name}.jsonl`);
const archiveLines = () => readFileSync(archiveFile(), 'utf8').split('\n').filter(Boolean);

/** Every message waiting in the queue, deleted. */
async function drain(queueName: string): Promise<Array<Record<string, unknown>>> {
  const QueueUrl = runtime.model.queues.find((queue) => queue.name === queueName)!.url;
  const bodies: Array<Record<string, unknown>> = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    if (Messages.length === 0) return bodies;
    for (const message of Messages) {
      bodies.push(JSON.parse(message.Body!) as Record<string, unknown>);
      await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message.ReceiptHandle }));
    }
  }
}

const ingested = (sku: string, time?: number): PutEventsRequestEntry => ({
  EventBusName: 'products-dev',
  Source: EVENT_SOURCES.ingestion,
  DetailType: DETAIL_TYPES.productIngested,
  Detail: JSON.stringify({ sku }),
  ...(time === undefined ? {} : { Time: new Date(time) }),
});

const published = (sku: string, time: number): PutEventsRequestEntry => ({
  EventBusName: 'products-dev',
  Source: EVENT_SOURCES.pimcore,
  DetailType: DETAIL_TYPES.productPublished,
  Detail: JSON.stringify({ sku }),
  Time: new Date(time),
});

async function put(...Entries: PutEventsRequestEntry[]): Promise<string[]> {
  const result = await events.send(new PutEventsCommand({ Entries }));
  expect(result.FailedEntryCount).toBe(0);
  return result.Entries!.map((entry) => entry.EventId!);
}

const describeArchive = () => events.send(new DescribeArchiveCommand({ ArchiveName: archive().name }));

const startReplay = (input: Partial<StartReplayCommandInput> & { ReplayName: string }) =>
  events.send(
    new StartReplayCommand({
      EventSourceArn: archive().arn,
      EventStartTime: new Date(Date.now() - HOUR),
      EventEndTime: new Date(),
      Destination: { Arn: busArn() },
      ...input,
    }),
  );

/** DescribeReplay until the replay has ended. */
async function finished(ReplayName: string) {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const replay = await events.send(new DescribeReplayCommand({ ReplayName }));
    if (['COMPLETED', 'FAILED', 'CANCELLED'].includes(replay.State!)) return replay;
    await sleep(10);
  }
  throw new Error(`replay ${ReplayName} did not end`);
}

describe('the archive of the products bus', () => {
  it('is listed and described from the template', async () => {
    const { Archives } = await events.send(new ListArchivesCommand({}));
    expect(Archives).toEqual([
      {
        ArchiveName: 'products-dev-archive',
        EventSourceArn: busArn(),
        State: 'ENABLED',
        RetentionDays: 30,
        SizeBytes: expect.any(Number),
        EventCount: expect.any(Number),
        CreationTime: expect.any(Date),
      },
    ]);
    const described = await describeArchive();
    expect(described).toMatchObject({
      ArchiveArn: 'arn:aws:events:us-east-1:000000000000:archive/products-dev-archive',
      ArchiveName: 'products-dev-archive',
      EventSourceArn: busArn(),
      State: 'ENABLED',
      RetentionDays: 30,
    });
    expect(JSON.parse(described.EventPattern!)).toEqual({
      source: [EVENT_SOURCES.ingestion, EVENT_SOURCES.pimcore],
    });
    const byPrefix = await events.send(new ListArchivesCommand({ NamePrefix: 'other' }));
    expect(byPrefix.Archives).toEqual([]);
  });

  it('archives the events of its bus that match its pattern, one line each in its file', async () => {
    const before = await describeArchive();
    const [ingestId, publishedId] = await put(ingested('A-1'), published('A-2', Date.now()));
    await put(
      { EventBusName: 'products-dev', Source: 'someone.else', DetailType: 'Other', Detail: '{}' },
      { ...ingested('A-3'), EventBusName: 'default' },
    );
    const after = await describeArchive();
    expect(after.EventCount).toBe(before.EventCount! + 2);
    expect(after.SizeBytes).toBeGreaterThan(before.SizeBytes!);
    const lines = archiveLines();
    expect(lines).toHaveLength(after.EventCount!);
    const archived = lines
      .slice(-2)
      .map((line) => JSON.parse(line) as { archivedAt: number; event: { id: string } });
    expect(archived.map((line) => line.event.id)).toEqual([ingestId, publishedId]);
    expect(archived[0].archivedAt).toBeGreaterThan(Date.now() - 60_000);
  });

  it('keeps the events in its file, not in memory', async () => {
    const lineCount = archiveLines().length;
    const count = 2000;
    const padding = 'x'.repeat(500);
    for (let batch = 0; batch < count / 10; batch += 1) {
      const entries = Array.from({ length: 10 }, (_, index) => ({
        EventBusName: 'products-dev',
        Source: EVENT_SOURCES.ingestion,
        // Matched by the archive, by no rule: nothing piles up in a queue either.
        DetailType: 'Bulk',
        Detail: JSON.stringify({ n: batch * 10 + index, padding }),
      }));
      await runtime.eventBridge.putEvents(entries);
    }
    await nextTurn();
    expect(archiveLines()).toHaveLength(lineCount + count);
    expect((await describeArchive()).EventCount).toBe(lineCount + count);
    // The archive and its file object hold counters and a file descriptor: no array grew with the events.
    const productsArchive = runtime.eventBridge.archives[0];
    expect(largestArrayIn(productsArchive)).toBeLessThan(10);
  });
});

describe('replays of the archive', () => {
  it('re-deliver exactly the events of the window to the rules, with replay-name, without archiving them again', async () => {
    const now = Date.now();
    const [, inWindow] = await put(ingested('W-1', now - 3 * HOUR), ingested('W-2', now - 2 * HOUR));
    await put(ingested('W-3', now - HOUR));
    const live = await drain('product-ingest-dev');
    expect(live.map((event) => (event.detail as { sku: string }).sku)).toEqual(['W-1', 'W-2', 'W-3']);
    const original = live[1];
    const archivedBefore = await describeArchive();

    const started = await startReplay({
      ReplayName: 'window',
      EventStartTime: new Date(now - 2.5 * HOUR),
      EventEndTime: new Date(now - 1.5 * HOUR),
    });
    expect(started).toMatchObject({
      ReplayArn: 'arn:aws:events:us-east-1:000000000000:replay/window',
      State: 'STARTING',
      ReplayStartTime: expect.any(Date),
    });

    const replay = await finished('window');
    expect(replay).toMatchObject({
      ReplayName: 'window',
      ReplayArn: started.ReplayArn,
      State: 'COMPLETED',
      EventSourceArn: archive().arn,
      Destination: { Arn: busArn() },
      EventStartTime: new Date(now - 2.5 * HOUR),
      EventEndTime: new Date(now - 1.5 * HOUR),
      EventLastReplayedTime: new Date(Date.parse(original.time as string)),
      ReplayStartTime: expect.any(Date),
      ReplayEndTime: expect.any(Date),
    });

    const replayed = await drain('product-ingest-dev');
    expect(replayed).toEqual([{ ...original, 'replay-name': 'window' }]);
    expect(replayed[0].id).toBe(inWindow);
    // AWS sends replay-name between region and resources.
    expect(Object.keys(replayed[0])).toEqual([
      'version',
      'id',
      'detail-type',
      'source',
      'account',
      'time',
      'region',
      'replay-name',
      'resources',
      'detail',
    ]);
    expect(await drain('medusa-sync-dev')).toEqual([]);
    const archivedAfter = await describeArchive();
    expect(archivedAfter.EventCount).toBe(archivedBefore.EventCount);
    expect(archiveLines()).toHaveLength(archivedBefore.EventCount!);
  });

  it('reach only the FilterArns rules when given', async () => {
    const time = Date.now() - 10 * HOUR;
    await put(ingested('F-1', time), published('F-2', time));
    await drain('product-ingest-dev');
    await drain('medusa-sync-dev');

    await startReplay({
      ReplayName: 'only-medusa',
      EventStartTime: new Date(time - HOUR),
      EventEndTime: new Date(time + HOUR),
      Destination: { Arn: busArn(), FilterArns: [ruleArn('MessagingMedusaSyncRule')] },
    });
    const replay = await finished('only-medusa');
    expect(replay.Destination).toEqual({ Arn: busArn(), FilterArns: [ruleArn('MessagingMedusaSyncRule')] });

    const medusa = await drain('medusa-sync-dev');
    expect(medusa).toEqual([
      expect.objectContaining({ 'replay-name': 'only-medusa', detail: { sku: 'F-2' } }),
    ]);
    expect(await drain('product-ingest-dev')).toEqual([]);
  });

  it('leave out events kept longer than RetentionDays', async () => {
    const time = Date.now() - 20 * HOUR;
    await put(ingested('R-1', time));
    await drain('product-ingest-dev');
    const window = { EventStartTime: new Date(time - HOUR), EventEndTime: new Date(time + HOUR) };
    await startReplay({ ReplayName: 'kept', ...window });
    await finished('kept');
    expect(await drain('product-ingest-dev')).toEqual([expect.objectContaining({ detail: { sku: 'R-1' } })]);

    // 31 days later the archive (RetentionDays 30) no longer has the event.
    offset = 31 * DAY;
    await startReplay({ ReplayName: 'expired', ...window });
    expect((await finished('expired')).State).toBe('COMPLETED');
    expect(await drain('product-ingest-dev')).toEqual([]);
  });

  it('are listed, and stop at CancelReplay', async () => {
    // Started and cancelled in the same turn, before the replay reads its first event: an HTTP
    // CancelReplay could arrive after a replay this small has ended.
    const replays = runtime.eventBridge.replays;
    replays.start({
      replayName: 'cancelled',
      eventSourceArn: archive().arn,
      eventStartTime: 0,
      eventEndTime: Date.now(),
      destination: { arn: busArn() },
    });
    expect(replays.cancel('cancelled').state).toBe('CANCELLING');
    expect((await finished('cancelled')).State).toBe('CANCELLED');
    expect(await drain('product-ingest-dev')).toEqual([]);

    const { Replays } = await events.send(new ListReplaysCommand({ NamePrefix: 'cancel' }));
    expect(Replays).toEqual([
      {
        ReplayName: 'cancelled',
        EventSourceArn: archive().arn,
        State: 'CANCELLED',
        EventStartTime: new Date(0),
        EventEndTime: expect.any(Date),
        ReplayStartTime: expect.any(Date),
        ReplayEndTime: expect.any(Date),
      },
    ]);
    const completed = await events.send(new ListReplaysCommand({ State: 'COMPLETED' }));
    expect(completed.Replays!.map((replay) => replay.ReplayName)).toEqual(
      expect.arrayContaining(['window', 'only-medusa']),
    );
  });

  it('answer with the errors AWS answers', async () => {
    const error = (promise: Promise<unknown>) =>
      promise.then(
        () => undefined,
        (caught: Error) => ({ name: caught.name, message: caught.message }),
      );
    await startReplay({ ReplayName: 'taken' });
    await finished('taken');
    expect(await error(startReplay({ ReplayName: 'taken' }))).toEqual({
      name: 'ResourceAlreadyExistsException',
      message: 'Replay taken already exists.',
    });
    const now = Date.now();
    for (const end of [now - HOUR, now]) {
      expect(
        await error(
          startReplay({
            ReplayName: 'backwards',
            EventStartTime: new Date(now),
            EventEndTime: new Date(end),
          }),
        ),
      ).toEqual({
        name: 'ValidationException',
        message: 'Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.',
      });
    }
    const defaultBus = runtime.model.eventBuses.find((bus) => bus.name === 'default')!.arn;
    expect(await error(startReplay({ ReplayName: 'elsewhere', Destination: { Arn: defaultBus } }))).toEqual({
      name: 'ValidationException',
      message: 'Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.',
    });
    expect(
      await error(startReplay({ ReplayName: 'nowhere', Destination: { Arn: `${defaultBus}-missing` } })),
    ).toEqual({ name: 'ResourceNotFoundException', message: 'Event bus default-missing does not exist.' });
    // AWS answers an unknown archive with ValidationException (as recorded against AWS), not ResourceNotFound.
    expect(
      await error(startReplay({ ReplayName: 'no-archive', EventSourceArn: `${archive().arn}-missing` })),
    ).toEqual({
      name: 'ValidationException',
      message:
        'Parameter EventSourceArn is not valid. Reason: Archive products-dev-archive-missing does not exist.',
    });
    expect(
      await error(
        startReplay({
          ReplayName: 'no-rule',
          Destination: { Arn: busArn(), FilterArns: [`${ruleArn('MessagingMedusaSyncRule')}-missing`] },
        }),
      ),
    ).toMatchObject({ name: 'ResourceNotFoundException' });
    expect(await error(events.send(new DescribeReplayCommand({ ReplayName: 'unknown' })))).toEqual({
      name: 'ResourceNotFoundException',
      message: 'Replay unknown does not exist.',
    });
    expect(await error(events.send(new DescribeArchiveCommand({ ArchiveName: 'unknown' })))).toEqual({
      name: 'ResourceNotFoundException',
      message: 'Archive unknown does not exist.',
    });
    expect(await error(events.send(new CancelReplayCommand({ ReplayName: 'taken' })))).toMatchObject({
      name: 'IllegalStatusException',
    });
    // None of the refused replays was created.
    const { Replays } = await events.send(new ListReplaysCommand({}));
    expect(Replays!.map((replay) => replay.ReplayName)).not.toContain('backwards');
  });
});

/** The longest array among the own properties of `value`, two levels deep (the archive and its file). */
function largestArrayIn(archive: EventArchive): number {
  let largest = 0;
  const visit = (value: unknown, depth: number) => {
    if (Array.isArray(value)) largest = Math.max(largest, value.length);
    if (depth === 0 || typeof value !== 'object' || value === null) return;
    for (const property of Object.values(value)) visit(property, depth - 1);
  };
  visit(archive, 3);
  return largest;
}
