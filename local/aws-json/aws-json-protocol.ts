import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AwsServiceError } from './aws-service-error';
import type { RequestListener } from './http-listener';
import { isJsonObject, type JsonObject } from './json';

export interface RequestContext {
  /** Aborted when the caller hangs up, so a long poll stops waiting for a reader that is gone. */
  readonly signal: AbortSignal;
}

export type OperationHandler = (
  input: JsonObject,
  context: RequestContext,
) => JsonObject | Promise<JsonObject>;

/** A service speaking the AWS JSON 1.0/1.1 protocol: `POST /` with `X-Amz-Target: <prefix>.<Operation>`. */
export interface AwsJsonService {
  /** `AmazonSQS`, `AWSEvents`. */
  readonly targetPrefix: string;
  readonly jsonVersion: '1.0' | '1.1';
  /** Prefix of `__type` in error bodies, e.g. `com.amazonaws.sqs#`; empty where the service sends bare names. */
  readonly errorTypePrefix: string;
  /** SQS is "awsQueryCompatible": its errors also carry the old query code in `x-amzn-query-error`. */
  readonly queryCompatible: boolean;
  readonly operations: Readonly<Record<string, OperationHandler>>;
}

/** SQS batches reach 10 × 1 MiB; anything far beyond is not a real SDK request. */
const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

type ResponseFormat = Pick<AwsJsonService, 'jsonVersion' | 'errorTypePrefix' | 'queryCompatible'>;

/** How to answer a request no mounted service claims. */
const UNKNOWN_SERVICE: ResponseFormat = { jsonVersion: '1.0', errorTypePrefix: '', queryCompatible: false };

/**
 * Serves AWS JSON services on one HTTP listener, told apart by their X-Amz-Target prefix, so a single
 * endpoint (AWS_ENDPOINT_URL) reaches SQS, EventBridge and any further JSON service, as WholePipeline's does.
 */
export class AwsJsonRouter {
  private readonly services = new Map<string, AwsJsonService>();

  readonly listener: RequestListener = (request, response) => {
    void this.answer(request, response);
  };

  mount(service: AwsJsonService): void {
    this.services.set(service.targetPrefix, service);
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const target = request.headers['x-amz-target'];
    const [prefix = '', operation = ''] = typeof target === 'string' ? target.split('.') : [];
    const service = this.services.get(prefix);
    const hangUp = new AbortController();
    response.on('close', () => hangUp.abort());
    try {
      if (!service || request.method !== 'POST' || !Object.hasOwn(service.operations, operation)) {
        throw new AwsServiceError('UnknownOperationException', `Unknown operation ${String(target)}`);
      }
      const input = parseBody(await readBody(request));
      const output = await service.operations[operation](input, { signal: hangUp.signal });
      send(service, response, 200, output);
    } catch (error) {
      sendError(service ?? UNKNOWN_SERVICE, response, asServiceError(error));
    }
  }
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_REQUEST_BYTES)
      throw new AwsServiceError('RequestEntityTooLarge', 'Request is too large', 413);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(text: string): JsonObject {
  let parsed: unknown;
  try {
    parsed = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw new AwsServiceError('SerializationException', 'Request body is not valid JSON');
  }
  if (!isJsonObject(parsed))
    throw new AwsServiceError('SerializationException', 'Request body must be a JSON object');
  return parsed;
}

function asServiceError(error: unknown): AwsServiceError {
  if (error instanceof AwsServiceError) return error;
  console.error('local AWS emulator: unexpected error', error);
  return new AwsServiceError(
    'InternalFailure',
    'The request processing has failed because of an unknown error.',
    500,
  );
}

function sendError(format: ResponseFormat, response: ServerResponse, error: AwsServiceError): void {
  const headers: Record<string, string> = {};
  if (format.queryCompatible && error.queryCode) {
    headers['x-amzn-query-error'] = `${error.queryCode};${error.fault}`;
  }
  send(
    format,
    response,
    error.status,
    { __type: `${format.errorTypePrefix}${error.code}`, message: error.message },
    headers,
  );
}

function send(
  format: ResponseFormat,
  response: ServerResponse,
  status: number,
  body: JsonObject,
  headers: Record<string, string> = {},
): void {
  if (response.headersSent || response.destroyed) return;
  const payload = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': `application/x-amz-json-${format.jsonVersion}`,
    'content-length': Buffer.byteLength(payload),
    'x-amzn-requestid': randomUUID(),
    ...headers,
  });
  response.end(payload);
}
