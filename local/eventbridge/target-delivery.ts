import { setTimeout as sleep } from 'node:timers/promises';
import { AwsServiceError } from '../aws-json/aws-service-error';
import type { MessageAttributeJson } from '../sqs/message-attributes';
import type { RuleModel, RuleTargetModel } from '../template/stack-model';
import type { EventEnvelope } from './event-entry';
import { targetInput } from './target-input';

/** Delivers to SQS targets and dead-letter queues (the local SQS broker implements it). */
export interface QueueSender {
  sendMessage(
    queueArn: string,
    body: string,
    attributes?: Record<string, MessageAttributeJson>,
  ): { readonly messageId: string };
}

/**
 * Starts Step Functions executions for state machine targets (implemented by the local Step Functions
 * runner). Resolves once the execution has started, not when it finishes; throw an error named
 * `StateMachineDoesNotExist` for an unknown ARN.
 */
export interface StateMachineStarter {
  startExecution(stateMachineArn: string, input: string): Promise<unknown>;
}

/**
 * Invokes Lambda functions asynchronously for Lambda targets (local/lambda/async-invocations.ts):
 * returns once the invocation is accepted; throws an error named as the Invoke API's when refused.
 */
export interface AsyncFunctionInvoker {
  invokeAsync(functionArn: string, payload: string): void;
}

export interface DeliveryOptions {
  /**
   * Retries of a failing delivery, at most (and never more than the target's MaximumRetryAttempts).
   * AWS retries for up to 24 hours; locally a few quick retries show the same outcome.
   */
  readonly maxRetries: number;
  /** Delay before the first retry, doubled for each further one. */
  readonly retryDelayMs: number;
}

export const DEFAULT_DELIVERY_OPTIONS: DeliveryOptions = { maxRetries: 2, retryDelayMs: 10 };

interface DeliveryFailure {
  readonly code: string;
  readonly message: string;
  readonly retryable: boolean;
}

/**
 * Sends matched events to rule targets (SQS queues, state machines, Lambda functions) as EventBridge
 * does: the target's input, retries per its
 * RetryPolicy, and on final failure the event to the target's dead-letter queue with ERROR_CODE,
 * ERROR_MESSAGE, EXHAUSTED_RETRY_CONDITION, RETRY_ATTEMPTS, RULE_ARN and TARGET_ARN attributes.
 */
export class TargetDelivery {
  constructor(
    private readonly queues: QueueSender,
    /** Looked up per delivery: the Step Functions runner and the Lambdas may be attached after start-up. */
    private readonly stateMachines: () => StateMachineStarter | undefined,
    private readonly options: DeliveryOptions = DEFAULT_DELIVERY_OPTIONS,
    private readonly functions: () => AsyncFunctionInvoker | undefined = () => undefined,
  ) {}

  async deliver(rule: RuleModel, target: RuleTargetModel, event: EventEnvelope): Promise<void> {
    const maxRetries = Math.min(this.options.maxRetries, target.retryPolicy?.maximumRetryAttempts ?? 185);
    let failure = await this.attempt(target, event);
    let retries = 0;
    while (failure?.retryable && retries < maxRetries) {
      await sleep(this.options.retryDelayMs * 2 ** retries);
      retries += 1;
      failure = await this.attempt(target, event);
    }
    if (failure) this.deadLetter(rule, target, event, failure, retries);
  }

  private async attempt(target: RuleTargetModel, event: EventEnvelope): Promise<DeliveryFailure | undefined> {
    try {
      const input = targetInput(target, event);
      switch (target.kind) {
        case 'sqs':
          this.queues.sendMessage(target.arn, input);
          return undefined;
        case 'state-machine': {
          const stateMachines = this.stateMachines();
          if (!stateMachines) return notAttached('Step Functions runner');
          await stateMachines.startExecution(target.arn, input);
          return undefined;
        }
        case 'lambda': {
          const functions = this.functions();
          if (!functions) return notAttached('Lambda runtime');
          functions.invokeAsync(target.arn, input);
          return undefined;
        }
      }
    } catch (error) {
      return classify(error);
    }
  }

  private deadLetter(
    rule: RuleModel,
    target: RuleTargetModel,
    event: EventEnvelope,
    failure: DeliveryFailure,
    retries: number,
  ): void {
    const context = `rule ${rule.name}, target ${target.id}: ${failure.code} ${failure.message}`;
    if (!target.deadLetterArn) {
      console.error(`local EventBridge: event ${event.id} dropped (${context})`);
      return;
    }
    const text = (value: string): MessageAttributeJson => ({ DataType: 'String', StringValue: value });
    const attributes: Record<string, MessageAttributeJson> = {
      ERROR_CODE: text(failure.code),
      ERROR_MESSAGE: text(failure.message),
      RETRY_ATTEMPTS: { DataType: 'Number', StringValue: String(retries) },
      RULE_ARN: text(rule.arn),
      TARGET_ARN: text(target.arn),
    };
    if (failure.retryable) attributes.EXHAUSTED_RETRY_CONDITION = text('MaximumRetryAttempts');
    try {
      this.queues.sendMessage(target.deadLetterArn, JSON.stringify(event), attributes);
    } catch (error) {
      console.error(
        `local EventBridge: event ${event.id} lost, its dead-letter queue failed too (${context})`,
        error,
      );
    }
  }
}

function notAttached(what: string): DeliveryFailure {
  return { code: 'NO_RESOURCE', message: `No local ${what} is attached.`, retryable: false };
}

/** Missing targets are not retried (as on AWS); client errors would fail again; anything else is retried. */
function classify(error: unknown): DeliveryFailure {
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'RequestTooLargeException') return { code: 'SDK_CLIENT_ERROR', message, retryable: false };
  if (
    name === 'QueueDoesNotExist' ||
    name === 'StateMachineDoesNotExist' ||
    name === 'ResourceNotFoundException'
  ) {
    return { code: 'NO_RESOURCE', message, retryable: false };
  }
  const clientError = error instanceof AwsServiceError && error.status < 500;
  return { code: 'SDK_CLIENT_ERROR', message, retryable: !clientError };
}
