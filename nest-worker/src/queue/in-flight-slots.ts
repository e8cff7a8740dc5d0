/**
 * A counting semaphore for messages in flight across the process. Written here rather than taken
 * from p-limit because the consumer must wait for a free slot *before* receiving (so it never holds
 * messages it cannot start), which a task-queue limiter does not offer.
 */
export class InFlightSlots {
  private used = 0;
  private readonly waiters: (() => void)[] = [];
  private releaseWaiters: (() => void)[] = [];

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`capacity must be ≥ 1, got ${capacity}`);
  }

  get inUse(): number {
    return this.used;
  }

  get free(): number {
    return this.capacity - this.used;
  }

  /** Resolves once at least one slot is free (it does not take it). */
  async waitForFree(): Promise<void> {
    if (this.free > 0) return;
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** Resolves at the next release (or wakeAll), whatever it frees. */
  async waitForRelease(): Promise<void> {
    await new Promise<void>((resolve) => this.releaseWaiters.push(resolve));
  }

  /** Takes up to `wanted` free slots and returns how many it took. */
  take(wanted: number): number {
    const taken = Math.max(0, Math.min(wanted, this.free));
    this.used += taken;
    return taken;
  }

  /** Waits for a free slot and takes it. */
  async acquire(): Promise<void> {
    while (this.free === 0) await this.waitForFree();
    this.used++;
  }

  release(count = 1): void {
    this.used = Math.max(0, this.used - count);
    while (this.free > 0 && this.waiters.length > 0) this.waiters.shift()!();
    this.wakeReleaseWaiters();
  }

  /** Wakes every waiter, e.g. when the consumer stops. */
  wakeAll(): void {
    while (this.waiters.length > 0) this.waiters.shift()!();
    this.wakeReleaseWaiters();
  }

  private wakeReleaseWaiters(): void {
    const waiting = this.releaseWaiters;
    this.releaseWaiters = [];
    for (const wake of waiting) wake();
  }
}
