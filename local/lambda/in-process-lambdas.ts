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
      const result = await withFunctionTimeout(
        handler(jsonCopy(payload), context),
        fn.timeoutSeconds,
        requestId,
      );
      // Lambda serialises the result: undefined becomes null, class instances plain JSON.
      return result === undefined ? null : jsonCopy(result);
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

function jsonCopy(value: unknown): JsonValue {
  return JSON.parse(JSON.stringify(value)) as JsonValue;
}
