// The Central Portal's snapshot repository, spoken to as `mvn deploy` does: GET and PUT in the
// Maven repository layout with HTTP Basic authentication by the portal user token (it answers
// an unauthenticated PUT with `WWW-Authenticate: BASIC`). A namespace whose SNAPSHOTs are not
// enabled on the portal's namespaces page is answered 403
// (https://central.sonatype.org/publish/publish-portal-snapshots/#enabling-snapshot-releases-for-your-namespace).
// A PUT of the same bytes twice stores them twice alike, so PUTs are retried like reads.
import { checkResponse, type HttpStatusError } from '../http/check-response.js';
import { DEFAULT_RETRY, isRetryableNetworkError, withRetry, type RetryPolicy } from '../http/retry.js';
import { describeRequest } from '../http/request-error.js';
import { readBody, send } from '../http/transport.js';
import type { Log } from '../log.js';
import { addBasicCredentials } from '../secrets.js';
import { CentralPortalError, refusedUserToken } from './portal.js';

export interface SnapshotRepositoryOptions {
  /** e.g. https://central.sonatype.com/repository/maven-snapshots/ */
  url: string;
  username: string;
  password: string;
  log: Log;
  retry?: RetryPolicy;
}

export class SnapshotRepository {
  readonly url: string;
  private readonly authorization: string;
  private readonly log: Log;
  private readonly retry: RetryPolicy;

  constructor(options: SnapshotRepositoryOptions) {
    this.url = options.url.endsWith('/') ? options.url : `${options.url}/`;
    addBasicCredentials(options.username, options.password);
    this.authorization = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`;
    this.log = options.log;
    this.retry = options.retry ?? DEFAULT_RETRY;
  }

  /** The file at `path` in the repository; undefined when it has none. */
  async get(path: string): Promise<string | undefined> {
    const body = await this.retrying(`read ${path} from ${this.url}`, () => this.request('GET', path));
    return body?.toString('utf8');
  }

  async put(path: string, bytes: Uint8Array): Promise<void> {
    await this.retrying(`upload ${path} to ${this.url}`, () => this.request('PUT', path, Buffer.from(bytes)));
  }

  private retrying<T>(operation: string, work: () => Promise<T>): Promise<T> {
    return withRetry(operation, work, { policy: this.retry, onRetry: (m) => this.log.warning(m) });
  }

  /** The body of a 2xx answer; undefined for a GET answered 404. */
  private async request(method: 'GET' | 'PUT', path: string, body?: Buffer): Promise<Buffer | undefined> {
    const url = `${this.url}${path}`;
    let failure: HttpStatusError | undefined;
    try {
      const headers: Record<string, string> = {
        Authorization: this.authorization,
        ...(body ? { 'Content-Type': 'application/octet-stream', 'Content-Length': String(body.length) } : {}),
      };
      const res = await send({ method, url, headers, ...(body ? { body } : {}) });
      failure = await checkResponse(res, method);
      if (!failure) return await readBody(res, 16 * 1024 * 1024);
    } catch (err) {
      if (isRetryableNetworkError(err)) throw err;
      throw new CentralPortalError(`${describeRequest(method, url)}: ${(err as Error).message}`);
    }
    if (failure.retryable) throw failure;
    if (method === 'GET' && failure.status === 404) return undefined;
    if (failure.status === 401) {
      throw refusedUserToken(this.url, '');
    }
    if (failure.status === 403) {
      throw new CentralPortalError(
        `${failure.request}: HTTP 403; publishing -SNAPSHOT versions needs SNAPSHOTs enabled for the namespace (the portal's namespaces page, "Enable SNAPSHOTs"), and a user token of an account that owns it`,
      );
    }
    throw new CentralPortalError(failure.message);
  }
}
