// GitHub's rate-limit budget; how long a rate limit is waited for is in http-check-response.test.ts.
import { newerRateLimit, readRateLimit, requestsAllowed } from '@ci-actions/publishing/github/rate-budget.js';

describe('rate-limit budget', () => {
  const state = (remaining: number, limit = 5000, reset = 1_000) => ({ limit, remaining, reset });
  test.each<[string, number, number, number, number, number]>([
    ['a fresh hour, half of it: 2,500 requests', 5000, 5000, 0.5, 0, 2500],
    ['requests in flight count as sent', 5000, 5000, 0.5, 4, 2496],
    ['others spent 3,000 already: nothing is left to spend', 2000, 5000, 0.5, 0, -500],
    ['the last allowed request', 2501, 5000, 0.5, 0, 1],
    ['the whole limit', 10, 5000, 1, 0, 10],
    ['an Actions token (1,000 an hour), a tenth of it', 1000, 1000, 0.1, 0, 100],
  ])('%s', (_name, remaining, limit, share, inFlight, allowed) => {
    expect(requestsAllowed(state(remaining, limit), share, inFlight)).toBe(allowed);
  });

  test("GitHub's headers are read; without them the state is unknown", () => {
    expect(readRateLimit({ 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '4999', 'x-ratelimit-reset': '1750000000' })).toEqual(
      state(4999, 5000, 1750000000),
    );
    expect(readRateLimit({ 'x-ratelimit-remaining': '4999' })).toBeUndefined();
  });

  test.each<[string, [number, number] | undefined, [number, number], [number, number]]>([
    ['the first answer', undefined, [4000, 100], [4000, 100]],
    ['answers out of order in one window: the lowest remaining', [3990, 100], [3995, 100], [3990, 100]],
    ['a new window replaces the old', [10, 100], [4999, 200], [4999, 200]],
    ['a late answer from the old window is ignored', [4999, 200], [10, 100], [4999, 200]],
  ])('%s', (_name, known, seen, expected) => {
    expect(newerRateLimit(known && state(known[0], 5000, known[1]), state(seen[0], 5000, seen[1]))).toEqual(state(expected[0], 5000, expected[1]));
  });
});
