import { rateLimitWaitMs, SECONDARY_RATE_LIMIT_FALLBACK_MS } from '../../packages/core/src/github/rate-limit.js';

const NOW = Date.parse('2025-06-01T12:00:00Z');
const SECONDARY = 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.';

describe('rateLimitWaitMs', () => {
  test.each<[string, number, Record<string, string>, string, number | undefined]>([
    ['secondary limit, 403 with retry-after', 403, { 'retry-after': '30' }, SECONDARY, 30_000],
    ['secondary limit, 429 with retry-after', 429, { 'retry-after': '2' }, SECONDARY, 2_000],
    ['secondary limit without headers: at least a minute', 403, {}, SECONDARY, SECONDARY_RATE_LIMIT_FALLBACK_MS],
    ['429 without headers or message', 429, {}, '', SECONDARY_RATE_LIMIT_FALLBACK_MS],
    [
      'primary limit exhausted: until the reset',
      403,
      { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 90) },
      'API rate limit exceeded for installation ID 1.',
      90_000,
    ],
    ['primary limit already reset', 403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 - 5) }, 'API rate limit exceeded', 0],
    [
      'retry-after wins over the reset',
      429,
      { 'retry-after': '3', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 600) },
      SECONDARY,
      3_000,
    ],
    [
      'a permission 403 is not a rate limit',
      403,
      { 'x-ratelimit-remaining': '4999', 'x-accepted-github-permissions': 'packages=write' },
      'Resource not accessible by integration',
      undefined,
    ],
    ['a 404 is not a rate limit', 404, { 'retry-after': '1' }, 'Not Found', undefined],
    ['a 503 is left to the general retry policy', 503, { 'retry-after': '1' }, '', undefined],
  ])('%s', (_name, status, headers, message, expected) => {
    expect(rateLimitWaitMs(status, headers, message, NOW)).toBe(expected);
  });
});
