// The OCI distribution API of one registry: manifests, blobs (HEAD, cross-repository
// mount, streamed upload), tags, referrers, deletes. Every operation retries transient
// failures (429 with Retry-After, 5xx, dropped connections) as a whole, re-opening its
// streams, so a registry hiccup mid-copy does not fail a promotion.
import { getInto, type BodySink } from '../http/pumped-get.js';
import { checkResponse, parseErrorBody } from '../http/check-response.js';
import { discardBody, openConnections, readBody, send, baseUrl, type ConnectionsAhead, type BodyWriter, type HttpResponse } from '../http/transport.js';
import { DEFAULT_RETRY, RetryableError, withRetry, type RetryPolicy } from '../http/retry.js';
import type { Log } from '../log.js';
import { awaitedLater } from '../util/concurrency.js';
import { RegistryAuth, type RegistryCredentials } from './auth.js';
import { sha256Digest, DigestMismatchError } from './digest.js';
import { PermissionError, RegistryError } from './errors.js';
import { apiHost } from './reference.js';
import { ACCEPT_MANIFESTS, MediaType, type ImageIndex, type RawManifest, type Descriptor } from './types.js';

export interface RegistryClientOptions {
  /** Registry as users write it (docker.io, ghcr.io, 127.0.0.1:5000). */
  registry: string;
  credentials?: RegistryCredentials;
  /** Token scopes this client will need, e.g. repository:acme/app:pull,push. */
  scopes: readonly string[];
  /** Hosts spoken to over plain HTTP besides loopback. */
  insecureRegistries?: readonly string[];
  log: Log;
  retry?: RetryPolicy;
  /**
   * Connections to open while authenticating, for the requests that follow at once (a
   * promotion's first round): over a wide-area link each new connection is a handshake its
   * first request would wait for.
   */
  connections?: ConnectionsAhead;
}

interface RequestOptions {
  headers?: Record<string, string>;
  body?: Buffer | BodyWriter;
  /** For a GET: where a 2xx body goes, piece by piece, instead of into the response. */
  into?: { sink: BodySink; signal?: AbortSignal; expectedBytes?: number };
  /** Statuses that are answers, not errors (the caller reads them). */
  ok: number[];
  operation: string;
}

const MAX_REDIRECTS = 5;

export class RegistryClient {
  readonly registry: string;
  private readonly base: string;
  private readonly auth: RegistryAuth;
  private readonly log: Log;
  private readonly retry: RetryPolicy;
  /** Docker Hub's pull allowance, from the last response that carried it. */
  rateLimitRemaining?: string;
  /** Whether the registry serves the OCI referrers API; learned on first use. */
  private referrersApi?: boolean;
  private pinged?: Promise<void>;
  private readonly connections?: ConnectionsAhead;

  constructor(options: RegistryClientOptions) {
    this.registry = options.registry;
    this.base = baseUrl(apiHost(options.registry), options.insecureRegistries);
    this.log = options.log;
    this.retry = options.retry ?? DEFAULT_RETRY;
    if (options.connections) this.connections = options.connections;
    this.auth = new RegistryAuth(options.registry, options.credentials ?? {}, options.scopes, { policy: this.retry, onRetry: (m) => this.log.warning(m) });
  }

  /** The manifest's exact bytes, or undefined when the registry does not have it. */
  getManifest(repository: string, reference: string): Promise<RawManifest | undefined> {
    const operation = `GET ${this.registry}/${repository} manifest ${reference}`;
    return this.retrying(operation, async () => {
      const res = await this.request('GET', `/v2/${repository}/manifests/${reference}`, { headers: { Accept: ACCEPT_MANIFESTS }, ok: [200, 404], operation });
      if (res.status === 404) {
        await discardBody(res);
        return undefined;
      }
      const bytes = await readBody(res, 4 * 1024 * 1024);
      const digest = sha256Digest(bytes);
      if (reference.includes(':') && reference !== digest) {
        throw new DigestMismatchError(`${operation}: the registry served a manifest whose digest is ${digest}`);
      }
      return { bytes, digest, mediaType: manifestMediaType(bytes, res.headers['content-type']) };
    });
  }

  /** Digest a tag (or digest) currently resolves to, without downloading the manifest. */
  resolveDigest(repository: string, reference: string): Promise<string | undefined> {
    const operation = `HEAD ${this.registry}/${repository} manifest ${reference}`;
    return this.retrying(operation, async () => {
      const res = await this.request('HEAD', `/v2/${repository}/manifests/${reference}`, { headers: { Accept: ACCEPT_MANIFESTS }, ok: [200, 404], operation });
      await discardBody(res);
      if (res.status === 404) return undefined;
      const digest = res.headers['docker-content-digest'];
      if (typeof digest === 'string' && digest) return digest;
      // Some registries omit the header on HEAD: fall back to the manifest itself.
      return (await this.getManifest(repository, reference))?.digest;
    });
  }

  /** Whether the repository has the manifest with this digest. */
  async hasManifest(repository: string, digest: string): Promise<boolean> {
    return (await this.resolveDigest(repository, digest)) === digest;
  }

  /**
   * Stores a manifest. True when the registry answered with `OCI-Subject`: it indexed the
   * manifest's subject for its referrers API, so no fallback tag is needed (OCI distribution 1.1).
   */
  putManifest(repository: string, reference: string, manifest: RawManifest): Promise<boolean> {
    const operation = `PUT ${this.registry}/${repository} manifest ${reference}`;
    return this.retrying(operation, async () => {
      const res = await this.request('PUT', `/v2/${repository}/manifests/${reference}`, {
        headers: { 'Content-Type': manifest.mediaType, 'Content-Length': String(manifest.bytes.length) },
        body: manifest.bytes,
        ok: [201, 200],
        operation,
      });
      await discardBody(res);
      const stored = res.headers['docker-content-digest'];
      if (typeof stored === 'string' && stored && stored !== manifest.digest) {
        throw new DigestMismatchError(`${operation}: the registry stored the manifest as ${stored}, expected ${manifest.digest}`);
      }
      return typeof res.headers['oci-subject'] === 'string';
    });
  }

  deleteManifest(repository: string, digest: string): Promise<boolean> {
    const operation = `DELETE ${this.registry}/${repository} manifest ${digest}`;
    return this.retrying(operation, async () => {
      const res = await this.request('DELETE', `/v2/${repository}/manifests/${digest}`, { ok: [202, 200, 404], operation });
      await discardBody(res);
      return res.status !== 404;
    });
  }

  hasBlob(repository: string, digest: string): Promise<boolean> {
    const operation = `HEAD ${this.registry}/${repository} blob ${digest}`;
    return this.retrying(operation, async () => {
      const res = await this.request('HEAD', `/v2/${repository}/blobs/${digest}`, { ok: [200, 404], operation });
      await discardBody(res);
      return res.status === 200;
    });
  }

  /**
   * Cross-repository mount inside this registry. Returns true when mounted; false when
   * the registry declined (it then opened an upload session, which is cancelled).
   */
  mountBlob(repository: string, digest: string, fromRepository: string): Promise<boolean> {
    const operation = `mount ${digest} from ${this.registry}/${fromRepository} into ${repository}`;
    return this.retrying(operation, async () => {
      const query = `mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(fromRepository)}`;
      const res = await this.request('POST', `/v2/${repository}/blobs/uploads/?${query}`, { headers: { 'Content-Length': '0' }, ok: [201, 202], operation });
      await discardBody(res);
      if (res.status === 201) return true;
      const location = res.headers.location;
      if (location) await this.request('DELETE', location, { ok: [204, 200, 404], operation: `cancel upload ${digest}` }).then(discardBody, () => {});
      return false;
    });
  }

  /** Reads a blob into `sink`, following the registry's redirect to its storage; resolves once all of it went through. */
  async readBlob(repository: string, blob: Pick<Descriptor, 'digest' | 'size'>, sink: BodySink, signal?: AbortSignal): Promise<void> {
    const operation = `GET ${this.registry}/${repository} blob ${blob.digest}`;
    await this.request('GET', `/v2/${repository}/blobs/${blob.digest}`, {
      ok: [200],
      operation,
      into: { sink, expectedBytes: blob.size, ...(signal ? { signal } : {}) },
    });
  }

  /** Uploads a blob of known digest and size: POST an upload session, PUT the bytes. */
  async uploadBlob(repository: string, digest: string, size: number, body: Buffer | BodyWriter): Promise<void> {
    const operation = `upload ${digest} to ${this.registry}/${repository}`;
    const start = await this.request('POST', `/v2/${repository}/blobs/uploads/`, { headers: { 'Content-Length': '0' }, ok: [202], operation });
    await discardBody(start);
    const location = start.headers.location;
    if (!location) throw new RegistryError(operation, start.status, undefined, 'no Location for the upload session');
    const url = new URL(location, this.base);
    url.searchParams.set('digest', digest);
    const res = await this.request('PUT', url.toString(), {
      headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(size) },
      body,
      ok: [201, 204],
      operation,
    });
    await discardBody(res);
  }

  /** Uploads a small blob held in memory (configs, empty descriptors), with retries. */
  pushBlob(repository: string, digest: string, bytes: Buffer): Promise<void> {
    return this.retrying(`push ${digest} to ${this.registry}/${repository}`, () => this.uploadBlob(repository, digest, bytes.length, bytes));
  }

  async listTags(repository: string): Promise<string[]> {
    const tags: string[] = [];
    let path: string | undefined = `/v2/${repository}/tags/list?n=1000`;
    while (path) {
      const operation = `list tags of ${this.registry}/${repository}`;
      const current: string = path;
      const { page, next } = await this.retrying(operation, async () => {
        const res = await this.request('GET', current, { ok: [200, 404], operation });
        if (res.status === 404) {
          await discardBody(res);
          return { page: [] as string[], next: undefined };
        }
        const body = JSON.parse((await readBody(res)).toString('utf8')) as { tags?: string[] | null };
        return { page: body.tags ?? [], next: nextLink(headerValue(res.headers.link)) };
      });
      tags.push(...page);
      path = next;
    }
    return tags;
  }

  /**
   * What the OCI referrers API lists for `digest`. A registry with the API answers 200 for
   * any digest, also one nothing refers to; 'no api' when the registry does not serve it
   * (learned once, and not asked again); 'no repository' when it answers that the
   * repository does not exist, which leaves open whether it serves the API.
   */
  referrersByApi(repository: string, digest: string): Promise<Descriptor[] | 'no api' | 'no repository'> {
    if (this.referrersApi === false) return Promise.resolve('no api');
    const operation = `referrers of ${this.registry}/${repository}@${digest}`;
    return this.retrying(operation, async () => {
      const res = await this.request('GET', `/v2/${repository}/referrers/${digest}`, {
        headers: { Accept: MediaType.OciIndex },
        ok: [200, 404, 400, 405],
        operation,
      });
      const contentType = String(res.headers['content-type'] ?? '');
      if (res.status === 200 && contentType.startsWith(MediaType.OciIndex)) {
        this.referrersApi = true;
        return (JSON.parse((await readBody(res)).toString('utf8')) as ImageIndex).manifests ?? [];
      }
      const body = await readBody(res, 64 * 1024).catch(() => Buffer.alloc(0));
      if (res.status === 404 && parseErrorBody(body.toString('utf8')).code === 'NAME_UNKNOWN') return 'no repository';
      this.referrersApi = false;
      return 'no api';
    });
  }

  /** Opens connections now for a burst of requests and blob reads to come (see ConnectionsAhead). */
  openConnections(counts: ConnectionsAhead): void {
    void awaitedLater(openConnections(this.base, counts));
  }

  retrying<T>(operation: string, work: () => Promise<T>): Promise<T> {
    return withRetry(operation, work, { policy: this.retry, onRetry: (m) => this.log.warning(m) });
  }

  /**
   * Learns the registry's auth scheme once, with GET /v2/ as Docker and skopeo do, and gets
   * its token, so that the first burst of concurrent requests does not draw one 401 each.
   * Requests await it; calling it early overlaps it with other work.
   */
  authenticate(): Promise<void> {
    this.pinged ??= (async () => {
      const res = await send({ method: 'GET', url: `${this.base}/v2/` });
      await discardBody(res);
      // Beside the ping's connection, back in the pool now: a handshake takes a round trip,
      // the token at least two (its own connection, then its answer), so they are ready first.
      if (this.connections) this.openConnections(this.connections);
      if (res.status === 401) await this.auth.unauthorized(res.headers['www-authenticate'], false);
    })().catch((err) => {
      this.pinged = undefined;
      throw err;
    });
    return this.pinged;
  }

  private async request(method: string, pathOrUrl: string, options: RequestOptions): Promise<HttpResponse> {
    await this.authenticate();
    let url = new URL(pathOrUrl, this.base).toString();
    for (let attempt = 0, redirects = 0; ;) {
      const authorization = sameOrigin(url, this.base) ? await this.auth.header() : undefined;
      const headers = { ...options.headers, ...(authorization ? { Authorization: authorization } : {}) };
      const res = options.into
        ? await getInto(
            { url, headers, expectedBytes: options.into.expectedBytes, ...(options.into.signal ? { signal: options.into.signal } : {}) },
            options.into.sink,
          )
        : await send({ method, url, headers, ...(options.body ? { body: options.body } : {}) });
      this.noteRateLimit(res);
      if (res.status === 401 && attempt === 0) {
        await discardBody(res);
        attempt++;
        const renewed = await this.auth.unauthorized(res.headers['www-authenticate'], authorization !== undefined);
        // A streamed body is spent: the whole operation starts over with the new token.
        if (renewed && typeof options.body === 'function') throw new RetryableError('token renewed', 0);
        if (renewed) continue;
      }
      if (
        (res.status === 307 || res.status === 302 || res.status === 301 || res.status === 303) &&
        method !== 'PUT' &&
        res.headers.location &&
        redirects < MAX_REDIRECTS
      ) {
        await discardBody(res);
        // Blob storage behind a redirect gets no registry credentials (sameOrigin above).
        url = new URL(res.headers.location, url).toString();
        redirects++;
        continue;
      }
      const failure = await checkResponse(res, method, options.ok);
      if (!failure) return res;
      if (failure.retryable) throw failure;
      const { code, message } = failure.body;
      if (res.status === 401 || res.status === 403) {
        throw new PermissionError(
          this.registry,
          options.operation,
          res.status,
          code ?? 'DENIED',
          `${message || 'access denied'} (the credentials for ${this.registry} lack the permission for this)`,
        );
      }
      throw new RegistryError(options.operation, res.status, code, message);
    }
  }

  private noteRateLimit(res: HttpResponse): void {
    const remaining = headerValue(res.headers['ratelimit-remaining']);
    if (remaining && remaining !== this.rateLimitRemaining) {
      this.rateLimitRemaining = remaining;
      this.log.debug(`${this.registry} rate limit remaining: ${remaining}`);
    }
  }
}

export function referrersTag(digest: string): string {
  return digest.replace(':', '-');
}

function manifestMediaType(bytes: Buffer, contentType: string | undefined): string {
  try {
    const declared = (JSON.parse(bytes.toString('utf8')) as { mediaType?: string }).mediaType;
    if (declared) return declared;
  } catch {
    // Not JSON: the Content-Type header is all we have.
  }
  return (contentType ?? MediaType.OciManifest).split(';')[0].trim();
}

function nextLink(link: string | undefined): string | undefined {
  const match = link ? /<([^>]+)>;\s*rel="?next"?/.exec(link) : null;
  return match?.[1];
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function sameOrigin(a: string, b: string): boolean {
  return new URL(a).origin === new URL(b).origin;
}
