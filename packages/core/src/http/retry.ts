// Retry policy for registry and API calls: 429 honours Retry-After, 5xx and dropped
// connections back off exponentially with full jitter, a bounded number of times.

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 };

/** An error worth another attempt; `retryAfterMs` when the server said how long to wait. */
export class RetryableError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'RetryableError';
  }
}

const RETRYABLE_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED', 'UND_ERR_SOCKET']);

export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || (status >= 500 && status !== 501 && status !== 505);
}

export function isRetryableNetworkError(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return (code !== undefined && RETRYABLE_CODES.has(code)) || /socket hang up|no data for/.test(String((err as Error)?.message));
}

/** Retry-After is either seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Delay before attempt `attempt + 1` (attempt counts from 1). */
export function retryDelay(policy: RetryPolicy, attempt: number, retryAfterMs: number | undefined, random = Math.random): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxDelayMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(random() * ceiling);
}

export async function withRetry<T>(
  what: string,
  operation: (attempt: number) => Promise<T>,
  options: { policy?: RetryPolicy; onRetry?: (message: string) => void; sleep?: (ms: number) => Promise<void> } = {},
): Promise<T> {
  const policy = options.policy ?? DEFAULT_RETRY;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (err) {
      const retryable = err instanceof RetryableError || isRetryableNetworkError(err);
      if (!retryable || attempt >= policy.attempts) throw err;
      const delay = retryDelay(policy, attempt, err instanceof RetryableError ? err.retryAfterMs : undefined);
      options.onRetry?.(`${what}: ${(err as Error).message}; attempt ${attempt + 1} of ${policy.attempts} in ${(delay / 1000).toFixed(1)}s`);
      await sleep(delay);
    }
  }
}
