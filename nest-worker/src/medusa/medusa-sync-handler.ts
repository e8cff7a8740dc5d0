import { retryWithBackoff, type BackoffPolicy } from '../../../common/backoff';
import { DETAIL_TYPES, EVENT_SOURCES } from '../../../contracts/events';
import { productPublicationDetailSchema } from '../../../contracts/product-publication';
import type {
  ConsumedMessage,
  HandlerContext,
  HandlerOutcome,
  MessageHandler,
} from '../queue/consumed-message';
import { judgeDelivery } from '../idempotency/delivery-verdict';
import type { AppliedRecord, IdempotencyLedger } from '../idempotency/idempotency-ledger';
import { ProductClaims } from '../idempotency/product-claims';
import { relayEntity, type RelayPendingMarks } from '../idempotency/relay-pending-marks';
import {
  fingerprintOf,
  pimcoreRevisionOf,
  toMedusaProductBody,
  withFingerprint,
  type MappingSettings,
} from './medusa-product-body';
import type { MedusaProductSync, SyncOutcome } from './medusa-product-sync';
import {
  downstreamFailureOutcome,
  isTransientDownstreamError,
  requestedRetryDelayMs,
} from '../downstream/downstream-failure';
import { parseEventMessage } from '../queue/parse-event-message';
import type { PimcoreClient } from '../pimcore';

type Subject = Readonly<Record<string, string>>;

/** What one delivery asks the relay to do (the event's detail, as the relay uses it). */
interface RelayRequest {
  readonly pimcoreId: number;
  /** Sent by reconciliation: Medusa differs, whatever the ledger says. */
  readonly repair: boolean;
  /** With a repair: the Medusa product to take down should the object be gone. */
  readonly medusaId?: string;
}

/** The ledger's content marker for a product whose Pimcore object was deleted. */
const DELETED = 'deleted';

export interface MedusaSyncHandlerOptions {
  readonly mapping: MappingSettings;
  /** In-process retries of a transient Pimcore or Medusa failure before the message goes back to SQS. */
  readonly retry: BackoffPolicy;
  /** When another worker holds the product, look again after this long. */
  readonly busyRetryDelaySeconds: number;
  readonly onRetry?: (message: ConsumedMessage, subject: Subject, error: unknown, attempt: number) => void;
}

/**
 * medusa-sync → Medusa. ProductPublished and ProductUnpublished only say *when* to look: the handler
 * reads the product as Pimcore holds it now (editors enrich it there) and makes Medusa show that state
 * — published, draft, or taken down when the object is gone. Reading the current state makes
 * out-of-order deliveries harmless; under a per-product Redis claim, the ledger drops deliveries that
 * would change nothing and refuses to go back to an older Pimcore revision (so does the revision in
 * the Medusa product's metadata, should Redis have lost its state).
 */
export class MedusaSyncHandler implements MessageHandler {
  private readonly claims: ProductClaims;

  constructor(
    private readonly ledger: IdempotencyLedger,
    private readonly pendingRelays: RelayPendingMarks,
    private readonly pimcore: PimcoreClient,
    private readonly medusa: MedusaProductSync,
    private readonly options: MedusaSyncHandlerOptions,
  ) {
    this.claims = new ProductClaims(ledger, options.busyRetryDelaySeconds);
  }

  async handle(message: ConsumedMessage, context: HandlerContext): Promise<HandlerOutcome> {
    const parsed = parseEventMessage(message.body, {
      source: EVENT_SOURCES.pimcore,
      detailTypes: [DETAIL_TYPES.productPublished, DETAIL_TYPES.productUnpublished],
      detailSchema: productPublicationDetailSchema,
    });
    if (!parsed.ok) return { kind: 'dead-letter', reason: parsed.reason, detail: parsed.detail };
    const { pimcoreId, externalId, deliveryId, repair, medusaId } = parsed.detail;
    const subject: Subject = {
      event: parsed.detailType,
      pimcoreId: String(pimcoreId),
      deliveryId,
      ...(externalId === undefined ? {} : { externalId }),
      ...(repair ? { repair: 'true' } : {}),
    };
    const request: RelayRequest = { pimcoreId, repair: repair === true, medusaId };
    const outcome = await this.relay(message, context, request, subject);
    return { ...outcome, subject: { ...subject, ...outcome.subject } };
  }

  private async relay(
    message: ConsumedMessage,
    context: HandlerContext,
    request: RelayRequest,
    subject: Subject,
  ): Promise<HandlerOutcome> {
    const { pimcoreId } = request;
    const entity = relayEntity(pimcoreId);
    // The webhook puts no event for an object while its mark says one is on its way; from here on, the
    // read below (this delivery's, now or after a hand-back) is that event's. So the mark goes first, at
    // every receive, before anything can hand the message back: a webhook after this delete puts an
    // event of its own, one before it is covered by the read. Redis failing throws RedisUnavailable:
    // the message is handed back, never read without the delete.
    await this.pendingRelays.clear(pimcoreId);
    const claim = await this.claims.claim(entity);
    return claim.hold(context, async () => {
      try {
        return await retryWithBackoff(() => this.syncOnce(entity, request, context.signal), {
          ...this.options.retry,
          signal: context.signal,
          isRetryable: isTransientDownstreamError,
          requestedDelayMs: requestedRetryDelayMs,
          onRetry: (error, attempt) => this.options.onRetry?.(message, subject, error, attempt),
        });
      } catch (error) {
        return downstreamFailureOutcome(error);
      }
    });
  }

  /**
   * One attempt: read Pimcore and the ledger, then write to Medusa only what changed — or, for a
   * repair, write whatever the ledger says: it is Medusa that was found to differ.
   */
  private async syncOnce(
    entity: string,
    request: RelayRequest,
    signal: AbortSignal,
  ): Promise<HandlerOutcome> {
    const [product, last] = await Promise.all([
      this.pimcore.getProduct(request.pimcoreId, { signal }),
      this.ledger.lastApplied(entity),
    ]);
    if (product === null) return this.takeDown(entity, last, request, signal);

    const body = toMedusaProductBody(product, this.options.mapping);
    const revision = pimcoreRevisionOf(product);
    const fingerprint = fingerprintOf(body, product, this.options.mapping);
    const verdict = judgeDelivery(last, fingerprint, revision);
    if (!request.repair) {
      if (verdict === 'duplicate' || verdict === 'stale') return { kind: 'done', result: verdict };
      if (verdict === 'newer-same-content') {
        // Nothing Medusa shows changed, but later deliveries must compare against this newer revision.
        await this.ledger.markApplied(entity, fingerprint, revision, last?.appliedAs ?? '');
        return { kind: 'done', result: 'duplicate' };
      }
    }
    const outcome = await this.medusa.upsert(withFingerprint(body, fingerprint), product, signal);
    if (outcome.kind === 'stale') return { kind: 'done', result: 'stale', subject: describe(outcome) };
    await this.ledger.markApplied(entity, fingerprint, revision, medusaIdOf(outcome));
    return { kind: 'done', result: 'applied', subject: { ...describe(outcome), status: body.status } };
  }

  /**
   * The Pimcore object is gone: draft the Medusa product the ledger knows it became, if any; a repair
   * names the product itself (the ledger may have lost it), drafted only if it is this object's.
   */
  private async takeDown(
    entity: string,
    last: AppliedRecord | undefined,
    request: RelayRequest,
    signal: AbortSignal,
  ): Promise<HandlerOutcome> {
    if (last?.contentHash === DELETED && !request.repair) return { kind: 'done', result: 'duplicate' };
    const known = last === undefined || last.appliedAs === '' ? undefined : last.appliedAs;
    let outcome: SyncOutcome = { kind: 'absent' };
    if (known !== undefined) outcome = await this.medusa.draft(known, signal);
    else if (request.repair && request.medusaId !== undefined) {
      outcome = await this.medusa.draftOwned(request.medusaId, request.pimcoreId, signal);
    }
    await this.ledger.markApplied(entity, DELETED, last?.version ?? 0, medusaIdOf(outcome));
    return {
      kind: 'done',
      result: 'applied',
      subject: { ...describe(outcome), status: 'deleted-in-pimcore' },
    };
  }
}

function medusaIdOf(outcome: SyncOutcome): string {
  return outcome.kind === 'absent' ? '' : outcome.medusaId;
}

function describe(outcome: SyncOutcome): Subject {
  return outcome.kind === 'absent'
    ? { medusaAction: 'absent' }
    : { medusaAction: outcome.kind, medusaId: outcome.medusaId };
}
