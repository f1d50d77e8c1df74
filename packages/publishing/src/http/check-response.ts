// One reading of an HTTP answer a client did not want, for every client of the suite (the
// registries and their token services, Docker Hub, the Central Portal, GitHub): a typed
// error that knows whether another attempt may help and how long the server asked to wait,
// with the server's own words from its error body, whatever the vendor's shape. Clients
// turn what is not retryable into their own errors, which say what to change.
import { redact } from '../secrets.js';
import { describeRequest } from './request-error.js';
import { AttemptError, isRetryableStatus, parseRetryAfter } from './retry.js';
import type { HttpResponse } from './transport.js';

export type ResponseHeaders = Record<string, string | string[] | number | undefined>;

/** What an error body says: the vendor's error code when it has one, and its message. */
export interface ErrorBody {
  code?: string;
  message: string;
}

/** A rate limit that states no wait: GitHub's advice for its secondary rate limits is at least a minute. */
export const RATE_LIMIT_FALLBACK_MS = 60_000;
/** An error body is read up to this size: a message, not a page. */
const MAX_ERROR_BODY = 64 * 1024;
/** Text that is no known shape is quoted up to this many characters. */
const MAX_QUOTED = 300;

/** An answer a client did not want: its request and status, what its body said, and whether to try again. */
export class HttpStatusError extends AttemptError {
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly waitIsFallback: boolean;

  constructor(
    /** The request, as errors name it (describeRequest). */
    readonly request: string,
    readonly status: number,
    readonly body: ErrorBody,
    readonly headers: ResponseHeaders,
    advice: RetryAdvice,
  ) {
    super(redact(`${request}: HTTP ${status}${body.message ? `: ${body.message}` : ''}`));
    this.name = 'HttpStatusError';
    this.retryable = advice.retryable;
    this.retryAfterMs = advice.waitMs;
    this.waitIsFallback = advice.fallback === true;
  }
}

/**
 * undefined when `res.status` is one of `ok` (default: any 2xx), the body left for the caller;
 * else the HttpStatusError it comes to, its body read (up to 64 KB).
 */
export async function checkResponse(res: HttpResponse, method: string, ok?: readonly number[]): Promise<HttpStatusError | undefined> {
  if (ok ? ok.includes(res.status) : res.status >= 200 && res.status < 300) return undefined;
  return statusError(method, res.url, res.status, res.headers, await readErrorBody(res));
}

/** The HttpStatusError of an answer already read (Octokit reads it itself). */
export function statusError(method: string, url: string, status: number, headers: ResponseHeaders, body: string, now = Date.now()): HttpStatusError {
  const parsed = parseErrorBody(body);
  return new HttpStatusError(describeRequest(method, url), status, parsed, headers, retryAdvice(status, headers, parsed.message, now));
}

/**
 * The message (and code) of an error body, in each vendor's shape:
 * - OCI distribution and Docker's token services, `{"errors":[{"code","message","detail"}]}`
 *   (distribution-spec, "Error Codes"; distribution's token auth specification);
 * - Docker Hub's token service (auth.docker.io), `{"details":"..."}`;
 * - Docker Hub's API, `{"message":"...","errinfo":{...}}`, and `{"detail":"..."}` on some
 *   refusals (Docker Hub API reference, "ErrorResponse");
 * - the Central Portal, `{"error":{"message":"..."}}` or `{"error":"..."}`
 *   (https://central.sonatype.com/api-doc);
 * - GitHub, `{"message":"...","documentation_url":"...","errors":[{"resource","field","code","message"?}]}`
 *   ("Troubleshooting the REST API", "Client errors");
 * - OAuth2 token endpoints, `{"error":"invalid_grant","error_description":"..."}` (RFC 6749 5.2).
 * Anything else (an HTML page from a proxy, plain text) is quoted, shortened.
 */
export function parseErrorBody(text: string): ErrorBody {
  const trimmed = text.trim();
  if (!trimmed) return { message: '' };
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    return { message: quote(trimmed) };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { message: quote(trimmed) };
  const body = json as Record<string, unknown>;
  // OAuth2 token endpoints (RFC 6749 5.2), as Docker's for identity tokens: {"error","error_description"}.
  if (typeof body.error === 'string' && typeof body.error_description === 'string') {
    return { code: body.error, message: `${body.error}: ${body.error_description}` };
  }
  const items = Array.isArray(body.errors) ? body.errors.filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null) : [];
  const itemText = items.map(itemMessage).filter(Boolean).join('; ');
  const top = textOf(body.message) ?? errorField(body.error) ?? textOf(body.details) ?? textOf(body.detail);
  // A token service may say the same twice (errors[].message and details): once is enough.
  if (top !== undefined) return { ...codeOf(items), message: itemText && itemText !== top ? `${top} (${itemText})` : top };
  if (itemText) return { ...codeOf(items), message: itemText };
  return { message: quote(trimmed) };
}

function itemMessage(item: Record<string, unknown>): string {
  // OCI: message and a detail string; GitHub: message, or what is wrong with which field.
  const message = [textOf(item.message), textOf(item.detail)].filter(Boolean).join(' ');
  if (message) return message;
  const field = [textOf(item.resource), textOf(item.field)].filter(Boolean).join('.');
  const code = textOf(item.code);
  return field && code ? `${field}: ${code}` : '';
}

function codeOf(items: Record<string, unknown>[]): { code?: string } {
  const code = items.length > 0 ? textOf(items[0].code) : undefined;
  return code ? { code } : {};
}

function errorField(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? textOf((error as Record<string, unknown>).message) : textOf(error);
}

function textOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

function quote(text: string): string {
  return text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}...` : text;
}

export interface RetryAdvice {
  retryable: boolean;
  /** How long the server asked to wait; undefined: back off as the policy does. */
  waitMs?: number;
  /** waitMs is RATE_LIMIT_FALLBACK_MS: a rate limit that named neither Retry-After nor a reset. */
  fallback?: true;
}

/**
 * Whether an answer is worth another attempt, and after how long, by one rule for every
 * vendor:
 * - a rate limit (429; a 403 with Retry-After, `x-ratelimit-remaining: 0` or saying "rate
 *   limit", as GitHub answers both ways) waits as Retry-After says, else until
 *   `x-ratelimit-reset`, else a minute ("Rate limits for the REST API", GitHub);
 * - 408 and 5xx but 501 and 505 wait as Retry-After says, else back off;
 * - anything else is an answer: another attempt would get the same.
 */
export function retryAdvice(status: number, headers: ResponseHeaders, message: string, now = Date.now()): RetryAdvice {
  const header = (name: string): string | undefined => {
    const value = headers[name];
    return value === undefined ? undefined : String(Array.isArray(value) ? value[0] : value);
  };
  const retryAfter = parseRetryAfter(header('retry-after'), now);
  const reset = Number(header('x-ratelimit-reset'));
  const exhausted = header('x-ratelimit-remaining') === '0' && Number.isFinite(reset);
  const rateLimited = status === 429 || (status === 403 && (retryAfter !== undefined || exhausted || /rate limit/i.test(message)));
  if (rateLimited) {
    if (retryAfter !== undefined) return { retryable: true, waitMs: retryAfter };
    if (exhausted) return { retryable: true, waitMs: Math.max(0, reset * 1000 - now) };
    return { retryable: true, waitMs: RATE_LIMIT_FALLBACK_MS, fallback: true };
  }
  if (isRetryableStatus(status)) return { retryable: true, ...(retryAfter !== undefined ? { waitMs: retryAfter } : {}) };
  return { retryable: false };
}

/** The first bytes of an error body, the rest read and dropped so the connection can be reused. */
async function readErrorBody(res: HttpResponse): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of res.body) {
      const piece = chunk as Buffer;
      if (size < MAX_ERROR_BODY) chunks.push(piece.subarray(0, MAX_ERROR_BODY - size));
      size += piece.length;
    }
  } catch {
    // A body cut short: what arrived is all the message there is.
  }
  return Buffer.concat(chunks).toString('utf8');
}
