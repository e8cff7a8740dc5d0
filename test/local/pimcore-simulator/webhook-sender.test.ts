import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  PimcoreSimulator,
  PimcoreWebhookSender,
  type WebhookSenderOptions,
} from '../../../local/pimcore-simulator';
import type { WebhookSendEvent } from '../../../local/pimcore-simulator/webhook-sender';
import { readBody } from '../../../local/pimcore-simulator/http-io';
import { verifyPimcoreSignature } from '../../../nest-worker/src/webhook/pimcore-signature';
import { readPimcoreWebhookBody } from '../../../nest-worker/src/webhook/pimcore-webhook-payload';
import { canonicalProduct, clientFor } from '../../nest-worker/pimcore/fixtures';
import { waitUntil } from '../../nest-worker/worker-harness';

const SECRET = 'sender-test-secret-0123456789abcdef0123';

/** What the worker's webhook would make of one request: its checks are the worker's own functions. */
interface Received {
  readonly deliveryId: string | undefined;
  /** general.eventName, as sent. */
  readonly eventName: unknown;
  readonly signatureValid: boolean;
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
        receiver.requests.push({
          deliveryId: header('x-pimcore-delivery'),
          eventName: (JSON.parse(text) as { general?: { eventName?: unknown } }).general?.eventName,
          signatureValid: verifyPimcoreSignature(
            { timestamp: header('x-pimcore-timestamp'), signature: header('x-pimcore-signature'), rawBody },
            [SECRET],
          ).valid,
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
    secret: SECRET,
    retry: { baseMs: 10, capMs: 50, maxAttempts: 10 },
    timeoutMs: 300,
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

describe('PimcoreWebhookSender', () => {
  it('turns every save in the simulator (creation, publish, unpublish) into signed Datahub webhooks the worker reads', async () => {
    startSender();
    const id = await createObject('70001');
    simulator.publish(id);
    simulator.unpublish(id);
    await sender.idle();

    const signedPublication = (detailType: string) => ({
      signatureValid: true,
      verdict: { kind: 'publication', detailType, pimcoreId: id, externalId: 'shein:70001' },
    });
    expect(receiver.requests.map(({ signatureValid, verdict }) => ({ signatureValid, verdict }))).toEqual([
      signedPublication('ProductUnpublished'),
      signedPublication('ProductPublished'),
      signedPublication('ProductUnpublished'),
    ]);
    expect(receiver.requests.map((request) => request.eventName)).toEqual([
      'pimcore.dataobject.postAdd',
      'pimcore.dataobject.postUpdate',
      'pimcore.dataobject.postUpdate',
    ]);
    const ids = receiver.requests.map((request) => request.deliveryId);
    expect(new Set(ids).size).toBe(3);
    expect(sender.delivered).toBe(3);
    expect(sender.failed).toEqual([]);
  });

  it('sends a postUpdate for a save that changes content, as Datahub Webhooks do on every save', async () => {
    const original = canonicalProduct('70007');
    const id = await createObject('70007', original);
    simulator.publish(id);
    startSender();
    await createObject('70007', { ...original, brand: 'Another brand', contentHash: 'f'.repeat(64) });
    await sender.idle();
    expect(receiver.requests.map(({ eventName, verdict }) => ({ eventName, verdict }))).toEqual([
      {
        eventName: 'pimcore.dataobject.postUpdate',
        verdict: expect.objectContaining({ detailType: 'ProductPublished', pimcoreId: id }),
      },
    ]);
  });

  it('retries 503 (after its Retry-After), no answer and 500, with the same delivery id', async () => {
    const id = await createObject('70002');
    startSender({ retry: { baseMs: 10, capMs: 2000, maxAttempts: 10 } });
    receiver.script.push(answerWith(503, { 'retry-after': '1' }), noAnswer, answerWith(500));
    simulator.publish(id);
    expect(sender.pending).toBe(1);
    await sender.idle();

    expect(sender.pending).toBe(0);
    expect(receiver.requests).toHaveLength(4);
    expect(new Set(receiver.requests.map((request) => request.deliveryId)).size).toBe(1);
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
      secret: SECRET,
      retry: { baseMs: 5, capMs: 20, maxAttempts: 3 },
    });
    const id = await createObject('70003');
    unreachable.attach(simulator);
    simulator.publish(id);
    await unreachable.idle();
    unreachable.stop();
    expect(unreachable.failed).toEqual([
      expect.objectContaining({
        delivery: expect.objectContaining({ pimcoreId: id, published: true }),
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

  it('sends a delivered webhook once more with the same id when asked to (duplicate deliveries)', async () => {
    const id = await createObject('70005');
    startSender({ redeliverRatio: 1 });
    simulator.publish(id);
    await sender.idle();
    expect(receiver.requests).toHaveLength(2);
    expect(receiver.requests[0]?.deliveryId).toBe(receiver.requests[1]?.deliveryId);
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
