import { GaveUpError, isRetryableStatus, parseRetryAfter, RetryableError, retryDelay, withRetry } from '@ci-actions/publishing/http/retry.js';
import { RequestError } from '@ci-actions/publishing/http/request-error.js';
import { statusError } from '@ci-actions/publishing/http/check-response.js';

const policy = { attempts: 4, baseDelayMs: 100, maxDelayMs: 1000, maxRetryWaitMs: 5000 };

describe('retry policy', () => {
  test.each([
    [429, true],
    [500, true],
    [502, true],
    [503, true],
    [408, true],
    [501, false],
    [400, false],
    [401, false],
    [404, false],
  ])('status %i retryable: %s', (status, expected) => {
    expect(isRetryableStatus(status)).toBe(expected);
  });

  test.each([
    ['3', 3000],
    [' 0 ', 0],
    ['Wed, 21 Oct 2015 07:28:05 GMT', 5000],
    ['soon', undefined],
    [undefined, undefined],
  ])('Retry-After %j -> %j ms', (value, expected) => {
    expect(parseRetryAfter(value, Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(expected);
  });

  test.each([
    // [what, attempt, Retry-After ms, random, delay]
    ['backoff, first retry', 1, undefined, 1, 100],
    ['backoff doubles', 3, undefined, 1, 400],
    ['backoff is jittered', 3, undefined, 0.5, 200],
    ['backoff stops at the cap', 10, undefined, 1, 1000],
    ['a short Retry-After is waited in full', 1, 250, 1, 250],
    ['a Retry-After above the backoff cap is waited in full', 1, 2000, 1, 2000],
    ['a Retry-After of exactly max-retry-wait is waited', 1, 5000, 1, 5000],
    ['a Retry-After beyond max-retry-wait is refused', 1, 5001, 1, undefined],
  ])('delay: %s', (_what, attempt, retryAfter, random, expected) => {
    expect(retryDelay(policy, attempt, retryAfter, () => random)).toBe(expected);
  });

  test.each([
    // [what, Retry-After of the one failure, max-retry-wait ms, slept, error]
    ['a wait within max-retry-wait is slept, then the call succeeds', 3000, 5000, [3000], undefined],
    ['a wait above the backoff cap is still honoured', 60_000, 300_000, [60_000], undefined],
    [
      'a wait beyond the longest allowed fails at once, naming the wait and the limit',
      7000,
      5000,
      [],
      'op: HTTP 429; the server asked to wait 7s before another attempt, longer than the longest wait allowed (5s); gave up after 1 attempt',
    ],
    ['a longest wait of 0 refuses any wait the server asks for', 1000, 0, [], 'longer than the longest wait allowed (0s)'],
  ])('%s', async (_what, retryAfter, maxRetryWaitMs, slept, error) => {
    const waits: number[] = [];
    let calls = 0;
    const call = withRetry(
      'op',
      async () => {
        if (++calls === 1) throw new RetryableError('HTTP 429', retryAfter);
        return 'ok';
      },
      { policy: { ...policy, maxRetryWaitMs }, sleep: async (ms) => void waits.push(ms) },
    );
    if (error) {
      await expect(call).rejects.toThrow(error);
      // The limit is what the user raises: the action names its input from this subject.
      await expect(call).rejects.toMatchObject({ subject: { kind: 'retry-wait' } });
    } else await expect(call).resolves.toBe('ok');
    expect(waits).toEqual(slept);
  });

  test.each([
    // [what, headers of the 429, longest wait allowed ms, error]
    [
      "a 429 without Retry-After says the wait is our fallback, not the server's",
      {},
      5000,
      'registry ping: GET http://registry.test/v2/: HTTP 429; rate-limited without a Retry-After; waiting the 60s fallback exceeds the longest wait allowed (5s); gave up after 1 attempt',
    ],
    [
      "a 429 with Retry-After names the server's wait",
      { 'retry-after': '120' },
      5000,
      'registry ping: GET http://registry.test/v2/: HTTP 429; the server asked to wait 120s before another attempt, longer than the longest wait allowed (5s); gave up after 1 attempt',
    ],
  ])('%s', async (_what, headers, maxRetryWaitMs, error) => {
    const call = withRetry(
      'registry ping',
      async () => {
        throw statusError('GET', 'http://registry.test/v2/', 429, headers, '');
      },
      { policy: { ...policy, maxRetryWaitMs }, sleep: async () => undefined },
    );
    await expect(call).rejects.toMatchObject({ name: 'GaveUpError', message: error, subject: { kind: 'retry-wait' } });
  });

  test('withRetry retries retryable errors a bounded number of times', async () => {
    const slept: number[] = [];
    let calls = 0;
    await expect(
      withRetry(
        'op',
        async () => {
          calls++;
          throw new RetryableError('HTTP 503', 7);
        },
        { policy, sleep: async (ms) => void slept.push(ms) },
      ),
    ).rejects.toThrow(GaveUpError);
    expect(calls).toBe(4);
    expect(slept).toEqual([7, 7, 7]);
    await expect(
      withRetry(
        'op',
        async () => {
          throw new RetryableError('HTTP 503');
        },
        { policy, sleep: async () => {} },
      ),
    ).rejects.toThrow('op: HTTP 503; gave up after 4 attempts');
  });

  test('a connection that failed every attempt is named with its request and the attempts', async () => {
    const refused = new RequestError('GET http://127.0.0.1:9/token', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }));
    await expect(
      withRetry(
        '127.0.0.1:9: the token service',
        async () => {
          throw refused;
        },
        { policy, sleep: async () => {} },
      ),
    ).rejects.toThrow('127.0.0.1:9: the token service: GET http://127.0.0.1:9/token: connect ECONNREFUSED 127.0.0.1:9; gave up after 4 attempts');
  });

  test('an enclosing withRetry does not retry what an inner one gave up on', async () => {
    let inner = 0;
    const nested = withRetry(
      'outer',
      () =>
        withRetry(
          'inner',
          async () => {
            inner++;
            throw new RetryableError('HTTP 500');
          },
          { policy, sleep: async () => {} },
        ),
      { policy, sleep: async () => {} },
    );
    await expect(nested).rejects.toThrow('inner: HTTP 500; gave up after 4 attempts');
    expect(inner).toBe(4);
  });

  test('withRetry does not retry other errors, and returns once an attempt succeeds', async () => {
    let calls = 0;
    await expect(
      withRetry(
        'op',
        async () => {
          calls++;
          throw new Error('400 bad');
        },
        { policy, sleep: async () => {} },
      ),
    ).rejects.toThrow('400 bad');
    expect(calls).toBe(1);
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    let n = 0;
    await expect(
      withRetry(
        'op',
        async () => {
          if (++n < 3) throw reset;
          return 'ok';
        },
        { policy, sleep: async () => {} },
      ),
    ).resolves.toBe('ok');
    expect(n).toBe(3);
  });
});
