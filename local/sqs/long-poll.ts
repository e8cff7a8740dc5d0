/**
 * Parks long-polling receivers per queue until something may have become receivable (a send, a
 * visibility change), their timer fires, their caller hangs up, or the emulator shuts down.
 */
export class LongPollWaiters {
  private readonly waiting = new Map<string, Set<() => void>>();
  private closed = false;

  /** Resolves after `milliseconds`, or earlier on `wake(key)`, an abort of `signal`, or `close()`. */
  wait(key: string, milliseconds: number, signal?: AbortSignal): Promise<void> {
    if (this.closed || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const waiters = this.waiting.get(key) ?? new Set();
      this.waiting.set(key, waiters);
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        waiters.delete(done);
        if (waiters.size === 0) this.waiting.delete(key);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, milliseconds));
      signal?.addEventListener('abort', done, { once: true });
      waiters.add(done);
    });
  }

  wake(key: string): void {
    for (const done of [...(this.waiting.get(key) ?? [])]) done();
  }

  /** Releases every waiter now and every later one at once. */
  close(): void {
    this.closed = true;
    for (const key of [...this.waiting.keys()]) this.wake(key);
  }
}
