import { DomainError } from '../errors.js';

// How a request that got no answer is reported, by every client: the request named (a bare
// `connect ECONNREFUSED 127.0.0.1:46172` says neither what nor where), and the system
// error's code kept, by which retries recognise a dropped connection.

/** A request as errors name it: method, origin and path; never the query or userinfo, which may carry secrets. */
export function describeRequest(method: string, url: string): string {
  const { origin, pathname } = new URL(url);
  return `${method} ${origin}${pathname}`;
}

/**
 * A request that got no answer (refused, reset, timed out): names the request, which a bare
 * `connect ECONNREFUSED 127.0.0.1:46172` does not, and keeps the system error's code, by
 * which retries recognise a dropped connection.
 */
export class RequestError extends DomainError {
  readonly code: string;
  declare readonly cause: NodeJS.ErrnoException & { code: string };

  constructor(
    readonly request: string,
    cause: NodeJS.ErrnoException & { code: string },
  ) {
    super(`${request}: ${cause.message}`, { cause });
    this.code = cause.code;
  }
}

/** `err` naming its request when it is a connection failure not named yet; anything else as it is. */
export function requestError(method: string, url: string, err: unknown): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (err instanceof RequestError || typeof code !== 'string') return err;
  return new RequestError(describeRequest(method, url), err as NodeJS.ErrnoException & { code: string });
}

/** No byte moved for too long: a timeout, retried as a dropped connection is. */
export function idleTimeout(ms: number): Error {
  return Object.assign(new Error(`no data for ${ms / 1000}s`), { code: 'ETIMEDOUT' });
}

/** undici's header and body timeouts are the idle timeout of this layer, reported as such. */
export function undiciTimeout(err: unknown, idleMs: number): unknown {
  const code = (err as { code?: string } | undefined)?.code;
  return code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' ? idleTimeout(idleMs) : err;
}
