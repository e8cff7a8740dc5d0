import type { IncomingMessage, ServerResponse } from 'node:http';
import { execute, GraphQLError, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { buildDatahubSchema } from './datahub-schema';
import { readBody, sendJson } from './http-io';
import type { PimcoreBackend } from './pimcore-backend';

export const DATAHUB_PATH_PREFIX = '/pimcore-graphql-webservices/';

/**
 * POST /pimcore-graphql-webservices/<endpoint>, as WebserviceController::webonyxAction answers it:
 * 404 for an unknown endpoint, 403 for a missing or wrong API key (header `apikey` or `X-API-Key`, or
 * `?apikey=`), and HTTP 200 with `errors` for everything GraphQL refuses.
 */
/** Distinct documents kept parsed and validated; clients send a handful, with values in variables. */
const DOCUMENT_CACHE_SIZE = 64;

export class DatahubEndpoint {
  private readonly schema: GraphQLSchema;
  /** Parsing and validating each request's document dominated the simulator's time under load. */
  private readonly validDocuments = new Map<string, DocumentNode>();

  constructor(
    private readonly backend: PimcoreBackend,
    private readonly apiKeys: readonly string[],
  ) {
    this.schema = buildDatahubSchema(backend);
  }

  async handle(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const name = decodeURIComponent(url.pathname.slice(DATAHUB_PATH_PREFIX.length));
    if (name !== this.backend.model.endpointName) {
      return sendProblem(response, 404, `No active configuration found for ${name}`);
    }
    const apiKey =
      firstValue(request.headers.apikey) ??
      firstValue(request.headers['x-api-key']) ??
      url.searchParams.get('apikey');
    if (apiKey === null || !this.apiKeys.includes(apiKey)) {
      return sendProblem(response, 403, 'Permission denied, apikey not valid');
    }
    const input = jsonObject(await readBody(request));
    // Like json_decode in PHP: an unreadable body means no query, which GraphQL then refuses.
    const query = typeof input.query === 'string' ? input.query : '';
    const document = this.validDocument(query);
    if (!('kind' in document)) return sendJson(response, 200, document);
    const result = await execute({
      schema: this.schema,
      document,
      variableValues: isObject(input.variables) ? input.variables : undefined,
      operationName: typeof input.operationName === 'string' ? input.operationName : undefined,
    });
    sendJson(response, 200, result);
  }

  /** The parsed, validated document, or the `{errors}` answer GraphQL gives for it. */
  private validDocument(query: string): DocumentNode | { errors: readonly GraphQLError[] } {
    const cached = this.validDocuments.get(query);
    if (cached) return cached;
    let document: DocumentNode;
    try {
      document = parse(query);
    } catch (error) {
      if (error instanceof GraphQLError) return { errors: [error] };
      throw error;
    }
    const validationErrors = validate(this.schema, document);
    if (validationErrors.length > 0) return { errors: validationErrors };
    if (this.validDocuments.size >= DOCUMENT_CACHE_SIZE) this.validDocuments.clear();
    this.validDocuments.set(query, document);
    return document;
  }
}

/** Symfony's JSON rendering of an HTTP exception (with the message, as in debug mode). */
function sendProblem(response: ServerResponse, status: number, detail: string): void {
  const title = 'An error occurred';
  sendJson(
    response,
    status,
    { type: 'https://tools.ietf.org/html/rfc2616#section-10', title, status, detail },
    {
      'content-type': 'application/problem+json',
    },
  );
}

function firstValue(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return value === '' ? undefined : value;
}

function jsonObject(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    return isObject(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
