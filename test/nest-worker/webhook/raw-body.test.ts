import { once } from 'node:events';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  readRawBody,
  RequestAbortedError,
  RequestTimedOutError,
} from '../../../nest-worker/src/webhook/raw-body';

/** A server whose handler hands over each request; the test decides when to read its body. */
let server: Server;
const requests: IncomingMessage[] = [];
beforeAll(async () => {
  server = createServer((incoming) => requests.push(incoming));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

/** Sends headers and part of a chunked body to `to`; the server's request, and the client to hang up. */
async function requestMidBody(to: Server = server) {
  const arrived = once(to, 'request');
  const client = request({
    host: '127.0.0.1',
    port: (to.address() as AddressInfo).port,
    method: 'POST',
    headers: { 'transfer-encoding': 'chunked' },
  });
  client.on('error', () => undefined);
  client.write('{"event":');
  const [incoming] = (await arrived) as [IncomingMessage];
  return { incoming, client };
}

/** Sends headers and part of a chunked body, then hangs up once the server holds the request. */
async function requestAbandonedMidBody(): Promise<IncomingMessage> {
  const { incoming, client } = await requestMidBody();
  client.destroy();
  return incoming;
}

describe('readRawBody', () => {
  it('rejects, rather than waits forever, when the sender hung up before the body was read', async () => {
    const incoming = await requestAbandonedMidBody();
    // (events.once would reject on the request's 'error', which comes before its 'close'.)
    await new Promise((resolve) => incoming.on('error', () => undefined).once('close', resolve));
    expect(incoming.destroyed).toBe(true);

    const outcome = await Promise.race([
      readRawBody(incoming, 1024).then(
        () => 'resolved',
        (error: Error) => `rejected: ${error.message}`,
      ),
      sleep(2000).then(() => 'still waiting after 2 s'),
    ]);
    expect(outcome).toMatch(/^rejected: /);
    await expect(readRawBody(incoming, 1024)).rejects.toBeInstanceOf(RequestAbortedError);
  });

  it('rejects with RequestAbortedError, naming what it received, when the sender hangs up while it reads', async () => {
    const { incoming, client } = await requestMidBody();
    const reading = readRawBody(incoming, 1024);
    await once(incoming, 'data');
    client.destroy();

    const error = await reading.catch((rejected: unknown) => rejected);
    expect(error).toBeInstanceOf(RequestAbortedError);
    expect(error).toHaveProperty('message', 'the sender hung up after 9 bytes of the body');
  });

  it('rejects with RequestTimedOutError when the server cut the request off (its requestTimeout)', async () => {
    const strict = createServer(
      { headersTimeout: 200, requestTimeout: 400, connectionsCheckingInterval: 50 },
      () => undefined,
    );
    strict.listen(0, '127.0.0.1');
    await once(strict, 'listening');
    try {
      const { incoming, client } = await requestMidBody(strict);
      const answered = once(client, 'response') as Promise<[IncomingMessage]>;

      await expect(readRawBody(incoming, 1024)).rejects.toBeInstanceOf(RequestTimedOutError);
      // Node answered it, not the handler.
      const [response] = await answered;
      expect(response.statusCode).toBe(408);
      client.destroy();
    } finally {
      strict.closeAllConnections();
      await new Promise((resolve) => strict.close(resolve));
    }
  });
});
