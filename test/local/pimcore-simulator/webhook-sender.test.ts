import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  PimcoreSimulator,
  PimcoreWebhookSender,
  type ObjectSave,
  type WebhookSenderOptions,
} from '../../../local/pimcore-simulator';
import { datahubWebhookBody, schemaFields } from '../../../local/pimcore-simulator/datahub-webhook-body';
import { readBody } from '../../../local/pimcore-simulator/http-io';
import { loadPimcoreModel } from '../../../local/pimcore-simulator/pimcore-artifacts';
import { signatureHeaders, type WebhookSendEvent } from '../../../local/pimcore-simulator/webhook-sender';
import { verifyPimcoreSignature } from '../../../nest-worker/src/webhook/pimcore-signature';
import { readPimcoreWebhookBody } from '../../../nest-worker/src/webhook/pimcore-webhook-payload';
import { verifyWebhookToken } from '../../../nest-worker/src/webhook/webhook-token';
import vector from '../../../pimcore/webhook-listener/signature-vector.json';
import { canonicalProduct, clientFor } from '../../nest-worker/pimcore/fixtures';
import { waitUntil } from '../../nest-worker/worker-harness';

const SECRET = 'sender-test-secret-0123456789abcdef0123';
const TOKEN = 'sender-test-token-0123456789abcdef0123456';

/** What the worker's webhook would make of one request: its checks are the worker's own functions. */
interface Received {
  readonly deliveryId: string | undefined;
  readonly timestamp: string | undefined;
  readonly authorization: string | undefined;
  readonly rawBody: string;
  readonly body: { general: Record<string, unknown>; subject: Record<string, unknown> };
  readonly signatureValid: boolean;
  readonly tokenValid: boolean;
  readonly verdict: ReturnType<typeof readPimcoreWebhookBody>;
}

type Answer = (response: ServerResponse) => void;
const answerWith =
  (status: number, headers: Record<string, string> = {}): Answer =>
  (response) => {
    response.writeHead(status, headers);
    response.end('{}');
  };
/** Never answers (until the server closes): the sender's timeout must end the attempt. */
const noAnswer: Answer = () => undefined;

/** A stand-in for the worker's endpoint that answers each request with the next scripted answer (then 202). */
class Receiver {
  readonly requests: Received[] = [];
  readonly script: Answer[] = [];
  private constructor(private readonly server: Server) {}

  static async start(): Promise<Receiver> {
    const server = createServer();
    const receiver = new Receiver(server);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      void readBody(request).then((text) => {
        const rawBody = Buffer.from(text);
        const header = (name: string) => request.headers[name] as string | undefined;
        const deliveryId = header('x-pimcore-delivery');
        const timestamp = header('x-pimcore-timestamp');
        const signature = header('x-pimcore-signature');
        receiver.requests.push({
          deliveryId,
          timestamp,
          authorization: header('authorization'),
          rawBody: text,
          body: JSON.parse(text) as Received['body'],
          signatureValid: verifyPimcoreSignature(
            { timestamp, deliveryId: deliveryId ?? '', signature, rawBody },
            [SECRET],
          ).valid,
          tokenValid: verifyWebhookToken(header('authorization'), [TOKEN]).valid,
          verdict: readPimcoreWebhookBody(rawBody),
        });
        (receiver.script.shift() ?? answerWith(202))(response);
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhooks/pimcore`;
  }

  async stop(): Promise<void> {
    const closed = new Promise((resolve) => this.server.close(resolve));
    this.server.closeAllConnections();
    await closed;
  }
}

let simulator: PimcoreSimulator;
let receiver: Receiver;
let sender: PimcoreWebhookSender;
let events: WebhookSendEvent[];

beforeAll(async () => {
  simulator = await PimcoreSimulator.start();
  receiver = await Receiver.start();
});
afterAll(async () => {
  await receiver.stop();
  await simulator.stop();
});

function startSender(options: Partial<WebhookSenderOptions> = {}): PimcoreWebhookSender {
  events = [];
  receiver.requests.length = 0;
  sender = new PimcoreWebhookSender({
    url: receiver.url,
    auth: { scheme: 'signed', secret: SECRET },
    retry: { baseMs: 10, capMs: 50, maxAttempts: 10 },
    // The sender's default (10 s): a slow answer on a loaded machine is not taken for no answer, which
    // would add an attempt to the ones the tests count.
    onEvent: (event) => events.push(event),
    ...options,
  });
  sender.attach(simulator);
  return sender;
}
afterEach(() => sender.stop());

/** Creates (or updates) a product object in the simulator through the worker's own Pimcore client. */
async function createObject(goodsId: string, product = canonicalProduct(goodsId)): Promise<number> {
  const client = clientFor(simulator, 'datahub');
  try {
    return (await client.upsertProduct(product)).pimcoreId;
  } finally {
    await client.close();
  }
}

const eventNames = () => receiver.requests.map((request) => request.body.general.eventName);

describe('PimcoreWebhookSender', () => {
  it('turns every event of an object into signed Datahub webhooks the worker reads', async () => {
    startSender();
    const id = await createObject('70001');
    await sender.idle();
    simulator.publish(id);
    await sender.idle();
    simulator.unpublish(id);
    await sender.idle();

    const signedPublication = (detailType: string) => ({
      signatureValid: true,
      verdict: expect.objectContaining({
        kind: 'publication',
        detailType,
        pimcoreId: id,
        externalId: 'shein:70001',
      }),
    });
    expect(receiver.requests.map(({ signatureValid, verdict }) => ({ signatureValid, verdict }))).toEqual([
      signedPublication('ProductUnpublished'),
      signedPublication('ProductUnpublished'),
      signedPublication('ProductPublished'),
      signedPublication('ProductUnpublished'),
    ]);
    // A Datahub create saves twice: postAdd, then postUpdate.
    expect(eventNames()).toEqual([
      'pimcore.dataobject.postAdd',
      'pimcore.dataobject.postUpdate',
      'pimcore.dataobject.postUpdate',
      'pimcore.dataobject.postUpdate',
    ]);
    expect(new Set(receiver.requests.map((request) => request.deliveryId)).size).toBe(4);
    expect(sender.delivered).toBe(4);
    expect(sender.failed).toEqual([]);
  });

  it('sends the documented Datahub Webhooks body: the class as type, fields labelled "<title> (<name>)"', async () => {
    const id = await createObject('70009');
    startSender();
    const before = Math.floor(Date.now() / 1000);
    simulator.publish(id);
    await sender.idle();

    const [received] = receiver.requests;
    expect(received?.body).toEqual({
      general: {
        eventName: 'pimcore.dataobject.postUpdate',
        timestamp: expect.any(Number),
        subjectType: 'object',
        versionOnly: false,
      },
      subject: {
        id,
        path: '/Products/Shein/shein-70009',
        'External ID (externalId)': 'shein:70009',
        published: true,
        type: 'Product',
      },
    });
    expect(Object.keys(received?.body.subject ?? {})).toEqual([
      'id',
      'path',
      'External ID (externalId)',
      'published',
      'type',
    ]);
    expect(received?.body.general.timestamp).toBeGreaterThanOrEqual(before);
  });

  it('builds the body of the signature vector byte for byte, and signs it to the vector’s headers', () => {
    const stored = { parentPath: '/Products/Shein', key: 'robe-d’été', creationDate: 0, modificationDate: 0 };
    const save: ObjectSave = {
      event: 'postUpdate',
      versionOnly: false,
      timestamp: Number(vector.timestamp),
      object: {
        ...stored,
        id: 42,
        fullPath: '/Products/Shein/robe-d’été',
        published: true,
        version: 1,
        values: { externalId: 'shein:42' },
        localized: {},
      },
    };
    const fields = schemaFields(loadPimcoreModel(), ['externalId']);
    expect(JSON.stringify(datahubWebhookBody(save, fields))).toBe(vector.body);

    const { timestamp, deliveryId, body } = vector;
    expect(signatureHeaders(vector.secret, { timestamp, deliveryId, rawBody: body })).toEqual({
      'x-pimcore-delivery': deliveryId,
      'x-pimcore-timestamp': timestamp,
      'x-pimcore-signature': vector.signature,
    });
  });

  it('sends no draft in the signed scheme, as the shipped listener skips saveVersionOnly', async () => {
    const id = await createObject('70010');
    startSender();
    simulator.saveDraft(id);
    await sender.idle();
    expect(receiver.requests).toEqual([]);
  });

  it('sends a draft with versionOnly: true as Datahub Webhooks do (token), which the worker ignores', async () => {
    const id = await createObject('70015');
    startSender({ auth: { scheme: 'token', token: TOKEN, via: 'bearer' } });
    simulator.saveDraft(id);
    await sender.idle();

    expect(receiver.requests.map(({ body, verdict }) => ({ general: body.general, verdict }))).toEqual([
      {
        general: expect.objectContaining({ eventName: 'pimcore.dataobject.postUpdate', versionOnly: true }),
        verdict: { kind: 'ignored', reason: expect.stringContaining('versionOnly') },
      },
    ]);
  });

  it('sends postDelete with the object as it was, which the worker reads as an unpublication', async () => {
    const id = await createObject('70011');
    simulator.publish(id);
    startSender();
    simulator.deleteObject(id);
    await sender.idle();

    expect(receiver.requests.map(({ body, verdict }) => ({ body, verdict }))).toEqual([
      {
        body: {
          general: expect.objectContaining({
            eventName: 'pimcore.dataobject.postDelete',
            versionOnly: false,
          }),
          subject: expect.objectContaining({
            id,
            published: true,
            'External ID (externalId)': 'shein:70011',
          }),
        },
        verdict: expect.objectContaining({ detailType: 'ProductUnpublished', pimcoreId: id }),
      },
    ]);
  });

  it('sends a postUpdate for a save that changes content, as Datahub Webhooks do on every save', async () => {
    const original = canonicalProduct('70007');
    const id = await createObject('70007', original);
    simulator.publish(id);
    startSender();
    await createObject('70007', { ...original, brand: 'Another brand', contentHash: 'f'.repeat(64) });
    await sender.idle();
    expect(
      receiver.requests.map(({ body, verdict }) => ({ eventName: body.general.eventName, verdict })),
    ).toEqual([
      {
        eventName: 'pimcore.dataobject.postUpdate',
        verdict: expect.objectContaining({ detailType: 'ProductPublished', pimcoreId: id }),
      },
    ]);
  });

  describe.each([
    ['bearer', `Bearer ${TOKEN}`],
    // The subscriber's URL credentials https://pimcore:<token>@…: the token is the password.
    ['basic', `Basic ${Buffer.from(`pimcore:${TOKEN}`).toString('base64')}`],
  ] as const)('with a token (Datahub Webhooks) sent as %s', (via, authorization) => {
    it('authenticates with Authorization, sends no delivery id, and retries the very same bytes', async () => {
      const id = await createObject(via === 'bearer' ? '70012' : '70013');
      startSender({ auth: { scheme: 'token', token: TOKEN, via } });
      receiver.script.push(answerWith(503), answerWith(500));
      simulator.publish(id);
      await sender.idle();

      expect(receiver.requests).toHaveLength(3);
      expect(receiver.requests.every((request) => request.tokenValid)).toBe(true);
      expect(
        receiver.requests.map((request) => ({
          authorization: request.authorization,
          deliveryId: request.deliveryId,
          timestamp: request.timestamp,
        })),
      ).toEqual(Array(3).fill({ authorization, deliveryId: undefined, timestamp: undefined }));
      expect(new Set(receiver.requests.map((request) => request.rawBody)).size).toBe(1);
      // The worker keys such a delivery on the body's own identity: the same on every retry.
      expect(receiver.requests[0]?.verdict).toEqual(
        expect.objectContaining({
          detailType: 'ProductPublished',
          event: {
            name: 'pimcore.dataobject.postUpdate',
            timestamp: receiver.requests[0]?.body.general.timestamp,
          },
        }),
      );
      // The delivery still has an id for the sender's own logs.
      expect(events.at(-1)).toEqual(
        expect.objectContaining({
          kind: 'delivered',
          delivery: expect.objectContaining({ deliveryId: expect.any(String) }),
        }),
      );
    });
  });

  it('retries 503 (after its Retry-After), no answer and 500, with the same delivery id', async () => {
    const id = await createObject('70002');
    // Short enough to keep the test quick, long enough that only the unanswered attempt reaches it.
    startSender({ retry: { baseMs: 10, capMs: 2000, maxAttempts: 10 }, timeoutMs: 2_000 });
    receiver.script.push(answerWith(503, { 'retry-after': '1' }), noAnswer, answerWith(500));
    simulator.publish(id);
    expect(sender.pending).toBe(1);
    await sender.idle();

    expect(sender.pending).toBe(0);
    expect(receiver.requests).toHaveLength(4);
    expect(new Set(receiver.requests.map((request) => request.deliveryId)).size).toBe(1);
    expect(new Set(receiver.requests.map((request) => request.rawBody)).size).toBe(1);
    expect(receiver.requests.every((request) => request.signatureValid)).toBe(true);
    expect(events.map((event) => event.kind)).toEqual(['retry', 'retry', 'retry', 'delivered']);
    expect(sender.delivered).toBe(1);
  });

  it('asks a url function on every attempt, so a retry can go to another worker (a load balancer)', async () => {
    const id = await createObject('70008');
    const urls = ['http://127.0.0.1:1/webhooks/pimcore', receiver.url];
    startSender({ url: () => urls.shift() ?? receiver.url });
    simulator.publish(id);
    await sender.idle();
    expect(events.map((event) => event.kind)).toEqual(['retry', 'delivered']);
    expect(urls).toEqual([]);
  });

  it('reports a delivery as failed when nothing answers before its attempts run out', async () => {
    const unreachable = new PimcoreWebhookSender({
      url: 'http://127.0.0.1:1/webhooks/pimcore',
      auth: { scheme: 'signed', secret: SECRET },
      retry: { baseMs: 5, capMs: 20, maxAttempts: 3 },
    });
    const id = await createObject('70003');
    unreachable.attach(simulator);
    simulator.publish(id);
    await unreachable.idle();
    unreachable.stop();
    expect(unreachable.failed).toEqual([
      expect.objectContaining({
        delivery: expect.objectContaining({ pimcoreId: id, published: true, event: 'postUpdate' }),
        problem: expect.stringMatching(/^no answer/),
      }),
    ]);
  });

  it('does not retry an answer that will not change (401), and reports it as failed', async () => {
    const id = await createObject('70004');
    startSender();
    receiver.script.push(answerWith(401));
    simulator.publish(id);
    await sender.idle();
    expect(receiver.requests).toHaveLength(1);
    expect(sender.failed).toEqual([
      { delivery: expect.objectContaining({ pimcoreId: id }), problem: expect.stringMatching(/^HTTP 401/) },
    ]);
  });

  it('sends a delivered webhook once more, unchanged, when asked to (duplicate deliveries)', async () => {
    const id = await createObject('70005');
    startSender({ redeliverRatio: 1 });
    simulator.publish(id);
    await sender.idle();
    expect(receiver.requests).toHaveLength(2);
    expect(receiver.requests[0]?.deliveryId).toBe(receiver.requests[1]?.deliveryId);
    expect(receiver.requests[0]?.rawBody).toBe(receiver.requests[1]?.rawBody);
    expect(sender.redelivered).toBe(1);
  });

  it('gives up waiting retries on stop and stops listening', async () => {
    const id = await createObject('70006');
    startSender({ retry: { baseMs: 60_000, capMs: 60_000, maxAttempts: 5 } });
    receiver.script.push(answerWith(503));
    simulator.publish(id);
    await waitUntil('the first attempt arrived', () => receiver.requests.length === 1);
    sender.stop();
    await sender.idle();
    simulator.unpublish(id);
    expect(sender.pending).toBe(0);
    expect(receiver.requests).toHaveLength(1);
    expect(sender.failed).toHaveLength(1);
  });
});
