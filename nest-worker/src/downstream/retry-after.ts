/**
 * A Retry-After header as milliseconds from now: either delay-seconds or an HTTP-date (RFC 9110
 * §10.2.3). Undefined when the header is absent or unreadable, so the caller falls back to its backoff.
 */
export function parseRetryAfterMs(header: string | undefined, now: number = Date.now()): number | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
