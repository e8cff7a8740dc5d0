import { once } from 'node:events';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { readRawBody } from '../../../nest-worker/src/webhook/raw-body';

/** A server whose handler hands over each request; the test decides when to read its body. */
let server: Server;
const requests: IncomingMessage[] = [];
beforeAll(async () => {
  server = createServer((incoming) => requests.push(incoming));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

/** Sends headers and part of a chunked body, then hangs up once the server holds the request. */
async function requestAbandonedMidBody(): Promise<IncomingMessage> {
  const arrived = once(server, 'request');
  const client = request({
    host: '127.0.0.1',
    port: (server.address() as AddressInfo).port,
    method: 'POST',
    headers: { 'transfer-encoding': 'chunked' },
  });
  client.on('error', () => undefined);
  client.write('{"event":');
  const [incoming] = (await arrived) as [IncomingMessage];
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
  });
});
