import { randomUUID } from 'node:crypto';
import type { JsonValue } from '../aws-json/json';
import type { FunctionModel } from '../template/stack-model';
import { LambdaFunctionError } from './lambda-function-error';

/** Runs a Lambda function of the stack by name or ARN; a failed invocation throws LambdaFunctionError. */
export interface LambdaInvoker {
  /** The function a name, ARN, or qualified ARN designates; undefined when the stack has none such. */
  find(nameOrArn: string): FunctionModel | undefined;
  invoke(nameOrArn: string, payload: JsonValue): Promise<JsonValue>;
}

/** The part of the Lambda context object a local invocation can honestly fill in. */
export interface LocalLambdaContext {
  readonly functionName: string;
  readonly functionVersion: string;
  readonly invokedFunctionArn: string;
  readonly memoryLimitInMB: string;
  readonly awsRequestId: string;
  getRemainingTimeInMillis(): number;
}

type Handler = (event: JsonValue, context: LocalLambdaContext) => unknown;

/** Step Functions' error for a Lambda task whose function does not exist. */
const FUNCTION_NOT_FOUND = 'Lambda.ResourceNotFoundException';

/**
 * Lambda's payload quotas for a synchronous invocation, the only kind this runtime makes (Step Functions
 * tasks; EventBridge targets here are queues and state machines). "Invocation payload (request and
 * response): 6 MB (synchronous)" (Lambda Developer Guide, "Lambda quotas", gettingstarted-limits.html;
 * the Invoke API reference: "For synchronous invocations, the maximum payload size is 6 MB. For
 * asynchronous invocations, the maximum payload size is 1 MB."). The byte counts are those Lambda's own
 * errors name: a request over 6,291,456 bytes is refused with RequestTooLargeException (HTTP 413, the
 * Invoke API's error list; Step Functions names a Lambda API error `Lambda.<exception>`); a response over
 * 6,291,556 bytes fails the invocation with the function error Function.ResponseSizeTooLarge.
 */
const MAX_SYNC_REQUEST_BYTES = 6_291_456;
const MAX_SYNC_RESPONSE_BYTES = 6_291_556;

/**
 * The stack's Lambda functions run in this process: each function's TypeScript handler (see
 * template/handler-source.ts) is imported on its first invocation and called with a JSON copy of the
 * payload, as the Lambda runtime would deliver it. The process environment is the caller's business
 * (pipeline/lambda-environment.ts): handlers read process.env as they would in Lambda.
 */
export class InProcessLambdas implements LambdaInvoker {
  private readonly handlers = new Map<string, Promise<Handler>>();

  constructor(private readonly functions: readonly FunctionModel[]) {}

  find(nameOrArn: string): FunctionModel | undefined {
    // A qualified ARN (…:function:name:$LATEST or an alias) runs the one local version.
    const unqualified = nameOrArn.replace(/^(arn:[^:]+:lambda:[^:]+:[^:]+:function:[^:]+):[^:]+$/, '$1');
    return this.functions.find((fn) => fn.arn === unqualified || fn.name === unqualified);
  }

  async invoke(nameOrArn: string, payload: JsonValue): Promise<JsonValue> {
    const fn = this.find(nameOrArn);
    if (!fn) throw new LambdaFunctionError(FUNCTION_NOT_FOUND, `Function not found: ${nameOrArn}`);
    const event = requestOf(payload);
    const handler = await this.handlerOf(fn);
    const requestId = randomUUID();
    const deadline = Date.now() + fn.timeoutSeconds * 1000;
    const context: LocalLambdaContext = {
      functionName: fn.name,
      functionVersion: '$LATEST',
      invokedFunctionArn: nameOrArn.startsWith('arn:') ? nameOrArn : fn.arn,
      memoryLimitInMB: String(fn.memorySize),
      awsRequestId: requestId,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    };
    try {
      const result = await withFunctionTimeout(handler(event, context), fn.timeoutSeconds, requestId);
      return responseOf(result);
    } catch (error) {
      throw error instanceof LambdaFunctionError ? error : LambdaFunctionError.fromThrown(error);
    }
  }

  private handlerOf(fn: FunctionModel): Promise<Handler> {
    let handler = this.handlers.get(fn.arn);
    if (!handler) {
      handler = loadHandler(fn);
      this.handlers.set(fn.arn, handler);
    }
    return handler;
  }
}

async function loadHandler(fn: FunctionModel): Promise<Handler> {
  let exports: Record<string, unknown>;
  try {
    exports = (await import(fn.handlerSource)) as Record<string, unknown>;
  } catch (error) {
    // The error types the Node.js Lambda runtime reports for these start-up failures.
    throw new LambdaFunctionError('Runtime.ImportModuleError', `${fn.handlerSource}: ${String(error)}`);
  }
  const handler = exports[fn.handlerExport];
  if (typeof handler !== 'function') {
    throw new LambdaFunctionError(
      'Runtime.HandlerNotFound',
      `${fn.handlerSource} does not export a function ${fn.handlerExport}`,
    );
  }
  return handler as Handler;
}

/**
 * Ends the invocation at the function's timeout with the error Lambda reports then; the handler itself
 * cannot be stopped in-process and runs on in the background.
 */
async function withFunctionTimeout(work: unknown, seconds: number, requestId: string): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_resolve, reject) => {
    const message = `RequestId: ${requestId} Error: Task timed out after ${seconds.toFixed(2)} seconds`;
    timer = setTimeout(() => reject(new LambdaFunctionError('Sandbox.Timedout', message)), seconds * 1000);
  });
  try {
    return await Promise.race([work, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/** The event as the function receives it, a JSON copy of the payload, which Lambda refuses over its quota. */
function requestOf(payload: JsonValue): JsonValue {
  const text = JSON.stringify(payload ?? null);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_SYNC_REQUEST_BYTES) {
    throw new LambdaFunctionError(
      'Lambda.RequestTooLargeException',
      `${bytes} byte payload is too large for the RequestResponse invocation type (limit ${MAX_SYNC_REQUEST_BYTES} bytes)`,
    );
  }
  return JSON.parse(text) as JsonValue;
}

/** The result as Lambda returns it: serialised (undefined becomes null), failed over the response quota. */
function responseOf(result: unknown): JsonValue {
  const text = JSON.stringify(result === undefined ? null : result);
  if (Buffer.byteLength(text, 'utf8') > MAX_SYNC_RESPONSE_BYTES) {
    throw new LambdaFunctionError(
      'Function.ResponseSizeTooLarge',
      `Response payload size exceeded maximum allowed payload size (${MAX_SYNC_RESPONSE_BYTES} bytes).`,
    );
  }
  return JSON.parse(text) as JsonValue;
}
