import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { sameFieldText } from './collation';
import { readBody, sendJson } from './http-io';
import { StoreRefusal, type FieldWrite, type SimulatedObject } from './object-store';
import type { PimcoreBackend } from './pimcore-backend';

export const REST_PATH_PREFIX = '/api/products';

const upsertBodySchema = z.strictObject({
  key: z.string().min(1),
  parentPath: z.string().min(1),
  publishOnCreate: z.boolean(),
  data: z.record(z.string(), z.union([z.string(), z.null(), z.record(z.string(), z.string().nullable())])),
});

/** A request the contract refuses, answered 400 with the reason. */
class BadRequest extends Error {}

/**
 * The custom REST endpoint of docs/pimcore.md: `POST /api/products` upserts by externalId (atomic here,
 * as the contract requires), `GET /api/products/{id}`, `GET /api/products?externalId=`. The API key
 * travels in a configurable header; a wrong one gets 401. A site's controller saves a new object once
 * (`$object->save()`: postAdd only), unlike Datahub's create, which saves twice.
 */
export class RestEndpoint {
  constructor(
    private readonly backend: PimcoreBackend,
    private readonly apiKey: string,
    private readonly authHeader: string,
  ) {}

  async handle(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    if (request.headers[this.authHeader.toLowerCase()] !== this.apiKey) {
      return sendJson(response, 401, { error: 'invalid or missing API key' });
    }
    const rest = url.pathname.slice(REST_PATH_PREFIX.length);
    try {
      if (request.method === 'POST' && rest === '') return await this.upsert(request, response);
      if (request.method === 'GET' && rest === '') return await this.list(response, url);
      const id = /^\/(\d+)$/.exec(rest)?.[1];
      if (request.method === 'GET' && id !== undefined) return await this.get(response, Number(id));
      sendJson(response, 404, { error: `no route ${request.method ?? ''} ${url.pathname}` });
    } catch (error) {
      if (error instanceof BadRequest) return sendJson(response, 400, { error: error.message });
      if (!(error instanceof StoreRefusal)) throw error;
      const conflict = error.kind === 'duplicate-path' || error.kind === 'unique';
      sendJson(response, conflict ? 409 : 400, { error: error.message });
    }
  }

  private async upsert(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = upsertBodySchema.safeParse(parseJson(await readBody(request)));
    if (!body.success) throw new BadRequest(`invalid body: ${z.prettifyError(body.error)}`);
    const { key, parentPath, publishOnCreate, data } = body.data;
    const externalId = data.externalId;
    if (typeof externalId !== 'string' || externalId === '') {
      throw new BadRequest('data.externalId is required');
    }
    await this.backend.controls.runBefore('POST /api/products');
    const writes = this.fieldWrites(data);
    const existing = this.findByExternalId(externalId);
    if (existing) {
      this.backend.update(existing.id, writes);
      return sendJson(response, 200, { id: existing.id, created: false });
    }
    const created = this.backend.create({ parentPath, key, published: publishOnCreate, writes });
    sendJson(response, 201, { id: created.id, created: true });
  }

  private async get(response: ServerResponse, id: number): Promise<void> {
    await this.backend.controls.runBefore('GET /api/products/{id}');
    const object = this.backend.store.get(id);
    if (!object) return sendJson(response, 404, { error: `no object ${id}` });
    sendJson(response, 200, toRestObject(object));
  }

  private async list(response: ServerResponse, url: URL): Promise<void> {
    const externalId = url.searchParams.get('externalId');
    if (externalId === null) return this.page(response, url);
    if (!externalId) throw new BadRequest('the externalId query parameter is empty');
    await this.backend.controls.runBefore('GET /api/products');
    const object = this.findByExternalId(externalId);
    sendJson(response, 200, { items: object ? [toRestObject(object)] : [] });
  }

  /** Every object by id, a page of them: `offset` (≥ 0) and `limit` (1–1000) as the contract says. */
  private async page(response: ServerResponse, url: URL): Promise<void> {
    const offset = pageParameter(url, 'offset', 0, Number.MAX_SAFE_INTEGER);
    const limit = pageParameter(url, 'limit', 1, 1000);
    await this.backend.controls.runBefore('GET /api/products');
    const all = this.backend.store.all();
    sendJson(response, 200, {
      items: all.slice(offset, offset + limit).map(toRestObject),
      total: all.length,
    });
  }

  /** A site's listing `externalId = ?`, in the column's collation (collation.ts). */
  private findByExternalId(externalId: string): SimulatedObject | undefined {
    return this.backend.store.select((object) => {
      const held = object.values.externalId;
      return typeof held === 'string' && sameFieldText(held, externalId);
    })[0];
  }

  private fieldWrites(data: z.infer<typeof upsertBodySchema>['data']): FieldWrite[] {
    return Object.entries(data).flatMap(([name, value]): FieldWrite[] => {
      const field = this.backend.model.fields.get(name);
      if (!field) throw new BadRequest(`unknown field ${name}`);
      if (!field.localized) {
        if (typeof value === 'object' && value !== null) throw new BadRequest(`${name} expects a string`);
        return [{ field, value }];
      }
      if (typeof value !== 'object' || value === null) {
        throw new BadRequest(`${name} expects {language: text}`);
      }
      return Object.entries(value).map(([language, text]) => {
        if (!this.backend.languages.includes(language)) {
          throw new BadRequest(`${name}: unknown language ${language}`);
        }
        return { field, value: text, language };
      });
    });
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new BadRequest('the body is not JSON');
  }
}

function toRestObject(object: SimulatedObject) {
  const { id, key, fullPath, published, creationDate, modificationDate, version, values, localized } = object;
  return {
    id,
    key,
    fullpath: fullPath,
    published,
    creationDate,
    modificationDate,
    version,
    data: { ...values, ...localized },
  };
}

function pageParameter(url: URL, name: string, min: number, max: number): number {
  const text = url.searchParams.get(name);
  const value = Number(text);
  if (text === null || !/^\d+$/.test(text) || value < min || value > max) {
    throw new BadRequest(`${name} must be a whole number from ${min} to ${max}`);
  }
  return value;
}
