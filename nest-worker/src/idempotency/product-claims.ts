import { randomUUID } from 'node:crypto';
import type { HandlerContext, HandlerOutcome } from '../queue/consumed-message';
import type { AppliedRecord, IdempotencyLedger } from './idempotency-ledger';

/**
 * The consumers' per-product claims (IdempotencyLedger), so that one worker at a time works on a
 * product: claim, then hold the claim while the work runs, or answer "busy" when another worker has it.
 */
export class ProductClaims {
  constructor(
    private readonly ledger: IdempotencyLedger,
    /** When another worker holds the product, look again after this long. */
    private readonly busyRetryDelaySeconds: number,
  ) {}

  async claim(entity: string): Promise<ProductClaim> {
    const owner = randomUUID();
    return this.attempt(entity, owner, await this.ledger.claim(entity, owner));
  }

  /** claim(), and what the ledger last applied to the entity when the claim was made, in one round trip. */
  async claimAndRead(entity: string): Promise<{ claim: ProductClaim; last: AppliedRecord | undefined }> {
    const owner = randomUUID();
    const { claimed, last } = await this.ledger.claimAndRead(entity, owner);
    return { claim: this.attempt(entity, owner, claimed), last };
  }

  private attempt(entity: string, owner: string, won: boolean): ProductClaim {
    return new ProductClaim(this.ledger, entity, owner, won, this.busyRetryDelaySeconds);
  }
}

/** One attempt to claim a product: won, or the product is another worker's. */
class ProductClaim {
  constructor(
    private readonly ledger: IdempotencyLedger,
    private readonly entity: string,
    private readonly owner: string,
    private readonly won: boolean,
    private readonly busyRetryDelaySeconds: number,
  ) {}

  /**
   * Runs `work` under the claim, renewed at every visibility heartbeat and released when the work ends;
   * a claim not won runs nothing and answers "busy".
   */
  async hold(context: HandlerContext, work: () => Promise<HandlerOutcome>): Promise<HandlerOutcome> {
    if (!this.won) {
      return { kind: 'retry-later', reason: 'ProductBusy', delaySeconds: this.busyRetryDelaySeconds };
    }
    context.onHeartbeat(async () => {
      await this.ledger.renew(this.entity, this.owner);
    });
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  /**
   * Gives a won claim up (nothing to do for one not won). Not awaited: this process's later commands
   * follow it on the connection; if it fails, the claim expires.
   */
  release(): void {
    if (this.won) void this.ledger.release(this.entity, this.owner).catch(() => undefined);
  }
}
