import { randomUUID } from 'node:crypto';
import { retryWithBackoff, type BackoffPolicy } from '../../../common/backoff';
import { DETAIL_TYPES, EVENT_SOURCES } from '../../../contracts/events';
import { productIngestedDetailSchema, type ProductIngestedDetail } from '../../../contracts/product-ingested';
import type {
  ConsumedMessage,
  HandlerContext,
  HandlerOutcome,
  MessageHandler,
} from '../queue/consumed-message';
import { judgeDelivery } from '../idempotency/delivery-verdict';
import type { IdempotencyLedger } from '../idempotency/idempotency-ledger';
import { parseEventMessage } from '../queue/parse-event-message';
import {
  PimcoreAuthenticationError,
  PimcorePermanentError,
  PimcoreTransientError,
  type PimcoreClient,
} from '.';

/** What a message is about, for its log lines: externalId, ingestionId, contentHash. */
type Subject = Readonly<Record<string, string>>;

export interface ProductIngestHandlerOptions {
  /** In-process retries of a transient Pimcore failure before the message goes back to SQS. */
  readonly retry: BackoffPolicy;
  /** When another worker holds the product, look again after this long. */
  readonly busyRetryDelaySeconds: number;
  /** An in-process retry of the upsert; `subject` names the product, for the log line. */
  readonly onRetry?: (message: ConsumedMessage, subject: Subject, error: unknown, attempt: number) => void;
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
    const subject: Subject = {
      externalId: product.externalId,
      ingestionId: ingestion.ingestionId,
      contentHash: product.contentHash,
    };
    return { ...(await this.apply(message, context, parsed.detail, subject)), subject };
  }

  private async apply(
    message: ConsumedMessage,
    context: HandlerContext,
    { product, ingestion }: ProductIngestedDetail,
    subject: Subject,
  ): Promise<HandlerOutcome> {
    const entity = product.externalId;
    // Later ingestions carry newer content: the publish time orders versions of a product.
    const version = Date.parse(ingestion.ingestedAt);

    const owner = randomUUID();
    // Claim and read in one round trip: the verdict is taken on what was applied when the claim was
    // made. A duplicate or stale delivery is dropped whether or not the claim was won, as it would be
    // on a look before claiming; a claim won for it is released at once.
    const { claimed, last } = await this.ledger.claimAndRead(entity, owner);
    const verdict = judgeDelivery(last, product.contentHash, version);
    if (verdict === 'duplicate' || verdict === 'stale') {
      if (claimed) this.releaseLater(entity, owner);
      return { kind: 'done', result: verdict };
    }
    if (!claimed) {
      return { kind: 'retry-later', reason: 'ProductBusy', delaySeconds: this.options.busyRetryDelaySeconds };
    }
    context.onHeartbeat(async () => {
      await this.ledger.renew(entity, owner);
    });
    try {
      if (verdict === 'newer-same-content') {
        // Nothing to write, but later deliveries must compare against this newer version.
        await this.ledger.markApplied(entity, product.contentHash, version, last?.appliedAs ?? '');
        return { kind: 'done', result: 'duplicate' };
      }

      const result = await retryWithBackoff(
        // Written before: an update is likely, so the adapter looks the object up first.
        () =>
          this.pimcore.upsertProduct(product, { signal: context.signal, expectExisting: last !== undefined }),
        {
          ...this.options.retry,
          signal: context.signal,
          isRetryable: (error) => error instanceof PimcoreTransientError,
          requestedDelayMs: (error) =>
            error instanceof PimcoreTransientError ? error.retryAfterMs : undefined,
          onRetry: (error, attempt) => this.options.onRetry?.(message, subject, error, attempt),
        },
      );
      await this.ledger.markApplied(entity, product.contentHash, version, String(result.pimcoreId));
      return { kind: 'done', result: 'applied' };
    } catch (error) {
      return classifyFailure(error);
    } finally {
      this.releaseLater(entity, owner);
    }
  }

  /** Not awaited: this process's later commands follow it on the connection; if it fails, it expires. */
  private releaseLater(entity: string, owner: string): void {
    void this.ledger.release(entity, owner).catch(() => undefined);
  }
}

/**
 * What a delivery is, next to what the ledger last applied to its product: the same content and not
 * newer (duplicate), older than what Pimcore holds (stale), the same content in a newer upload (nothing
 * to write, but remember the version), or something to write.
 */
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
