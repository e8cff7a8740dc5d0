import {
  DescribeReplayCommand,
  EventBridgeClient,
  ListReplaysCommand,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { PassThrough } from 'node:stream';
import { DETAIL_TYPES, EVENT_SOURCES } from '../../../contracts/events';
import { LOCAL_CREDENTIALS } from '../../../local/s3/s3-emulator';
import { replayCommand } from '../../../scripts/pipeline/replay/replay-command';
import { connect } from '../../../scripts/pipeline/target/resolve-target';
import { synthesizeTemplate } from '../../local/synthesized-template';
import { useLocalAws } from '../../local/use-local-aws';
import { temporaryFolder } from '../run-script';
import { runCli, writeEnvFile } from './run-cli';

const runtime = useLocalAws(() => synthesizeTemplate());
let envFile: string;
let events: EventBridgeClient;
beforeAll(() => {
  envFile = writeEnvFile(temporaryFolder('pipeline-replay-'), env());
  events = new EventBridgeClient({
    region: env().AWS_REGION,
    credentials: LOCAL_CREDENTIALS,
    endpoint: runtime().pipeline.endpoint,
  });
});
afterAll(() => events.destroy());

const env = () => runtime().pipeline.env;
const cli = (...args: string[]) => runCli(['replay', ...args, '--env-file', envFile]);
const json = <T>(stdout: string) => JSON.parse(stdout) as T;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/**
 * The archive keeps every event of the file and a replay's window is the events' own `time`, so each
 * test puts its events at its own hour, well in the past, and replays a window around it.
 */
const hourAgo = (hours: number) => Date.now() - hours * HOUR;
const iso = (time: number) => new Date(time).toISOString();

const REPLAY_NAME = /^pipeline-\d{8}T\d{6}-[0-9a-f]{4}$/;

interface Envelope {
  'detail-type': string;
  'replay-name'?: string;
  id: string;
  time: string;
  detail: { sku: string };
}

/** Every message in the queue, as the raw JSON EventBridge sent (replay-name included), deleted. */
async function drain(url: string): Promise<Envelope[]> {
  const bodies: Envelope[] = [];
  for (;;) {
    const { Messages = [] } = await runtime().sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    if (Messages.length === 0) return bodies;
    for (const message of Messages) {
      bodies.push(JSON.parse(message.Body!) as Envelope);
      await runtime().sqs.send(
        new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle }),
      );
    }
  }
}

const productIngest = () => drain(env().PRODUCT_INGEST_QUEUE_URL);
const medusaSync = () => drain(env().MEDUSA_SYNC_QUEUE_URL);
const skus = (envelopes: Envelope[]) => envelopes.map((envelope) => envelope.detail.sku).sort();

const event = (source: string, detailType: string, sku: string, time: number): PutEventsRequestEntry => ({
  EventBusName: env().PRODUCTS_EVENT_BUS_NAME,
  Source: source,
  DetailType: detailType,
  Detail: JSON.stringify({ sku }),
  Time: new Date(time),
});
const ingested = (sku: string, time: number) =>
  event(EVENT_SOURCES.ingestion, DETAIL_TYPES.productIngested, sku, time);
const published = (sku: string, time: number) =>
  event(EVENT_SOURCES.pimcore, DETAIL_TYPES.productPublished, sku, time);
const unpublished = (sku: string, time: number) =>
  event(EVENT_SOURCES.pimcore, DETAIL_TYPES.productUnpublished, sku, time);

/** Puts the events on the bus (archived, and delivered live), then empties the work queues of them. */
async function putAndDrain(...entries: PutEventsRequestEntry[]): Promise<void> {
  for (let start = 0; start < entries.length; start += 10) {
    const result = await events.send(new PutEventsCommand({ Entries: entries.slice(start, start + 10) }));
    expect(result.FailedEntryCount).toBe(0);
  }
  await productIngest();
  await medusaSync();
}

const medusaRuleArn = () =>
  runtime().pipeline.model.rules.find((rule) => rule.logicalId.startsWith('MessagingMedusaSyncRule'))!.arn;

interface ReplayDocument {
  archive: string;
  replayName: string;
  from: string;
  to: string;
  detailTypes: string[];
  filterArns: string[];
  state: string;
  stateReason?: string;
  replayStartTime: string | null;
  replayEndTime: string | null;
}

describe('npx pipeline replay against the local stack', () => {
  afterEach(() => {
    // The SIGINT handler is there only while a replay is followed.
    expect(process.listeners('SIGINT')).toEqual([]);
  });

  it("re-delivers the window's events to both work queues, with replay-name, and none outside it", async () => {
    const at = hourAgo(10);
    await putAndDrain(
      ingested('before', at - 40 * MINUTE),
      ingested('in-1', at - 10 * MINUTE),
      published('in-2', at),
      ingested('in-3', at + 10 * MINUTE),
      published('after', at + 40 * MINUTE),
    );
    const from = iso(at - 30 * MINUTE);
    const to = iso(at + 30 * MINUTE);

    const run = await cli('--from', from, '--to', to);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain('archive  products-dev-archive (bus products-dev)\n');
    expect(run.stdout).toContain(
      `window   ${from.replace('.000Z', 'Z')}–${to.replace('.000Z', 'Z')} (1h 00m)\n`,
    );
    expect(run.stdout).toMatch(/^replay {3}pipeline-\d{8}T\d{6}-[0-9a-f]{4}: STARTING$/m);
    expect(run.stdout).toMatch(
      new RegExp(
        `^replayed events of ${from.replace('.000Z', 'Z')}–${to.replace('.000Z', 'Z')} \\(state COMPLETED\\) in \\d+(ms|s)$`,
        'm',
      ),
    );
    expect(run.stdout).not.toContain('\u001b[');

    const ingestedAgain = await productIngest();
    const publishedAgain = await medusaSync();
    expect(skus(ingestedAgain)).toEqual(['in-1', 'in-3']);
    expect(skus(publishedAgain)).toEqual(['in-2']);
    const [replayName] = /pipeline-\S+(?=: STARTING)/.exec(run.stdout)!;
    expect(replayName).toMatch(REPLAY_NAME);
    for (const envelope of [...ingestedAgain, ...publishedAgain]) {
      expect(envelope['replay-name']).toBe(replayName);
    }
  });

  it('--detail-type ProductPublished replays only to the medusa-sync rule, which also routes ProductUnpublished', async () => {
    const at = hourAgo(9);
    await putAndDrain(ingested('ingested', at), published('published', at), unpublished('unpublished', at));

    const run = await cli(
      '--from',
      iso(at - MINUTE),
      '--to',
      iso(at + MINUTE),
      '--detail-type',
      'ProductPublished',
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^rule {5}\S+ \(ProductPublished, ProductUnpublished\)$/m);
    expect(run.stdout).toContain('these rules also route ProductUnpublished: replayed too');
    expect(await productIngest()).toEqual([]);
    expect(skus(await medusaSync())).toEqual(['published', 'unpublished']);

    const both = await cli(
      '--from',
      iso(at - MINUTE),
      '--to',
      iso(at + MINUTE),
      '--detail-type',
      'ProductIngested',
      '--detail-type',
      'ProductUnpublished',
      '--json',
    );
    expect(both.code).toBe(0);
    const document = json<ReplayDocument>(both.stdout);
    expect(document.detailTypes).toEqual(['ProductIngested', 'ProductUnpublished']);
    expect(document.filterArns).toHaveLength(2);
    expect(document.filterArns).toContain(medusaRuleArn());
    expect(skus(await productIngest())).toEqual(['ingested']);
    expect(skus(await medusaSync())).toEqual(['published', 'unpublished']);
  });

  it('prints one JSON document with the replay, as DescribeReplay reports it', async () => {
    const at = hourAgo(8);
    await putAndDrain(ingested('json', at));
    const from = new Date(at - MINUTE);
    const to = new Date(at + MINUTE);

    const run = await cli('--from', from.toISOString(), '--to', to.toISOString(), '--json');
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const document = json<ReplayDocument>(run.stdout);
    expect(document).toEqual({
      archive: 'products-dev-archive',
      replayName: expect.stringMatching(REPLAY_NAME),
      from: from.toISOString().replace('.000Z', 'Z'),
      to: to.toISOString().replace('.000Z', 'Z'),
      detailTypes: [],
      filterArns: [],
      state: 'COMPLETED',
      replayStartTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/),
      replayEndTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/),
    });
    const described = await events.send(new DescribeReplayCommand({ ReplayName: document.replayName }));
    expect(described).toMatchObject({
      State: 'COMPLETED',
      EventSourceArn: 'arn:aws:events:us-east-1:000000000000:archive/products-dev-archive',
      EventStartTime: from,
      EventEndTime: to,
      Destination: { Arn: 'arn:aws:events:us-east-1:000000000000:event-bus/products-dev' },
    });
    expect(described.ReplayEndTime!.getTime()).toBe(Date.parse(document.replayEndTime!));
    expect(skus(await productIngest())).toEqual(['json']);
  });

  it('shows how far through the window it is on a terminal: a progress bar on stderr, to 100%', async () => {
    const at = hourAgo(7.5);
    await putAndDrain(ingested('progress', at));
    const terminal = Object.assign(new PassThrough(), { isTTY: true });
    const chunks: Buffer[] = [];
    terminal.on('data', (chunk: Buffer) => chunks.push(chunk));
    const { target, clients } = await connect({ envFile, stage: 'dev' });
    try {
      const code = await replayCommand({ stdout: new PassThrough(), stderr: terminal }, target, clients, {
        from: new Date(at - MINUTE),
        to: new Date(at + MINUTE),
        detailTypes: [],
        wait: true,
        json: false,
      });
      expect(code).toBe(0);
    } finally {
      clients.destroy();
    }
    const bar = Buffer.concat(chunks).toString('utf8');
    expect(bar).toMatch(/replay pipeline-\S+ \(% of the window\) \[=+\] 100\/100/);
    expect(skus(await productIngest())).toEqual(['progress']);
  });

  it('--no-wait answers STARTING at once and leaves the replay running', async () => {
    const at = hourAgo(7);
    await putAndDrain(ingested('no-wait', at));
    const run = await cli('--from', iso(at - MINUTE), '--to', iso(at + MINUTE), '--no-wait', '--json');
    expect(run.code).toBe(0);
    const document = json<ReplayDocument>(run.stdout);
    expect(document).toMatchObject({ state: 'STARTING', replayEndTime: null });

    let state: string | undefined;
    for (let attempt = 0; attempt < 100 && state !== 'COMPLETED'; attempt += 1) {
      ({ State: state } = await events.send(new DescribeReplayCommand({ ReplayName: document.replayName })));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(state).toBe('COMPLETED');
    expect(skus(await productIngest())).toEqual(['no-wait']);

    const human = await cli('--from', '2h', '--to', '1h', '--no-wait');
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^follow it with: aws events describe-replay --replay-name pipeline-\S+$/m);
  });

  it('takes relative times and now, and notes that the last 10 minutes may not be archived yet', async () => {
    const run = await cli('--from', '30m', '--to', 'now', '--json');
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('events of the last 10 minutes may not be archived yet');
    const { from, to } = json<ReplayDocument>(run.stdout);
    // Each option is read at its own instant: --to a moment after --from's.
    expect(Date.parse(to) - Date.parse(from) - 30 * MINUTE).toBeGreaterThanOrEqual(0);
    expect(Date.parse(to) - Date.parse(from) - 30 * MINUTE).toBeLessThan(1000);
    expect(Math.abs(Date.parse(to) - Date.now())).toBeLessThan(10_000);
  });

  it('refuses a window it cannot replay, and a detail type no rule routes, with exit 2 and starts nothing', async () => {
    const replaysBefore = (await events.send(new ListReplaysCommand({}))).Replays!.length;
    const refusals: Array<[string[], string]> = [
      [['--from', 'yesterday', '--to', 'now'], 'a time is an ISO 8601 date-time with its zone'],
      [['--from', '2026-01-01T10:00:00', '--to', 'now'], 'a time is an ISO 8601 date-time with its zone'],
      [['--from', '2026-02-30T10:00:00Z', '--to', 'now'], '2026-02-30T10:00:00Z is not a date and time'],
      [['--from', '1h', '--to', '2h'], 'must be before --to'],
      [['--from', '1h', '--to', '1h'], 'must be before --to'],
      [['--from', '1h', '--to', '2999-01-01T00:00:00Z'], 'is in the future'],
      [['--to', 'now'], "required option '--from <time>' not specified"],
      [
        ['--from', '2h', '--to', '1h', '--detail-type', 'ProductPublished', '--detail-type', 'Nope'],
        'no rule of bus products-dev routes detail type Nope; the rules route: ProductIngested, ProductPublished, ProductUnpublished',
      ],
    ];
    for (const [args, message] of refusals) {
      const run = await cli(...args);
      expect({ args, code: run.code }).toEqual({ args, code: 2 });
      expect(run.stderr).toContain(message);
    }
    const asJson = await cli('--from', '1h', '--to', '2h', '--json');
    expect(asJson.code).toBe(2);
    expect(json(asJson.stdout)).toEqual({ error: expect.stringContaining('must be before --to') });
    expect((await events.send(new ListReplaysCommand({}))).Replays).toHaveLength(replaysBefore);
  });

  it('exits 1 naming the bus when it has no archive', async () => {
    const otherBus = writeEnvFile(temporaryFolder('pipeline-replay-'), {
      ...env(),
      PRODUCTS_EVENT_BUS_NAME: 'default',
    });
    const run = await runCli(['replay', '--from', '2h', '--to', '1h', '--env-file', otherBus, '--json']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('bus default has no archive to replay from');
    expect(json(run.stdout)).toEqual({ error: 'bus default has no archive to replay from' });
  });

  // Last: it fills the archive, which every later replay would read through.
  it('cancels the replay on Ctrl-C while following it, and exits 1', async () => {
    const at = hourAgo(6);
    // Enough events (no rule routes "Bulk", the archive keeps them) that the replay outlasts the cancel.
    for (let batch = 0; batch < 2000; batch += 1) {
      await runtime().pipeline.eventBridge.putEvents(
        Array.from({ length: 10 }, (_, index) => ({
          EventBusName: 'products-dev',
          Source: EVENT_SOURCES.ingestion,
          DetailType: 'Bulk',
          Detail: JSON.stringify({ n: batch * 10 + index }),
          Time: (at + batch) / 1000,
        })),
      );
    }
    // Ctrl-C from the start: it counts once the command follows the replay and listens for it.
    const ctrlC = setInterval(() => process.emit('SIGINT'), 5);
    const run = await cli('--from', iso(at - MINUTE), '--to', iso(at + HOUR)).finally(() =>
      clearInterval(ctrlC),
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/\(state CANCELLING\)/);
    expect(run.stdout).toContain('cancelled on Ctrl-C: the events replayed so far stay delivered');
    const [replayName] = /pipeline-\S+(?=: STARTING)/.exec(run.stdout)!;
    let state: string | undefined;
    for (let attempt = 0; attempt < 100 && state !== 'CANCELLED'; attempt += 1) {
      ({ State: state } = await events.send(new DescribeReplayCommand({ ReplayName: replayName })));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(state).toBe('CANCELLED');
  });
});
