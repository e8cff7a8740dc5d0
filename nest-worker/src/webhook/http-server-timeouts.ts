import type { Server } from 'node:http';
import { Inject, Injectable, Optional, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';

/**
 * How long the worker's HTTP server waits for a request to arrive. Node's defaults (60 s for the
 * headers, 300 s for the whole request, checked every 30 s) held a stalled sender for minutes; the
 * largest request the worker takes is a 64 KB webhook, which any sender delivers in well under a second.
 */
export interface HttpServerTimeoutOptions {
  /** From the connection (or the previous reply) to the end of the headers; then 408 and closed. */
  readonly headersTimeoutMs: number;
  /** From the start of a request to the end of its body; then 408 and closed. Answering is not limited. */
  readonly requestTimeoutMs: number;
  /** How often Node checks the two (a stalled request is cut up to this much after its limit). */
  readonly checkIntervalMs: number;
  /**
   * How long an idle kept-alive connection stays open. Longer than the load balancer's idle timeout
   * (an ALB's is 60 s): otherwise the ALB may send a request on a connection Node is just closing, and
   * answers the sender 502. Node's default is 5 s.
   */
  readonly keepAliveTimeoutMs: number;
}

/** The worker's: a sender stalled in its headers is cut after 5–6 s, one stalled in its body after 10–11 s. */
export const DEFAULT_HTTP_SERVER_TIMEOUTS: HttpServerTimeoutOptions = {
  headersTimeoutMs: 5_000,
  requestTimeoutMs: 10_000,
  checkIntervalMs: 1_000,
  keepAliveTimeoutMs: 65_000,
};

/** Other timeouts for tests (optional; the worker uses DEFAULT_HTTP_SERVER_TIMEOUTS). */
export const HTTP_SERVER_TIMEOUTS = Symbol('HTTP_SERVER_TIMEOUTS');

/**
 * Sets the timeouts on the app's HTTP server when the app is initialised, before it listens: Node
 * reads the checking interval when the server starts listening. The app's own routes and Nest's
 * adapter are the same server, so /health and /metrics get them too (their requests have no body).
 */
@Injectable()
export class HttpServerTimeouts implements OnApplicationBootstrap {
  private readonly timeouts: HttpServerTimeoutOptions;

  constructor(
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
    @Optional() @Inject(HTTP_SERVER_TIMEOUTS) timeouts?: HttpServerTimeoutOptions,
  ) {
    this.timeouts = timeouts ?? DEFAULT_HTTP_SERVER_TIMEOUTS;
    const { headersTimeoutMs, requestTimeoutMs } = this.timeouts;
    for (const [name, value] of Object.entries(this.timeouts)) {
      if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
    }
    // Node's own rule (http.createServer refuses it too): the headers are part of the request.
    if (headersTimeoutMs > requestTimeoutMs) {
      throw new Error(
        `headersTimeoutMs (${headersTimeoutMs}) must be at most requestTimeoutMs (${requestTimeoutMs})`,
      );
    }
  }

  onApplicationBootstrap(): void {
    // No HTTP adapter: an application context without a server (nothing listens, nothing to limit).
    const server = this.adapterHost.httpAdapter?.getHttpServer() as
      (Server & { connectionsCheckingInterval: number }) | undefined;
    if (server === undefined) return;
    if (server.listening) {
      // The checking interval is only read on 'listening': applying it now would silently not work.
      throw new Error('the HTTP server timeouts must be set before the server listens');
    }
    server.headersTimeout = this.timeouts.headersTimeoutMs;
    server.requestTimeout = this.timeouts.requestTimeoutMs;
    server.connectionsCheckingInterval = this.timeouts.checkIntervalMs;
    server.keepAliveTimeout = this.timeouts.keepAliveTimeoutMs;
  }
}
