import { randomUUID } from 'node:crypto';
import { retryWithBackoff, type BackoffPolicy } from '../../../common/backoff';
import { DETAIL_TYPES, EVENT_SOURCES } from '../../../contracts/events';
import { productIngestedDetailSchema, type ProductIngestedDetail } from '../../../contracts/product-ingested';
import type {
  ConsumedMessage,
  HandlerContext,
  HandlerOutcome,
  MessageHandler,
} from '../consumer/consumed-message';
import type { IdempotencyLedger } from '../idempotency/idempotency-ledger';
import { parseEventMessage } from '../messages/parse-event-message';
import {
  PimcoreAuthenticationError,
  PimcorePermanentError,
  PimcoreTransientError,
  type PimcoreClient,
} from '../pimcore';

export interface ProductIngestHandlerOptions {
  /** In-process retries of a transient Pimcore failure before the message goes back to SQS. */
  readonly retry: BackoffPolicy;
  /** When another worker holds the product, look again after this long. */
  readonly busyRetryDelaySeconds: number;
  readonly onRetry?: (message: ConsumedMessage, error: unknown, attempt: number) => void;
}

/**
 * product-ingest → Pimcore. Per message: unwrap the EventBridge envelope and check it against the shared
 * schema (a message that can never succeed goes to the DLQ with the reason); drop duplicates and
 * outdated versions (Redis ledger); upsert into Pimcore under a per-product claim; record the
 * application. The upsert is keyed by externalId, so even a lost Redis state never creates a second
 * object — it can only cause an idempotent re-write.
 */
export class ProductIngestHandler implements MessageHandler {
  constructor(
    private readonly ledger: IdempotencyLedger,
    private readonly pimcore: PimcoreClient,
    private readonly options: ProductIngestHandlerOptions,
  ) {}

  async handle(message: ConsumedMessage, context: HandlerContext): Promise<HandlerOutcome> {
    const parsed = parseEventMessage(message.body, {
      source: EVENT_SOURCES.ingestion,
      detailTypes: [DETAIL_TYPES.productIngested],
      detailSchema: productIngestedDetailSchema,
    });
    if (!parsed.ok) return { kind: 'dead-letter', reason: parsed.reason, detail: parsed.detail };
    const { product, ingestion } = parsed.detail;
    const outcome = await this.apply(message, context, parsed.detail);
    return {
      ...outcome,
      subject: {
        externalId: product.externalId,
        ingestionId: ingestion.ingestionId,
        contentHash: product.contentHash,
      },
    };
  }

  private async apply(
    message: ConsumedMessage,
    context: HandlerContext,
    { product, ingestion }: ProductIngestedDetail,
  ): Promise<HandlerOutcome> {
    const entity = product.externalId;
    // Later ingestions carry newer content: the publish time orders versions of a product.
    const version = Date.parse(ingestion.ingestedAt);

    if (await this.ledger.isApplied(entity, product.contentHash))
      return { kind: 'done', result: 'duplicate' };
    const owner = randomUUID();
    if (!(await this.ledger.claim(entity, owner))) {
      return { kind: 'retry-later', reason: 'ProductBusy', delaySeconds: this.options.busyRetryDelaySeconds };
    }
    context.onHeartbeat(async () => {
      await this.ledger.renew(entity, owner);
    });
    try {
      // Checked again under the claim: another worker may have finished between the first check and it.
      if (await this.ledger.isApplied(entity, product.contentHash))
        return { kind: 'done', result: 'duplicate' };
      const lastApplied = await this.ledger.lastAppliedVersion(entity);
      if (lastApplied !== undefined && lastApplied > version) return { kind: 'done', result: 'stale' };

      const result = await retryWithBackoff(
        () => this.pimcore.upsertProduct(product, { signal: context.signal }),
        {
          ...this.options.retry,
          signal: context.signal,
          isRetryable: (error) => error instanceof PimcoreTransientError,
          requestedDelayMs: (error) =>
            error instanceof PimcoreTransientError ? error.retryAfterMs : undefined,
          onRetry: (error, attempt) => this.options.onRetry?.(message, error, attempt),
        },
      );
      await this.ledger.markApplied(entity, product.contentHash, version, String(result.pimcoreId));
      return { kind: 'done', result: 'applied' };
    } catch (error) {
      return classifyFailure(error);
    } finally {
      await this.ledger.release(entity, owner).catch(() => undefined); // it expires anyway
    }
  }
}

function classifyFailure(error: unknown): HandlerOutcome {
  // A wrong API key is the operator's to fix, not the product's fault: keep the message for later.
  if (error instanceof PimcoreAuthenticationError) {
    return { kind: 'retry-later', reason: 'PimcoreAuthentication' };
  }
  if (error instanceof PimcorePermanentError) {
    return { kind: 'dead-letter', reason: `PimcoreRejected:${error.reason}`, detail: error.message };
  }
  if (error instanceof PimcoreTransientError) {
    const delaySeconds = error.retryAfterMs === undefined ? undefined : Math.ceil(error.retryAfterMs / 1000);
    return { kind: 'retry-later', reason: `PimcoreUnavailable:${error.reason}`, delaySeconds };
  }
  throw error;
}
