import { isRetryableStatus, parseRetryAfter, RetryableError, retryDelay, withRetry } from '../../packages/core/src/http/retry.js';

const policy = { attempts: 4, baseDelayMs: 100, maxDelayMs: 1000 };

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

  test('delay honours Retry-After up to the cap, else backs off with full jitter', () => {
    expect(retryDelay(policy, 1, 2000)).toBe(1000);
    expect(retryDelay(policy, 1, 250)).toBe(250);
    expect(retryDelay(policy, 1, undefined, () => 1)).toBe(100);
    expect(retryDelay(policy, 3, undefined, () => 1)).toBe(400);
    expect(retryDelay(policy, 10, undefined, () => 1)).toBe(1000);
    expect(retryDelay(policy, 3, undefined, () => 0.5)).toBe(200);
  });

  test('withRetry retries retryable errors a bounded number of times', async () => {
    const slept: number[] = [];
    let calls = 0;
    await expect(
      withRetry('op', async () => {
        calls++;
        throw new RetryableError('HTTP 503', 7);
      }, { policy, sleep: async (ms) => void slept.push(ms) }),
    ).rejects.toThrow('HTTP 503');
    expect(calls).toBe(4);
    expect(slept).toEqual([7, 7, 7]);
  });

  test('withRetry does not retry other errors, and returns once an attempt succeeds', async () => {
    let calls = 0;
    await expect(withRetry('op', async () => { calls++; throw new Error('400 bad'); }, { policy, sleep: async () => {} })).rejects.toThrow('400 bad');
    expect(calls).toBe(1);
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    let n = 0;
    await expect(withRetry('op', async () => { if (++n < 3) throw reset; return 'ok'; }, { policy, sleep: async () => {} })).resolves.toBe('ok');
    expect(n).toBe(3);
  });
});
