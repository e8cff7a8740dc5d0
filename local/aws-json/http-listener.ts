import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;

export interface HttpListener {
  /** e.g. `http://127.0.0.1:4566`, known before any request is served (queue URLs are built from it). */
  readonly endpoint: string;
  serve(listener: RequestListener): void;
  /** Stops accepting connections and drops open ones (keep-alive sockets, pending long polls). */
  close(): Promise<void>;
}

/** Opens an HTTP server on `host:port` (port 0 picks a free one); requests are answered once `serve` is called. */
export async function listen(host = '127.0.0.1', port = 0): Promise<HttpListener> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostPart = address.address.includes(':') ? `[${address.address}]` : address.address;
  return {
    endpoint: `http://${hostPart}:${address.port}`,
    serve: (listener) => server.on('request', listener),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
