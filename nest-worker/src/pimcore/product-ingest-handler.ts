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
import { ProductClaims } from '../idempotency/product-claims';
import {
  downstreamFailureOutcome,
  isTransientDownstreamError,
  requestedRetryDelayMs,
} from '../downstream/downstream-failure';
import { parseEventMessage } from '../queue/parse-event-message';
import type { PimcoreClient } from '.';

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
  private readonly claims: ProductClaims;

  constructor(
    private readonly ledger: IdempotencyLedger,
    private readonly pimcore: PimcoreClient,
    private readonly options: ProductIngestHandlerOptions,
  ) {
    this.claims = new ProductClaims(ledger, options.busyRetryDelaySeconds);
  }

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

    // Claim and read in one round trip: the verdict is taken on what was applied when the claim was
    // made. A duplicate or stale delivery is dropped whether or not the claim was won, as it would be
    // on a look before claiming; a claim won for it is released at once.
    const { claim, last } = await this.claims.claimAndRead(entity);
    const verdict = judgeDelivery(last, product.contentHash, version);
    if (verdict === 'duplicate' || verdict === 'stale') {
      claim.release();
      return { kind: 'done', result: verdict };
    }
    return claim.hold(context, async () => {
      try {
        if (verdict === 'newer-same-content') {
          // Nothing to write, but later deliveries must compare against this newer version.
          await this.ledger.markApplied(entity, product.contentHash, version, last?.appliedAs ?? '');
          return { kind: 'done', result: 'duplicate' };
        }

        const result = await retryWithBackoff(
          // Written before: an update is likely, so the adapter looks the object up first.
          () =>
            this.pimcore.upsertProduct(product, {
              signal: context.signal,
              expectExisting: last !== undefined,
            }),
          {
            ...this.options.retry,
            signal: context.signal,
            isRetryable: isTransientDownstreamError,
            requestedDelayMs: requestedRetryDelayMs,
            onRetry: (error, attempt) => this.options.onRetry?.(message, subject, error, attempt),
          },
        );
        await this.ledger.markApplied(entity, product.contentHash, version, String(result.pimcoreId));
        return { kind: 'done', result: 'applied' };
      } catch (error) {
        return downstreamFailureOutcome(error);
      }
    });
  }
}
