import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { JsonValue } from '../aws-json/json';
import type { MessageAttributeJson } from '../sqs/message-attributes';
import type { LambdaInvoker } from './in-process-lambdas';
import { LambdaFunctionError } from './lambda-function-error';

/** Where a failed asynchronous invocation goes: the function's dead-letter queue (the local SQS broker). */
export interface DeadLetterSender {
  sendMessage(queueArn: string, body: string, attributes?: Record<string, MessageAttributeJson>): unknown;
}

/**
 * "For asynchronous invocations, the maximum payload size is 1 MB" (Lambda API reference, Invoke;
 * raised from 256 KB in 2025).
 */
const MAX_ASYNC_PAYLOAD_BYTES = 1_048_576;

/**
 * Lambda retries a failed asynchronous invocation twice by default ("Configuring error handling for
 * asynchronous invocation": MaximumRetryAttempts 0–2, default 2), about one and then two minutes later;
 * locally the retries come at once, with the same outcome.
 */
const DEFAULT_RETRY_ATTEMPTS = 2;

/**
 * Asynchronous invocation (InvocationType Event), as EventBridge's Lambda targets use it: Lambda accepts
 * the event at once (202) and runs it later; a function error is retried, and after the last attempt
 * the event goes to the function's dead-letter queue with the attributes Lambda sets (RequestID,
 * ErrorCode, ErrorMessage: "Dead-letter queues", Lambda Developer Guide) or, without one, is dropped
 * with a log line, as on AWS.
 */
export class AsyncLambdaInvocations {
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly lambdas: LambdaInvoker,
    private readonly deadLetters: DeadLetterSender,
    private readonly retryDelayMs = 10,
  ) {}

  /** Accepts the event or throws as the Invoke API refuses it (an unknown function, a payload too large). */
  invokeAsync(functionArn: string, payload: string): void {
    const fn = this.lambdas.find(functionArn);
    if (!fn) {
      throw new LambdaFunctionError('ResourceNotFoundException', `Function not found: ${functionArn}`);
    }
    const bytes = Buffer.byteLength(payload, 'utf8');
    if (bytes > MAX_ASYNC_PAYLOAD_BYTES) {
      throw new LambdaFunctionError(
        'RequestTooLargeException',
        `${bytes} byte payload is too large for the Event invocation type (limit ${MAX_ASYNC_PAYLOAD_BYTES} bytes)`,
      );
    }
    const run = this.run(functionArn, fn.deadLetterArn, payload).finally(() => this.running.delete(run));
    this.running.add(run);
  }

  /** Settles when every accepted invocation has ended (succeeded, or been dead-lettered or dropped). */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  private async run(functionArn: string, deadLetterArn: string | undefined, payload: string): Promise<void> {
    let lastError: LambdaFunctionError | undefined;
    for (let attempt = 0; attempt <= DEFAULT_RETRY_ATTEMPTS; attempt++) {
      if (attempt > 0) await sleep(this.retryDelayMs * 2 ** (attempt - 1));
      try {
        await this.lambdas.invoke(functionArn, JSON.parse(payload) as JsonValue);
        return;
      } catch (error) {
        lastError = error instanceof LambdaFunctionError ? error : LambdaFunctionError.fromThrown(error);
      }
    }
    const reason = `${lastError?.errorType}: ${lastError?.errorMessage}`;
    if (!deadLetterArn) {
      console.error(
        `local Lambda: asynchronous invocation of ${functionArn} dropped after retries (${reason})`,
      );
      return;
    }
    const text = (value: string): MessageAttributeJson => ({ DataType: 'String', StringValue: value });
    this.deadLetters.sendMessage(deadLetterArn, payload, {
      RequestID: text(randomUUID()),
      ErrorCode: { DataType: 'Number', StringValue: '200' },
      ErrorMessage: text(reason.slice(0, 1024)),
    });
  }
}
