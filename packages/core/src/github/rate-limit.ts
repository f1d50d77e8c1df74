// When GitHub says "slow down", how long to wait. Pure: the table in
// test/unit/cleanup-github-rate-limit.test.ts follows GitHub's documented rules for the
// REST API ("Rate limits for the REST API", "Best practices for using the REST API"):
//   - a `retry-after` header: wait that many seconds;
//   - `x-ratelimit-remaining: 0`: wait until `x-ratelimit-reset` (epoch seconds);
//   - a secondary rate limit without either header: wait at least one minute.
// Both 403 and 429 are used for rate limits; a 403 without those signs is a permission
// problem and is not retried.
import { parseRetryAfter } from '../http/retry.js';

export const SECONDARY_RATE_LIMIT_FALLBACK_MS = 60_000;

export type ResponseHeaders = Record<string, string | number | undefined>;

/** Milliseconds to wait before trying again, or undefined when the answer is not a rate limit. */
export function rateLimitWaitMs(status: number, headers: ResponseHeaders, message: string, now = Date.now()): number | undefined {
  if (status !== 403 && status !== 429) return undefined;
  const header = (name: string): string | undefined => (headers[name] === undefined ? undefined : String(headers[name]));
  const retryAfter = parseRetryAfter(header('retry-after'), now);
  if (retryAfter !== undefined) return retryAfter;
  const reset = Number(header('x-ratelimit-reset'));
  if (header('x-ratelimit-remaining') === '0' && Number.isFinite(reset)) return Math.max(0, reset * 1000 - now);
  if (status === 429 || /rate limit/i.test(message)) return SECONDARY_RATE_LIMIT_FALLBACK_MS;
  return undefined;
}
