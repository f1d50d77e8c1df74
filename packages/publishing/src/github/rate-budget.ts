// A share of GitHub's primary rate limit that a run may spend (rate-limit-budget), so a
// retention sweep of a large package never starves the other jobs using the same token.
// GitHub tells the state on every answer (X-RateLimit-Limit, -Remaining, -Reset: "Rate
// limits for the REST API"); the run sends a request only while, after it, more than
// (1 - share) of the hour's limit would still be left. That bounds what the run spends
// to share x limit, and leaves the rest to others even when they spent first.
import type { ResponseHeaders } from '../http/check-response.js';

export interface RateLimitState {
  limit: number;
  remaining: number;
  /** When the window resets, in epoch seconds. */
  reset: number;
}

export function readRateLimit(headers: ResponseHeaders): RateLimitState | undefined {
  const [limit, remaining, reset] = ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset'].map((name) =>
    headers[name] === undefined ? NaN : Number(headers[name]),
  );
  return Number.isFinite(limit) && Number.isFinite(remaining) && Number.isFinite(reset) ? { limit: limit, remaining: remaining, reset: reset } : undefined;
}

/** How many more requests the share allows, `inFlight` of which are already sent; <= 0 when none. */
export function requestsAllowed(state: RateLimitState, share: number, inFlight: number): number {
  return state.remaining - inFlight - Math.ceil(state.limit * (1 - share));
}

/** The newest of two states: a later window replaces the old one; within one, the lowest remaining (answers arrive out of order). */
export function newerRateLimit(known: RateLimitState | undefined, seen: RateLimitState): RateLimitState {
  if (!known || seen.reset > known.reset) return seen;
  return seen.reset < known.reset ? known : { ...known, remaining: Math.min(known.remaining, seen.remaining) };
}
