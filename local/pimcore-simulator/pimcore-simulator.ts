import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DATAHUB_PATH_PREFIX, DatahubEndpoint } from './datahub-endpoint';
import { BodyTooLargeError, sendJson } from './http-io';
import type { SimulatedObject } from './object-store';
import { loadPimcoreModel } from './pimcore-artifacts';
import { PimcoreBackend, type GivenObject, type SaveListener } from './pimcore-backend';
import type { InjectedFailure } from './request-controls';
import { REST_PATH_PREFIX, RestEndpoint } from './rest-endpoint';

export interface PimcoreSimulatorOptions {
  /** Accepted by both APIs. Datahub demands at least 16 characters, so the default has them. */
  readonly apiKey?: string;
  /** The REST API's key header (the worker's PIMCORE_REST_AUTH_HEADER). */
  readonly restAuthHeader?: string;
  /** Pimcore's system languages: the fields of the LocalizedString input. */
  readonly languages?: readonly string[];
  /** Folders that exist from the start; products may only be created in one of them. */
  readonly folders?: readonly string[];
  /** Create every object published, whatever the caller asks. */
  readonly autoPublish?: boolean;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
}

const SIMULATOR_DEFAULTS = {
  apiKey: 'simulator-api-key-0123456789',
  restAuthHeader: 'X-API-Key',
  languages: ['en', 'ar'],
  folders: ['/Products/Shein'],
} as const;

/**
 * A Pimcore stand-in on 127.0.0.1 for tests and the local runtime: the Datahub GraphQL endpoint of
 * pimcore/datahub_graphql_products_export.json and the custom REST API, over one in-memory object
 * store, with in-process controls for faults, latency, races, publication, drafts and deletes, and
 * the events Pimcore dispatches for them (onSave). test/fixtures/pimcore-datahub holds the answers it
 * must give, each read from pimcore/data-hub's source.
 */
export class PimcoreSimulator {
  readonly url: string;
  /** The Datahub endpoint name (PIMCORE_DATAHUB_ENDPOINT). */
  readonly endpoint: string;
  readonly apiKey: string;

  private constructor(
    private readonly server: Server,
    private readonly backend: PimcoreBackend,
    apiKey: string,
  ) {
    const { port } = server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    this.endpoint = backend.model.endpointName;
    this.apiKey = apiKey;
  }

  static async start(options: PimcoreSimulatorOptions = {}): Promise<PimcoreSimulator> {
    const apiKey = options.apiKey ?? SIMULATOR_DEFAULTS.apiKey;
    const backend = new PimcoreBackend(
      loadPimcoreModel(),
      options.languages ?? SIMULATOR_DEFAULTS.languages,
      options.folders ?? SIMULATOR_DEFAULTS.folders,
      options.autoPublish ?? false,
    );
    const datahub = new DatahubEndpoint(backend, [apiKey]);
    const rest = new RestEndpoint(
      backend,
      apiKey,
      options.restAuthHeader ?? SIMULATOR_DEFAULTS.restAuthHeader,
    );
    const server = createServer((request, response) => {
      serve(request, response, backend, datahub, rest).catch((error: unknown) => {
        if (response.headersSent) {
          response.destroy();
          return;
        }
        const status = error instanceof BodyTooLargeError ? 413 : 500;
        sendJson(response, status, { error: error instanceof Error ? error.message : String(error) });
      });
    });
    server.listen(options.port ?? 0, '127.0.0.1');
    await once(server, 'listening');
    return new PimcoreSimulator(server, backend, apiKey);
  }

  /** Drops open connections (hung requests included) and stops listening. */
  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  /** Added before every response. */
  setLatency(ms: number): void {
    this.backend.controls.latencyMs = ms;
  }

  /** The next `count` requests (any API) get this status instead of being served. */
  failNext(count: number, failure: InjectedFailure): void {
    this.backend.controls.failNext(count, failure);
  }

  /** The next `count` requests get no answer until the client gives up or the simulator stops. */
  hangNext(count: number): void {
    this.backend.controls.hangNext(count);
  }

  /**
   * Runs `action` right before the next `operation` is served: a GraphQL root field ("createProduct",
   * "updateProduct", "getProductListing", "getProduct") or a REST route ("POST /api/products",
   * "GET /api/products/{id}", "GET /api/products"). The action may await (e.g. a competing writer).
   */
  beforeNext(operation: string, action: () => void | Promise<void>): void {
    this.backend.controls.beforeNext(operation, action);
  }

  setAutoPublish(on: boolean): void {
    this.backend.autoPublish = on;
  }

  /**
   * As an editor's "Save & Publish": sets published, bumps modificationDate and version, tells listeners.
   * Refused (StoreRefusal "Validation failed: …") while a mandatory field is empty, as in Pimcore.
   */
  publish(id: number): SimulatedObject {
    return this.backend.setPublished(id, true);
  }

  unpublish(id: number): SimulatedObject {
    return this.backend.setPublished(id, false);
  }

  /**
   * As an editor's "Save" of a version without publishing (Concrete::saveVersion): what is stored and
   * published stays as it was; listeners get postUpdate with versionOnly.
   */
  saveDraft(id: number): SimulatedObject {
    return this.backend.saveDraft(id);
  }

  /**
   * Called after every event: postAdd and postUpdate for a Datahub create (it saves twice), postAdd for
   * a REST create, postUpdate for an update, publish, unpublish and draft (versionOnly), postDelete for
   * a delete; as Pimcore's events that Datahub Webhooks forward. Returns an unsubscribe.
   */
  onSave(listener: SaveListener): () => void {
    return this.backend.onSave(listener);
  }

  /** As an editor deleting the object: listeners get postDelete with it as it was. */
  deleteObject(id: number): boolean {
    return this.backend.delete(id);
  }

  /**
   * Puts objects in place (in this order, checked as saves are, without events), e.g. a contract case's
   * `given`: each gets its `id` or the next free one, and its dates and version when given.
   */
  seed(objects: readonly GivenObject[]): SimulatedObject[] {
    return this.backend.seed(objects);
  }

  objects(): SimulatedObject[] {
    return this.backend.store.all();
  }

  object(id: number): SimulatedObject | undefined {
    return this.backend.store.get(id);
  }

  count(): number {
    return this.backend.store.size;
  }

  /**
   * No objects, no faults, no latency, no queued actions; ids and versions start again; folders,
   * listeners and auto-publish stay.
   */
  reset(): void {
    this.backend.store.reset();
    this.backend.controls.reset();
  }
}

async function serve(
  request: IncomingMessage,
  response: ServerResponse,
  backend: PimcoreBackend,
  datahub: DatahubEndpoint,
  rest: RestEndpoint,
): Promise<void> {
  if (
    await backend.controls.interceptRequest(response, (status) => ({ error: `simulated failure ${status}` }))
  )
    return;
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  if (url.pathname.startsWith(DATAHUB_PATH_PREFIX)) return datahub.handle(request, response, url);
  if (url.pathname === REST_PATH_PREFIX || url.pathname.startsWith(`${REST_PATH_PREFIX}/`)) {
    return rest.handle(request, response, url);
  }
  sendJson(response, 404, { error: `no route ${url.pathname}` });
}
