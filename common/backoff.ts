/**
 * "Full jitter" exponential backoff (AWS Architecture Blog, "Exponential Backoff And Jitter"):
 * a random delay between 0 and min(cap, base × 2^attempt), so retrying clients spread out instead of
 * hammering a throttled service in lock-step.
 */
export interface BackoffPolicy {
  readonly baseMs: number;
  readonly capMs: number;
  readonly maxAttempts: number;
}

export function fullJitterDelayMs(
  policy: BackoffPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface RetryOptions extends BackoffPolicy {
  /** Whether a failure is worth another attempt. */
  readonly isRetryable: (error: unknown) => boolean;
  /** A delay the failure itself asks for (e.g. HTTP Retry-After), which wins over the backoff. */
  readonly requestedDelayMs?: (error: unknown) => number | undefined;
  readonly signal?: AbortSignal;
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

/**
 * Runs `attempt` until it succeeds, fails with a non-retryable error, the attempts run out or the
 * signal aborts; the last error is thrown. Delays use full jitter, or what the failure asked for.
 */
export async function retryWithBackoff<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  for (let attemptNumber = 1; ; attemptNumber++) {
    try {
      return await attempt(attemptNumber);
    } catch (error) {
      const exhausted = attemptNumber >= options.maxAttempts || options.signal?.aborted;
      if (exhausted || !options.isRetryable(error)) throw error;
      const delayMs = Math.min(
        options.capMs,
        options.requestedDelayMs?.(error) ?? fullJitterDelayMs(options, attemptNumber),
      );
      options.onRetry?.(error, attemptNumber, delayMs);
      await abortableSleep(delayMs, options.signal);
    }
  }
}

/** Waits `ms`, or less if the signal aborts first (it never rejects). */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(finish, ms);
    signal?.addEventListener('abort', finish, { once: true });
    function finish() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', finish);
      resolve();
    }
  });
}
