import { execFile } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { once } from 'node:events';
import { request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import type Redis from 'ioredis';
import { request } from 'undici';
import type { EventBridgeEnvelope } from '../../../contracts/eventbridge-envelope';
import { productPublicationDetailSchema } from '../../../contracts/product-publication';
import { PimcoreSimulator } from '../../../local/pimcore-simulator';
import { startAwsEndpoint, type AwsEndpoint } from '../../../local/aws-endpoint';
import { EVENT_BRIDGE, REDIS } from '../../../nest-worker/src/config/injection-tokens';
import { MAX_WEBHOOK_BODY_BYTES } from '../../../nest-worker/src/webhook/pimcore-webhook.controller';
import { signPimcoreWebhook } from '../../../nest-worker/src/webhook/pimcore-signature';
import { drainEnvelopes } from '../../local/event-queue';
import { synthesizeTemplate } from '../../local/synthesized-template';
import { connectTestRedis } from '../redis-helpers';
import { startWorkerApp, TEST_WEBHOOK_SECRETS, workerEnv, type WorkerApp } from '../worker-fixture';
import { LOCAL_AWS_ENV, waitUntil } from '../worker-harness';

const [CURRENT_SECRET, RETIRING_SECRET] = TEST_WEBHOOK_SECRETS;
const LISTENER_SENDER = path.join(__dirname, '../../../pimcore/webhook-listener/bin/send-webhook.php');
/** Datahub Webhooks' static credential (token mode is on in this worker). */
const DATAHUB_TOKEN = 'datahub-webhooks-token-0123456789abcdef';
const TOKEN_MAX_AGE_SECONDS = 600;

/** The stack's own bus and rule (products → medusa-sync), emulated: an accepted event lands in the queue. */
let runtime: AwsEndpoint;
let pimcore: PimcoreSimulator;
let worker: WorkerApp;
let sqs: SQSClient;

beforeAll(async () => {
  runtime = await startAwsEndpoint({ templatePath: synthesizeTemplate() });
  const outputs = runtime.model.outputs;
  pimcore = await PimcoreSimulator.start();
  const queues = {
    server: { endpoint: runtime.endpoint },
    queueUrl: outputs.ProductIngestQueueUrl,
    deadLetterQueueUrl: outputs.ProductIngestDlqUrl,
  };
  worker = await startWorkerApp(
    workerEnv(queues, pimcore, {
      PRODUCTS_EVENT_BUS_NAME: outputs.EventBusName,
      REDIS_KEY_NAMESPACE: runId,
      // One event per accepted delivery: no relay consumer reads these objects here, so a coalescing
      // mark would hold every later webhook of an object back (relay-coalescing.test.ts tests that).
      WORKER_RELAY_COALESCE_SECONDS: '0',
      PIMCORE_WEBHOOK_TOKENS: DATAHUB_TOKEN,
      PIMCORE_WEBHOOK_TOKEN_MAX_AGE_SECONDS: String(TOKEN_MAX_AGE_SECONDS),
    }),
  );
  sqs = new SQSClient({
    endpoint: runtime.endpoint,
    region: LOCAL_AWS_ENV.AWS_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  // Until the worker's Redis connection is up, the webhook answers 503 (it cannot record a delivery).
  const redis = worker.app.get<Redis>(REDIS);
  await waitUntil('the worker is connected to Redis', () => Promise.resolve(redis.status === 'ready'));
});

afterAll(async () => {
  sqs?.destroy();
  await worker?.app.close();
  await pimcore?.stop();
  await runtime?.stop();
});

/** This run's REDIS_KEY_NAMESPACE and delivery ids; their keys in the shared Redis are removed afterwards. */
const runId = `webhook-test-${Date.now()}-${randomInt(1000, 10_000)}`;
let deliveries = 0;
const nextDeliveryId = () => `${runId}-${++deliveries}`;
const deliveryKey = (deliveryId: string) => `pipeline:{webhook:pimcore:${runId}:${deliveryId}}:delivery`;
afterAll(async () => {
  const redis = connectTestRedis();
  const keys: string[] = [];
  for await (const batch of redis.scanStream({ match: deliveryKey('*') })) keys.push(...(batch as string[]));
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

interface Delivery {
  readonly secret?: string;
  readonly timestamp?: string;
  readonly signature?: string;
  /** null: no X-Pimcore-Delivery header. */
  readonly deliveryId?: string | null;
}

interface WebhookResponse {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly retryAfter: string | string[] | undefined;
}

/** POSTs a body to the webhook signed as Pimcore signs it, unless `delivery` says otherwise. */
async function deliver(body: string | object, delivery: Delivery = {}): Promise<WebhookResponse> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  return post(signedHeaders(raw, delivery), raw);
}

/** The headers of the signed scheme for `raw`; the delivery id is signed too. */
function signedHeaders(raw: string, delivery: Delivery = {}): Record<string, string> {
  const timestamp = delivery.timestamp ?? String(Math.floor(Date.now() / 1000));
  const deliveryId = delivery.deliveryId === undefined ? nextDeliveryId() : delivery.deliveryId;
  const secret = delivery.secret ?? CURRENT_SECRET;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-pimcore-timestamp': timestamp,
    'x-pimcore-signature':
      delivery.signature ??
      signPimcoreWebhook(secret, { timestamp, deliveryId: deliveryId ?? '', rawBody: raw }),
  };
  if (deliveryId !== null) headers['x-pimcore-delivery'] = deliveryId;
  return headers;
}

async function post(headers: Record<string, string>, body: string | Readable): Promise<WebhookResponse> {
  const response = await request(`${worker.baseUrl}/webhooks/pimcore`, { method: 'POST', headers, body });
  return {
    status: response.statusCode,
    body: (await response.body.json()) as Record<string, unknown>,
    retryAfter: response.headers['retry-after'],
  };
}

/** The samples of /metrics, by series (`name{labels}`). */
async function scrapeMetrics(): Promise<Map<string, number>> {
  const text = await (await request(`${worker.baseUrl}/metrics`)).body.text();
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    const sample = /^(\w+(?:\{.*\})?) (\S+)$/.exec(line);
    if (sample) samples.set(sample[1], Number(sample[2]));
  }
  return samples;
}

/** What was added between two scrapes to the series of `metric`, by their outcome label (only the changed ones). */
function addedByOutcome(
  before: Map<string, number>,
  after: Map<string, number>,
  metric: string,
): Record<string, number> {
  const added: Record<string, number> = {};
  for (const [series, value] of after) {
    const outcome = new RegExp(`^${metric}\\{(?:.*,)?outcome="([^"]*)"`).exec(series)?.[1];
    const delta = value - (before.get(series) ?? 0);
    if (outcome !== undefined && delta !== 0) added[outcome] = delta;
  }
  return added;
}

/**
 * Runs `act` (requests to the webhook) and expects it to have counted exactly `outcomes` in
 * pipeline_webhook_requests_total, and timed as many replies in pipeline_webhook_duration_seconds.
 */
async function expectCounted<T>(outcomes: Record<string, number>, act: () => Promise<T>): Promise<T> {
  const before = await scrapeMetrics();
  const result = await act();
  const after = await scrapeMetrics();
  expect({
    requests: addedByOutcome(before, after, 'pipeline_webhook_requests_total'),
    timed: addedByOutcome(before, after, 'pipeline_webhook_duration_seconds_count'),
  }).toEqual({ requests: outcomes, timed: outcomes });
  return result;
}

/** Every event the bus delivered to medusa-sync since the last call (deleted as read). */
function eventsOnTheBus(): Promise<EventBridgeEnvelope[]> {
  return drainEnvelopes(sqs, runtime.model.outputs.MedusaSyncQueueUrl);
}

/** A Datahub Webhooks body as documented ("Example Requests"), of a Product unless `subject` says otherwise. */
const datahubBody = (
  eventName: string,
  subject: Record<string, unknown>,
  general: Record<string, unknown> = {},
) => ({
  general: {
    eventName,
    timestamp: Math.floor(Date.now() / 1000),
    subjectType: 'object',
    versionOnly: false,
    ...general,
  },
  subject: { type: 'Product', ...subject },
});

describe('POST /webhooks/pimcore (worker app, local EventBridge with the stack rule to medusa-sync)', () => {
  it.each([
    [
      'Datahub postUpdate, published → ProductPublished',
      datahubBody('pimcore.dataobject.postUpdate', {
        id: 101,
        published: true,
        'External ID (externalId)': 'shein:1',
      }),
      'ProductPublished',
      { pimcoreId: 101, externalId: 'shein:1' },
    ],
    [
      'Datahub postAdd, published → ProductPublished',
      datahubBody('pimcore.dataobject.postAdd', { id: 102, published: true }),
      'ProductPublished',
      { pimcoreId: 102 },
    ],
    [
      'Datahub postUpdate, unpublished → ProductUnpublished',
      datahubBody('pimcore.dataobject.postUpdate', { id: 103, published: false }),
      'ProductUnpublished',
      { pimcoreId: 103 },
    ],
    [
      'Datahub postDelete → ProductUnpublished',
      datahubBody('pimcore.dataobject.postDelete', { id: 104 }),
      'ProductUnpublished',
      { pimcoreId: 104 },
    ],
    [
      'minimal published → ProductPublished',
      { event: 'product.published', id: 105 },
      'ProductPublished',
      { pimcoreId: 105 },
    ],
    [
      'minimal unpublished → ProductUnpublished',
      { event: 'product.unpublished', id: '106', externalId: 'shein:6' },
      'ProductUnpublished',
      { pimcoreId: 106, externalId: 'shein:6' },
    ],
  ])('%s: 202 and exactly one event on the bus', async (_name, body, detailType, expected) => {
    const deliveryId = nextDeliveryId();
    const response = await expectCounted({ accepted: 1 }, () => deliver(body, { deliveryId }));

    expect(response).toMatchObject({ status: 202, body: { accepted: true, eventId: expect.any(String) } });
    const events = await eventsOnTheBus();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      id: response.body.eventId,
      source: 'product-pipeline.pimcore',
      'detail-type': detailType,
    });
    const detail = productPublicationDetailSchema.parse(events[0].detail);
    expect(detail).toEqual({ ...expected, deliveryId, receivedAt: expect.any(String) });
  });

  it('puts a redelivered webhook on the bus once (200 duplicate, same event id)', async () => {
    const deliveryId = nextDeliveryId();
    const body = { event: 'product.published', id: 201 };
    const first = await expectCounted({ accepted: 1 }, () => deliver(body, { deliveryId }));
    const again = await expectCounted({ duplicate: 1 }, () => deliver(body, { deliveryId }));

    expect(first.status).toBe(202);
    expect(again).toMatchObject({ status: 200, body: { duplicate: true, eventId: first.body.eventId } });
    expect(await eventsOnTheBus()).toHaveLength(1);
    // Recorded under the worker's REDIS_KEY_NAMESPACE.
    const redis = worker.app.get<Redis>(REDIS);
    expect(await redis.get(deliveryKey(deliveryId))).toBe(`done:${String(first.body.eventId)}`);
  });

  it('accepts the retiring secret during a rotation', async () => {
    const response = await expectCounted({ accepted: 1 }, () =>
      deliver({ event: 'product.published', id: 202 }, { secret: RETIRING_SECRET }),
    );
    expect(response.status).toBe(202);
    expect(await eventsOnTheBus()).toHaveLength(1);
  });

  const now = () => Math.floor(Date.now() / 1000);
  const validSignature = (timestamp: string) =>
    signPimcoreWebhook(CURRENT_SECRET, {
      timestamp,
      deliveryId: 'any',
      rawBody: JSON.stringify({ event: 'product.published', id: 301 }),
    });
  it.each<[string, () => Delivery, string]>([
    ['a wrong secret', () => ({ secret: 'an-unknown-secret-0123456789abcdefgh' }), 'signature-mismatch'],
    ['a stale timestamp', () => ({ timestamp: String(now() - 301) }), 'stale-timestamp'],
    ['a future timestamp', () => ({ timestamp: String(now() + 301) }), 'future-timestamp'],
    [
      'a truncated signature',
      () => ({ signature: validSignature(String(now())).slice(0, -2) }),
      'malformed-signature',
    ],
    ['a non-hex signature', () => ({ signature: `sha256=${'z'.repeat(64)}` }), 'malformed-signature'],
    ['no signature', () => ({ signature: '' }), 'missing-signature'],
    ['no timestamp', () => ({ timestamp: '' }), 'missing-timestamp'],
  ])(
    'refuses %s with 401, naming the problem, and puts nothing on the bus',
    async (_name, delivery, problem) => {
      const response = await expectCounted({ unauthorized: 1 }, () =>
        deliver({ event: 'product.published', id: 301 }, delivery()),
      );

      expect(response).toEqual({
        status: 401,
        body: { error: 'not authenticated', problem },
        retryAfter: undefined,
      });
      expect(JSON.stringify(response.body)).not.toContain(CURRENT_SECRET);
      expect(await eventsOnTheBus()).toEqual([]);
    },
  );

  it('refuses a captured signed request resent under a new delivery id (401, nothing on the bus)', async () => {
    const raw = JSON.stringify({ event: 'product.published', id: 304 });
    const captured = signedHeaders(raw);
    const first = await expectCounted({ accepted: 1 }, () => post(captured, raw));
    expect(first.status).toBe(202);
    expect(await eventsOnTheBus()).toHaveLength(1);

    const replayed = { ...captured, 'x-pimcore-delivery': nextDeliveryId() };
    const replay = await expectCounted({ unauthorized: 1 }, () => post(replayed, raw));
    expect(replay).toMatchObject({ status: 401, body: { problem: 'signature-mismatch' } });
    expect(await eventsOnTheBus()).toEqual([]);
  });

  describe('the shipped Pimcore listener (pimcore/webhook-listener, PHP)', () => {
    /** Its own command-line sender: the listener's request factory, signer and body, over PHP's HTTP. */
    // Asynchronous: the worker answering it runs in this process.
    const sendWithPhp = async (...args: string[]) => {
      const { stdout } = await promisify(execFile)(
        'php',
        [LISTENER_SENDER, ...args, `${worker.baseUrl}/webhooks/pimcore`],
        { env: { ...process.env, PRODUCT_PIPELINE_WEBHOOK_SECRET: CURRENT_SECRET }, encoding: 'utf8' },
      );
      const sent = JSON.parse(stdout) as { deliveryId: string; status: number; answer: string };
      return { ...sent, answer: JSON.parse(sent.answer) as Record<string, unknown> };
    };

    it('is accepted, puts one event on the bus, and its retry of the same delivery is a duplicate', async () => {
      const sent = await expectCounted({ accepted: 1 }, () =>
        sendWithPhp('--id=801', '--external-id=shein:801', '--published=true', '--event=postUpdate'),
      );
      expect(sent).toMatchObject({ status: 202, answer: { accepted: true } });
      const retried = await expectCounted({ duplicate: 1 }, () =>
        sendWithPhp('--id=801', '--external-id=shein:801', `--delivery-id=${sent.deliveryId}`),
      );
      expect(retried).toMatchObject({
        status: 200,
        answer: { duplicate: true, eventId: sent.answer.eventId },
      });

      const events = await eventsOnTheBus();
      expect(events.map((event) => [event['detail-type'], event.detail])).toEqual([
        [
          'ProductPublished',
          {
            pimcoreId: 801,
            externalId: 'shein:801',
            deliveryId: sent.deliveryId,
            receivedAt: expect.any(String),
          },
        ],
      ]);
    });

    it('tells an unpublish and a delete, and the worker ignores another class', async () => {
      await sendWithPhp('--id=802', '--published=false');
      await sendWithPhp('--id=803', '--event=postDelete');
      const other = await sendWithPhp('--id=804', '--class=Category');
      expect(other).toMatchObject({ status: 200, answer: { ignored: 'class Category is not Product' } });
      const events = await eventsOnTheBus();
      expect(
        events.map((event) => [event['detail-type'], (event.detail as { pimcoreId: number }).pimcoreId]),
      ).toEqual([
        ['ProductUnpublished', 802],
        ['ProductUnpublished', 803],
      ]);
    });
  });

  describe('Datahub Webhooks (token mode)', () => {
    const published = (id: number, general: Record<string, unknown> = {}) =>
      JSON.stringify(
        datahubBody(
          'pimcore.dataobject.postUpdate',
          {
            id,
            path: `/Products/Shein/shein-${id}`,
            'External ID (externalId)': `shein:${id}`,
            published: true,
          },
          general,
        ),
      );
    const bearer = { 'content-type': 'application/json', authorization: `Bearer ${DATAHUB_TOKEN}` };
    const basic = {
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from(`pimcore:${DATAHUB_TOKEN}`).toString('base64')}`,
    };

    it('accepts a documented body with a bearer token; the same bytes again are a duplicate', async () => {
      const raw = published(701);
      const first = await expectCounted({ accepted: 1 }, () => post(bearer, raw));
      const again = await expectCounted({ duplicate: 1 }, () => post(bearer, raw));

      expect(first).toMatchObject({ status: 202, body: { accepted: true } });
      expect(again).toMatchObject({ status: 200, body: { duplicate: true, eventId: first.body.eventId } });
      const events = await eventsOnTheBus();
      expect(events).toHaveLength(1);
      expect(productPublicationDetailSchema.parse(events[0].detail)).toEqual({
        pimcoreId: 701,
        externalId: 'shein:701',
        deliveryId: expect.stringMatching(/^datahub-[0-9a-f]{40}$/),
        receivedAt: expect.any(String),
      });
    });

    it('accepts the token as the password of basic credentials (credentials in the URL)', async () => {
      const response = await expectCounted({ accepted: 1 }, () => post(basic, published(702)));
      expect(response.status).toBe(202);
      expect(await eventsOnTheBus()).toHaveLength(1);
    });

    it('uses the sender’s X-Pimcore-Delivery when it sends one', async () => {
      const deliveryId = nextDeliveryId();
      await expectCounted({ accepted: 1 }, () =>
        post({ ...bearer, 'x-pimcore-delivery': deliveryId }, published(703)),
      );
      const [event] = await eventsOnTheBus();
      expect(event.detail).toMatchObject({ deliveryId });
    });

    it.each<[string, Record<string, string>, () => string, string]>([
      [
        'a wrong token',
        { authorization: 'Bearer not-the-token-0123456789abcdef01234' },
        () => published(704),
        'token-mismatch',
      ],
      ['no credentials', {}, () => published(705), 'missing-credentials'],
      [
        'an event older than the window',
        bearer,
        () => published(706, { timestamp: Math.floor(Date.now() / 1000) - TOKEN_MAX_AGE_SECONDS - 5 }),
        'stale-event',
      ],
      [
        'an event from the future',
        bearer,
        () => published(707, { timestamp: Math.floor(Date.now() / 1000) + 600 }),
        'future-event',
      ],
      [
        'an event without general.timestamp',
        bearer,
        () => published(708, { timestamp: undefined }),
        'missing-event-timestamp',
      ],
    ])('refuses %s with 401, naming the problem', async (_name, headers, body, problem) => {
      const response = await expectCounted({ unauthorized: 1 }, () =>
        post({ 'content-type': 'application/json', ...headers }, body()),
      );
      expect(response).toMatchObject({ status: 401, body: { error: 'not authenticated', problem } });
      expect(await eventsOnTheBus()).toEqual([]);
    });

    it('ignores a draft (versionOnly) with 200', async () => {
      const response = await expectCounted({ ignored: 1 }, () =>
        post(bearer, published(709, { versionOnly: true })),
      );
      expect(response).toMatchObject({
        status: 200,
        body: { ignored: expect.stringContaining('versionOnly') },
      });
      expect(await eventsOnTheBus()).toEqual([]);
    });
  });

  const INVALID_DELIVERY_ID = {
    error: 'invalid delivery id',
    problem: 'X-Pimcore-Delivery must be 1–200 characters of letters, digits, _ . : -',
  };
  const invalidBody = (problem: string) => ({ error: 'invalid body', problem });
  it.each<[string, string | object, Delivery, { error: string; problem: string }]>([
    ['a body that is not JSON', '{"event":"product.published",', {}, invalidBody('the body is not JSON')],
    [
      'a body of neither shape',
      { product: 42 },
      {},
      invalidBody('the body is neither a Datahub webhook ({general, subject}) nor {event, id}'),
    ],
    [
      'a Datahub body without a subject id',
      datahubBody('pimcore.dataobject.postUpdate', { published: true }),
      {},
      invalidBody('subject.id is not a Pimcore id'),
    ],
    [
      'a Datahub update without published',
      datahubBody('pimcore.dataobject.postUpdate', { id: 7 }),
      {},
      invalidBody('subject.published is missing'),
    ],
    [
      'a signed request without X-Pimcore-Delivery',
      { event: 'product.published', id: 302 },
      { deliveryId: null },
      INVALID_DELIVERY_ID,
    ],
    [
      'a signed request with an unusable X-Pimcore-Delivery',
      { event: 'product.published', id: 303 },
      { deliveryId: 'a b' },
      INVALID_DELIVERY_ID,
    ],
  ])('refuses %s with 400, naming the problem', async (_name, body, delivery, expected) => {
    const response = await expectCounted({ invalid: 1 }, () => deliver(body, delivery));
    expect(response).toEqual({ status: 400, body: expected, retryAfter: undefined });
    expect(await eventsOnTheBus()).toEqual([]);
  });

  describe('Content-Type', () => {
    const raw = () => JSON.stringify({ event: 'product.published', id: 310 });
    const UNSUPPORTED = {
      status: 415,
      body: { error: 'unsupported media type', problem: 'Content-Type must be application/json' },
      retryAfter: undefined,
    };

    it.each<[string, string | undefined]>([
      ['text/plain', 'text/plain'],
      ['a form', 'application/x-www-form-urlencoded'],
      ['a multipart form', 'multipart/form-data; boundary=x'],
      ['no Content-Type', undefined],
      ['a type that only starts like JSON', 'application/jsonp'],
      ['a +json type', 'application/vnd.pimcore+json'],
    ])('refuses %s with 415, even signed, and puts nothing on the bus', async (_name, contentType) => {
      const body = raw();
      const headers = signedHeaders(body);
      delete headers['content-type'];
      if (contentType !== undefined) headers['content-type'] = contentType;

      const response = await expectCounted({ 'unsupported-media-type': 1 }, () => post(headers, body));
      expect(response).toEqual(UNSUPPORTED);
      expect(await eventsOnTheBus()).toEqual([]);
    });

    it.each([
      ['application/json; charset=utf-8'],
      ['Application/JSON'],
      ['application/json;charset="UTF-8"'],
    ])('accepts %s', async (contentType) => {
      const body = raw();
      const response = await expectCounted({ accepted: 1 }, () =>
        post({ ...signedHeaders(body), 'content-type': contentType }, body),
      );
      expect(response).toMatchObject({ status: 202, body: { accepted: true } });
      expect(await eventsOnTheBus()).toHaveLength(1);
    });

    it('answers 415 before reading the body: a body that never ends still gets its answer', async () => {
      const { port } = new URL(worker.baseUrl);
      const client = httpRequest({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/webhooks/pimcore',
        headers: { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' },
      });
      client.on('error', () => undefined);
      try {
        const answered = once(client, 'response') as Promise<[IncomingMessage]>;
        client.write('{"event":"product.published",');
        const [response] = await expectCounted({ 'unsupported-media-type': 1 }, () => answered);
        const text = await new Promise<string>((resolve) => {
          let received = '';
          response.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
          response.once('end', () => resolve(received));
        });
        expect({ status: response.statusCode, body: JSON.parse(text) as unknown }).toEqual({
          status: 415,
          body: UNSUPPORTED.body,
        });
      } finally {
        client.destroy();
      }
    });
  });

  it.each<[string, object, string]>([
    ['another event', datahubBody('pimcore.dataobject.preUpdate', { id: 1, published: true }), 'preUpdate'],
    [
      'an asset event',
      datahubBody('pimcore.asset.postUpdate', { id: 1, type: 'image' }, { subjectType: 'asset' }),
      'asset',
    ],
    ['a folder', datahubBody('pimcore.dataobject.postUpdate', { id: 1, type: 'folder' }), 'folder'],
    ['another class', datahubBody('pimcore.dataobject.postAdd', { id: 1, type: 'Car' }), 'class Car'],
    [
      'a draft (versionOnly)',
      datahubBody('pimcore.dataobject.postUpdate', { id: 1, published: true }, { versionOnly: true }),
      'versionOnly',
    ],
    ['a minimal event it does not handle', { event: 'product.archived', id: 1 }, 'product.archived'],
  ])('answers 200 and ignores %s', async (_name, body, reason) => {
    const response = await expectCounted({ ignored: 1 }, () => deliver(body));
    expect(response).toMatchObject({ status: 200, body: { ignored: expect.stringContaining(reason) } });
    expect(await eventsOnTheBus()).toEqual([]);
  });

  describe('when the hand-off fails', () => {
    const eventBridge = () => worker.app.get<EventBridgeClient>(EVENT_BRIDGE);
    afterEach(() => jest.restoreAllMocks());

    it.each([
      ['PutEvents fails', () => Promise.reject(new Error('connect ECONNREFUSED'))],
      [
        'PutEvents refuses the entry (FailedEntryCount)',
        () =>
          Promise.resolve({
            $metadata: {},
            FailedEntryCount: 1,
            Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }],
          }),
      ],
    ])('%s: 503 with Retry-After, then the retry of the same delivery is accepted', async (_name, fault) => {
      jest.spyOn(eventBridge(), 'send').mockImplementationOnce(fault as never);
      const deliveryId = nextDeliveryId();
      const body = { event: 'product.published', id: 401 };

      const failed = await expectCounted({ unavailable: 1 }, () => deliver(body, { deliveryId }));
      expect(failed).toMatchObject({ status: 503, retryAfter: '5' });
      expect(await eventsOnTheBus()).toEqual([]);

      const retried = await expectCounted({ accepted: 1 }, () => deliver(body, { deliveryId }));
      expect(retried).toMatchObject({ status: 202, body: { accepted: true } });
      expect(await eventsOnTheBus()).toHaveLength(1);
    });

    it('Redis is down: 503, nothing on the bus', async () => {
      const redis = worker.app.get<Redis>(REDIS);
      jest
        .spyOn(redis, 'set')
        .mockImplementationOnce((() => Promise.reject(new Error('Connection is closed.'))) as never);

      const response = await expectCounted({ unavailable: 1 }, () =>
        deliver({ event: 'product.published', id: 402 }),
      );
      expect(response).toMatchObject({ status: 503, body: { error: expect.any(String) } });
      expect(await eventsOnTheBus()).toEqual([]);
    });
  });

  describe('when a redelivery comes while the first request is still working', () => {
    afterEach(() => jest.restoreAllMocks());

    it('answers the second 503 in-progress (Retry-After) and puts one event on the bus', async () => {
      const client = worker.app.get<EventBridgeClient>(EVENT_BRIDGE);
      const putEvents = client.send.bind(client);
      let releasePutEvents = () => {};
      const putEventsHeld = new Promise<void>((resolve) => (releasePutEvents = resolve));
      const send = jest.spyOn(client, 'send').mockImplementationOnce((async (...args: [never]) => {
        await putEventsHeld;
        return putEvents(...args);
      }) as never);
      const deliveryId = nextDeliveryId();
      const body = { event: 'product.published', id: 403 };

      const [first, second] = await expectCounted({ accepted: 1, 'in-progress': 1 }, async () => {
        const first = deliver(body, { deliveryId });
        let second: WebhookResponse;
        try {
          await waitUntil('the first request is putting its event', () => send.mock.calls.length === 1);
          second = await deliver(body, { deliveryId });
        } finally {
          releasePutEvents();
        }
        return [await first, second];
      });
      expect(second).toMatchObject({
        status: 503,
        body: { error: 'this delivery is being processed' },
        retryAfter: '5',
      });
      expect(first).toMatchObject({ status: 202, body: { accepted: true } });
      expect(await eventsOnTheBus()).toHaveLength(1);
    });
  });

  describe('body size limit', () => {
    const oversized = JSON.stringify({
      event: 'product.published',
      id: 501,
      pad: 'x'.repeat(MAX_WEBHOOK_BODY_BYTES),
    });

    it('refuses a body over the limit with 413 (Content-Length)', async () => {
      const response = await expectCounted({ 'too-large': 1 }, () => deliver(oversized));
      expect(response).toMatchObject({ status: 413, body: { error: 'payload too large' } });
    });

    it('refuses a chunked body over the limit with 413', async () => {
      const headers = signedHeaders(oversized);
      const chunks = oversized.match(/[\s\S]{1,8192}/g) ?? [];
      const response = await expectCounted({ 'too-large': 1 }, () => post(headers, Readable.from(chunks)));
      expect(response).toMatchObject({ status: 413 });
      expect(await eventsOnTheBus()).toEqual([]);
    });
  });

  it('has the worker’s HTTP server give a request 5 s for its headers and 10 s in all, checked every second, and keep idle connections longer than an ALB does (60 s)', () => {
    // How a stalled or hung-up sender is then answered and counted: webhook-http-timeouts.test.ts.
    const server = worker.app.getHttpServer() as Server & { connectionsCheckingInterval: number };
    expect({
      headersTimeout: server.headersTimeout,
      requestTimeout: server.requestTimeout,
      connectionsCheckingInterval: server.connectionsCheckingInterval,
      keepAliveTimeout: server.keepAliveTimeout,
    }).toEqual({
      headersTimeout: 5000,
      requestTimeout: 10_000,
      connectionsCheckingInterval: 1000,
      keepAliveTimeout: 65_000,
    });
  });

  describe('metrics', () => {
    afterEach(() => jest.restoreAllMocks());

    it('exposes every outcome from the start, and only the outcome label', async () => {
      const series = [...(await scrapeMetrics()).keys()].filter((name) =>
        name.startsWith('pipeline_webhook_requests_total'),
      );
      expect(series.sort()).toEqual(
        [
          'aborted',
          'accepted',
          'coalesced',
          'duplicate',
          'error',
          'ignored',
          'in-progress',
          'invalid',
          'timeout',
          'too-large',
          'unauthorized',
          'unavailable',
          'unsupported-media-type',
        ].map((outcome) => `pipeline_webhook_requests_total{outcome="${outcome}"}`),
      );
    });

    it('times a reply from the request’s arrival: a slow body and a slow PutEvents are both in it', async () => {
      const client = worker.app.get<EventBridgeClient>(EVENT_BRIDGE);
      const putEvents = client.send.bind(client);
      jest.spyOn(client, 'send').mockImplementationOnce((async (...args: [never]) => {
        await sleep(300);
        return putEvents(...args);
      }) as never);
      const raw = JSON.stringify({ event: 'product.published', id: 601 });
      const headers = signedHeaders(raw);
      async function* slowly() {
        yield raw.slice(0, 10);
        await sleep(300);
        yield raw.slice(10);
      }

      const before = await scrapeMetrics();
      const response = await post(headers, Readable.from(slowly()));
      const after = await scrapeMetrics();

      expect(response.status).toBe(202);
      const added = (series: string) => (after.get(series) ?? 0) - (before.get(series) ?? 0);
      expect(added('pipeline_webhook_duration_seconds_count{outcome="accepted"}')).toBe(1);
      expect(added('pipeline_webhook_duration_seconds_bucket{le="0.5",outcome="accepted"}')).toBe(0);
      expect(added('pipeline_webhook_duration_seconds_bucket{le="+Inf",outcome="accepted"}')).toBe(1);
      expect(added('pipeline_webhook_duration_seconds_sum{outcome="accepted"}')).toBeGreaterThanOrEqual(0.6);
      expect(await eventsOnTheBus()).toHaveLength(1);
    });

    it('counts a request whose sender hangs up mid-body as aborted, not error', async () => {
      const server = worker.app.getHttpServer() as Server;
      const before = await scrapeMetrics();
      const arrived = new Promise<void>((resolve) => server.once('request', () => resolve()));
      const { port } = new URL(worker.baseUrl);
      const hangingUp = httpRequest({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/webhooks/pimcore',
        headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      });
      hangingUp.on('error', () => undefined);
      hangingUp.write('{"event":"product.published",');
      await arrived;
      hangingUp.destroy();

      await waitUntil(
        'the aborted request is counted',
        async () =>
          Object.keys(addedByOutcome(before, await scrapeMetrics(), 'pipeline_webhook_requests_total'))
            .length > 0,
      );
      const after = await scrapeMetrics();
      expect(addedByOutcome(before, after, 'pipeline_webhook_requests_total')).toEqual({ aborted: 1 });
      expect(addedByOutcome(before, after, 'pipeline_webhook_duration_seconds_count')).toEqual({
        aborted: 1,
      });
    });
  });
});
