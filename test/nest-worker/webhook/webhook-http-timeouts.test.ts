import { once } from 'node:events';
import type { Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger, LoggerModule } from 'nestjs-pino';
import { WorkerMetrics } from '../../../nest-worker/src/observability/worker-metrics';
import {
  DEFAULT_HTTP_SERVER_TIMEOUTS,
  HTTP_SERVER_TIMEOUTS,
  HttpServerTimeouts,
  type HttpServerTimeoutOptions,
} from '../../../nest-worker/src/webhook/http-server-timeouts';
import { PimcoreWebhookController } from '../../../nest-worker/src/webhook/pimcore-webhook.controller';
import {
  PimcoreWebhookService,
  type WebhookReply,
  type WebhookRequest,
} from '../../../nest-worker/src/webhook/pimcore-webhook.service';
import { WORKER_APP_OPTIONS } from '../../../nest-worker/src/worker.module';
import { waitUntil } from '../worker-harness';

/**
 * The webhook's controller behind the worker's HTTP server, a service that accepts whatever reaches it,
 * and the app's log lines captured: what a stalled or hung-up sender gets, and how it is counted and logged.
 * Two such apps: one with timeouts far shorter than the worker's, so a stalled sender is cut within the
 * test, and one with the worker's own, for the requests that must not be cut however loaded the machine.
 */
const TIMEOUTS: HttpServerTimeoutOptions = {
  headersTimeoutMs: 500,
  requestTimeoutMs: 1000,
  checkIntervalMs: 100,
  keepAliveTimeoutMs: 5000,
};

interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly [field: string]: unknown;
}
const logLines: LogLine[] = [];
const logStream = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
      logLines.push(JSON.parse(line) as LogLine);
    done();
  },
});

/** What reached the service, and how long it takes to answer (0: at once). */
const handled: WebhookRequest[] = [];
let replyDelayMs = 0;
const service = {
  async handle(webhook: WebhookRequest): Promise<WebhookReply> {
    handled.push(webhook);
    await sleep(replyDelayMs);
    return { status: 202, outcome: 'accepted', body: { accepted: true, eventId: 'event-1' } };
  },
};

const metrics = new WorkerMetrics();

interface TestApp {
  readonly app: INestApplication;
  readonly port: number;
}

async function startApp(timeouts: HttpServerTimeoutOptions): Promise<TestApp> {
  @Module({
    imports: [LoggerModule.forRoot({ pinoHttp: [{ level: 'info' }, logStream] })],
    controllers: [PimcoreWebhookController],
    providers: [
      { provide: PimcoreWebhookService, useValue: service },
      { provide: WorkerMetrics, useValue: metrics },
      { provide: HTTP_SERVER_TIMEOUTS, useValue: timeouts },
      HttpServerTimeouts,
    ],
  })
  class TimeoutsTestModule {}

  const app = await NestFactory.create(TimeoutsTestModule, { ...WORKER_APP_OPTIONS, bufferLogs: true });
  // As main.ts does: Nest's own lines (its exception handler's too) go to the app's logger.
  app.useLogger(app.get(Logger));
  await app.listen(0, '127.0.0.1');
  return { app, port: ((app.getHttpServer() as Server).address() as AddressInfo).port };
}

/** With TIMEOUTS: for the tests of the cut, and of a reply slower than the limits. */
let short: TestApp;
/** With the worker's own timeouts: for the tests that are not about the cut. */
let generous: TestApp;

beforeAll(async () => {
  short = await startApp(TIMEOUTS);
  generous = await startApp(DEFAULT_HTTP_SERVER_TIMEOUTS);
});

afterAll(() => Promise.all([short?.app.close(), generous?.app.close()]));

beforeEach(() => {
  logLines.length = 0;
  handled.length = 0;
  replyDelayMs = 0;
  metrics.webhookRequests.reset();
});

/** The requests counted since the test began, by outcome (only the non-zero ones). */
async function counted(): Promise<Record<string, number>> {
  const { values } = await metrics.webhookRequests.get();
  return Object.fromEntries(
    values.filter(({ value }) => value > 0).map(({ labels, value }) => [String(labels.outcome), value]),
  );
}

/**
 * A raw connection to an app that sends `bytes` in one write as soon as it is connected; `closed` is all
 * it received once the server closed it.
 */
function rawClient({ port }: TestApp, bytes: string): { socket: Socket; closed: Promise<string> } {
  const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
  let received = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
  socket.on('error', () => undefined);
  const closed = once(socket, 'close').then(() => received);
  return { socket, closed };
}

const WEBHOOK_HEADERS =
  'POST /webhooks/pimcore HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n' +
  'Transfer-Encoding: chunked\r\n\r\n';
/** One chunk of a chunked body. */
const chunk = (text: string) => `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`;

/** The lines the webhook itself logged (not the HTTP access line every request gets). */
const webhookLines = () => logLines.filter((line) => line.context === 'PimcoreWebhook');

describe('the HTTP server’s timeouts, for a webhook of at most 64 KB', () => {
  it('answers 408 and closes the connection of a client that stalls in its headers', async () => {
    const { closed } = rawClient(short, 'POST /webhooks/pimcore HTTP/1.1\r\nHost: localhost\r\nContent-Ty');

    expect(await closed).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    // It never reached the webhook: nothing to count.
    expect(handled).toEqual([]);
    expect(await counted()).toEqual({});
  });

  it('answers 408 and closes the connection of a client that stalls in its body: counted timeout, one warning', async () => {
    const { closed } = rawClient(short, WEBHOOK_HEADERS + chunk('{"event":"product.published",'));

    expect(await closed).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    await waitUntil('the request is counted', async () => Object.keys(await counted()).length > 0);
    expect(await counted()).toEqual({ timeout: 1 });
    expect(handled).toEqual([]);
    expect(webhookLines()).toEqual([
      expect.objectContaining({
        level: 40,
        outcome: 'timeout',
        msg: 'webhook: the request was not received in time (answered 408)',
      }),
    ]);
    expect(webhookLines()[0]).not.toHaveProperty('err');
    expect(logLines.filter((line) => line.level >= 50)).toEqual([]);
  });

  it('cuts a body that keeps trickling in past the request timeout (a limit on the whole, not on silence)', async () => {
    const { socket, closed } = rawClient(short, WEBHOOK_HEADERS);
    const trickle = setInterval(() => socket.writable && socket.write(chunk(' ')), 50);
    try {
      expect(await closed).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    } finally {
      clearInterval(trickle);
    }
    await waitUntil('the request is counted', async () => Object.keys(await counted()).length > 0);
    expect(await counted()).toEqual({ timeout: 1 });
  });

  it('lets a slow reply finish: the limit is on receiving the request, not on answering it', async () => {
    replyDelayMs = 3 * TIMEOUTS.requestTimeoutMs;
    // The whole request in the connection's first write: it is received at once, however loaded the
    // machine, so only the answer takes longer than the limits of the short app.
    const body = '{"event":"product.published","id":1}';
    const { closed } = rawClient(
      short,
      'POST /webhooks/pimcore HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
    const response = await closed;

    expect(response).toMatch(/^HTTP\/1\.1 202 Accepted\r\n/);
    expect(JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4))).toEqual({
      accepted: true,
      eventId: 'event-1',
    });
    expect(handled.map(({ rawBody }) => rawBody.toString())).toEqual([
      '{"event":"product.published","id":1}',
    ]);
    expect(await counted()).toEqual({ accepted: 1 });
  });

  it('counts a sender that hangs up mid-body as aborted, logs one warning without a stack, and answers nothing', async () => {
    // Not about the cut: the app with the worker's timeouts, which never cuts this request first.
    const server = generous.app.getHttpServer() as Server;
    const arrived = once(server, 'request');
    const { socket, closed } = rawClient(generous, WEBHOOK_HEADERS + chunk('{"event":"product.published",'));
    await arrived;
    socket.destroy();

    expect(await closed).toBe('');
    await waitUntil('the request is counted', async () => Object.keys(await counted()).length > 0);
    expect(await counted()).toEqual({ aborted: 1 });
    expect(handled).toEqual([]);
    expect(webhookLines()).toEqual([
      expect.objectContaining({
        level: 40,
        outcome: 'aborted',
        msg: 'webhook: the sender hung up before its body was complete',
      }),
    ]);
    expect(webhookLines()[0]).not.toHaveProperty('err');
    // Not Nest's exception handler: no error line, no stack.
    expect(logLines.filter((line) => line.level >= 50)).toEqual([]);
    expect(JSON.stringify(logLines)).not.toContain('    at ');
  });

  it('refuses timeouts that cannot work', () => {
    const host = { httpAdapter: undefined } as never;
    expect(
      () => new HttpServerTimeouts(host, { ...TIMEOUTS, headersTimeoutMs: TIMEOUTS.requestTimeoutMs + 1 }),
    ).toThrow('headersTimeoutMs (1001) must be at most requestTimeoutMs (1000)');
    expect(() => new HttpServerTimeouts(host, { ...TIMEOUTS, checkIntervalMs: 0 })).toThrow(
      'checkIntervalMs must be a positive integer',
    );
  });
});
