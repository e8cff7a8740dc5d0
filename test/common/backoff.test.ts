import { retryWithBackoff } from '../../common/backoff';

class Transient extends Error {
  constructor(readonly retryAfterMs?: number) {
    super('transient');
  }
}
const policy = { baseMs: 1, capMs: 50, maxAttempts: 4 };
const isRetryable = (error: unknown) => error instanceof Transient;

describe('retryWithBackoff', () => {
  it('returns the first success and reports each retry', async () => {
    const retries: number[] = [];
    let calls = 0;
    const result = await retryWithBackoff(
      async () => {
        calls++;
        if (calls < 3) throw new Transient();
        return 'ok';
      },
      { ...policy, isRetryable, onRetry: (_error, attempt) => retries.push(attempt) },
    );
    expect(result).toBe('ok');
    expect(retries).toEqual([1, 2]);
  });

  it('throws a non-retryable error at once', async () => {
    let calls = 0;
    const permanent = new Error('bad request');
    await expect(
      retryWithBackoff(
        async () => {
          calls++;
          throw permanent;
        },
        { ...policy, isRetryable },
      ),
    ).rejects.toBe(permanent);
    expect(calls).toBe(1);
  });

  it('gives up after maxAttempts with the last error', async () => {
    let calls = 0;
    await expect(
      retryWithBackoff(
        async () => {
          calls++;
          throw new Transient();
        },
        { ...policy, isRetryable },
      ),
    ).rejects.toBeInstanceOf(Transient);
    expect(calls).toBe(4);
  });

  it('waits what the failure asks for (Retry-After), capped', async () => {
    const delays: number[] = [];
    let calls = 0;
    await retryWithBackoff(
      async () => {
        if (++calls === 1) throw new Transient(30);
        if (calls === 2) throw new Transient(10_000);
        return 'ok';
      },
      {
        ...policy,
        isRetryable,
        requestedDelayMs: (error) => (error as Transient).retryAfterMs,
        onRetry: (_error, _attempt, delayMs) => delays.push(delayMs),
      },
    );
    expect(delays).toEqual([30, 50]);
  });

  it('stops retrying once the signal aborts', async () => {
    const controller = new AbortController();
    let calls = 0;
    await expect(
      retryWithBackoff(
        async () => {
          calls++;
          controller.abort();
          throw new Transient();
        },
        { ...policy, isRetryable, signal: controller.signal },
      ),
    ).rejects.toBeInstanceOf(Transient);
    expect(calls).toBe(1);
  });
});
