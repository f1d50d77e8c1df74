// The one retry policy of every client: what check-response.ts finds retryable (429 and rate
// limits wait as asked, 408 and 5xx) and dropped connections are tried again, waiting as the
// server asked or backing off exponentially with full jitter, a bounded number of times. Two
// limits on waiting are kept apart: the backoff cap bounds the waits we choose ourselves,
// and the longest wait a server may ask for (Retry-After, rate limits; Docker Hub asks for
// minutes) bounds the waits we agree to. A longer request fails the run at once, saying so,
// rather than sleeping through the job's time limit.
import { DomainError, type Subject } from '../errors.js';

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  /** Cap of the exponential backoff, used when the server did not say how long to wait. */
  maxDelayMs: number;
  /** Longest wait a server may ask for that is honoured (actions take it from an input); 300 s when absent. */
  maxRetryWaitMs?: number;
}

/** The longest server-requested wait's default, in seconds, and its bounds. */
export const MAX_RETRY_WAIT = { defaultSeconds: 300, minSeconds: 0, maxSeconds: 3600 };
const DEFAULT_MAX_RETRY_WAIT_MS = MAX_RETRY_WAIT.defaultSeconds * 1000;

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 500, maxDelayMs: 30_000, maxRetryWaitMs: DEFAULT_MAX_RETRY_WAIT_MS };

/**
 * A failure that knows whether another attempt may help, and how long the server asked to
 * wait before it: RetryableError, and HttpStatusError (check-response.ts) for every answer
 * a client did not want. withRetry goes by these two fields and by nothing else of a status.
 */
export abstract class AttemptError extends DomainError {
  abstract readonly retryable: boolean;
  abstract readonly retryAfterMs?: number;
  /** Whether retryAfterMs is our own fallback for a rate limit that named no wait, not the server's. */
  readonly waitIsFallback?: boolean;
}

/**
 * An error worth another attempt; `retryAfterMs` when the server said how long to wait. Its
 * message says what happened to which request; withRetry puts the operation in front.
 */
export class RetryableError extends AttemptError {
  readonly retryable = true;

  constructor(
    message: string,
    readonly retryAfterMs?: number,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? {} : { cause });
  }
}

/**
 * The end of retrying: attempts used up, or a server asking for a longer wait than we
 * honour (subject `retry-wait`: the longest wait allowed is what to raise). Never retried
 * again by an enclosing withRetry (a token request inside a blob copy), so attempts do not
 * multiply.
 */
export class GaveUpError extends DomainError {
  constructor(
    message: string,
    readonly attempts: number,
    cause: unknown,
    subject?: Extract<Subject, { kind: 'retry-wait' }>,
  ) {
    super(message, { cause, ...(subject ? { subject } : {}) });
  }
}

const RETRYABLE_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || (status >= 500 && status !== 501 && status !== 505);
}

export function isRetryableNetworkError(err: unknown): boolean {
  if (err instanceof GaveUpError) return false;
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

export function maxRetryWaitMs(policy: RetryPolicy): number {
  return policy.maxRetryWaitMs ?? DEFAULT_MAX_RETRY_WAIT_MS;
}

/**
 * Delay before attempt `attempt + 1` (attempt counts from 1): the server's wait in full
 * when it asked for one within maxRetryWaitMs, undefined when it asked for longer; else
 * exponential backoff with full jitter, capped at maxDelayMs.
 */
export function retryDelay(policy: RetryPolicy, attempt: number, retryAfterMs: number | undefined, random = Math.random): number | undefined {
  if (retryAfterMs !== undefined) return retryAfterMs <= maxRetryWaitMs(policy) ? retryAfterMs : undefined;
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
      const retryable = err instanceof AttemptError ? err.retryable : isRetryableNetworkError(err);
      if (!retryable) throw err;
      const failure = `${what}: ${(err as Error).message}`;
      if (attempt >= policy.attempts) throw new GaveUpError(`${failure}; gave up after ${attempts(attempt)}`, attempt, err);
      const asked = err instanceof AttemptError ? err.retryAfterMs : undefined;
      const delay = retryDelay(policy, attempt, asked);
      if (delay === undefined) {
        const fallback = err instanceof AttemptError && err.waitIsFallback === true;
        throw new GaveUpError(`${failure}; ${tooLongWait(asked!, maxRetryWaitMs(policy), fallback)}; gave up after ${attempts(attempt)}`, attempt, err, {
          kind: 'retry-wait',
        });
      }
      options.onRetry?.(`${failure}; attempt ${attempt + 1} of ${policy.attempts} in ${(delay / 1000).toFixed(1)}s`);
      await sleep(delay);
    }
  }
}

/** Why a wait of `waitMs` is not waited, in terms of what asked for it; `fallback`: the server named no wait, ours is used. */
export function tooLongWait(waitMs: number, allowedMs: number, fallback: boolean): string {
  const allowed = `the longest wait allowed (${seconds(allowedMs)})`;
  return fallback
    ? `rate-limited without a Retry-After; waiting the ${seconds(waitMs)} fallback exceeds ${allowed}`
    : `the server asked to wait ${seconds(waitMs)} before another attempt, longer than ${allowed}`;
}

function attempts(n: number): string {
  return n === 1 ? '1 attempt' : `${n} attempts`;
}

function seconds(ms: number): string {
  return `${Math.ceil(ms / 1000)}s`;
}
