// Registry authentication as Docker does it: an unauthenticated request gets 401 with a
// challenge; for Bearer, a token for the needed scopes comes from the realm (with Basic
// credentials, or anonymously); for Basic, the credentials go on every request. One
// token covers every scope a client declared up front (pull on the source, pull,push on
// the destination, pull on a mount source), so a promotion costs one token request per
// registry. Tokens are cached and refreshed shortly before they expire.
//
// The token service is retried like any other request: a 5xx, a 429 or a dropped
// connection says nothing about the credentials, and only its 401 or 403 blames them.
import { addBasicCredentials, addSecret } from '../secrets.js';
import { describeRequest } from '../http/request-error.js';
import { readBody, send } from '../http/transport.js';
import { checkResponse } from '../http/check-response.js';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from '../http/retry.js';
import { parseChallenge, type Challenge } from './challenge.js';
import { AuthenticationError, RegistryError } from './errors.js';

export interface RegistryCredentials {
  username?: string;
  password?: string;
  /**
   * An OAuth2 refresh token (Docker config's "identitytoken", a helper's "<token>" answer):
   * exchanged at the realm by POST, grant_type=refresh_token, as the Docker client does.
   */
  identityToken?: string;
}

export interface TokenRetry {
  policy?: RetryPolicy;
  onRetry?: (message: string) => void;
}

/** The client_id an OAuth2 token request must name; any string, so the Docker client's. */
const OAUTH_CLIENT_ID = 'docker';

/** Renew a token this long before it expires (a quarter of its life for short-lived ones). */
const REFRESH_MARGIN_MS = 10_000;

export class RegistryAuth {
  private challenge?: Challenge;
  private token?: { value: string; expiresAt: number; renewAt: number };
  private pending?: Promise<void>;

  constructor(
    private readonly registry: string,
    private readonly credentials: RegistryCredentials,
    private readonly scopes: readonly string[],
    private readonly retry: TokenRetry = {},
    private readonly now: () => number = Date.now,
  ) {
    if (credentials.username && credentials.password) addBasicCredentials(credentials.username, credentials.password);
    else addSecret(credentials.password);
    addSecret(credentials.identityToken);
  }

  /** The Authorization header for the next request, if any is known to be needed. */
  async header(): Promise<string | undefined> {
    if (this.challenge?.scheme === 'basic') return this.basic();
    if (this.challenge?.scheme === 'bearer') {
      if (!this.token || this.token.renewAt <= this.now()) await this.fetchTokenOnce();
      return this.token ? `Bearer ${this.token.value}` : undefined;
    }
    return undefined;
  }

  /**
   * Called with a 401's challenge: learns the scheme and renews the token. The caller
   * retries the request once; a second 401 means the credentials lack the permission.
   */
  async unauthorized(wwwAuthenticate: string | string[] | undefined, hadAuthorization: boolean): Promise<boolean> {
    const challenge = parseChallenge(wwwAuthenticate);
    if (!challenge) return false;
    this.challenge = challenge;
    if (challenge.scheme === 'basic') {
      if (!this.credentials.username || !this.credentials.password) {
        const why = this.credentials.identityToken ? 'an identity token works only with Bearer token auth' : 'none were given';
        throw new AuthenticationError(this.registry, `${this.registry} requires credentials (Basic auth) and ${why}`);
      }
      if (hadAuthorization) {
        throw new AuthenticationError(this.registry, `${this.registry} rejected the credentials of user "${this.credentials.username}"`);
      }
      return true;
    }
    this.token = undefined;
    await this.fetchTokenOnce();
    return true;
  }

  private basic(): string {
    return `Basic ${Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString('base64')}`;
  }

  private fetchTokenOnce(): Promise<void> {
    this.pending ??= this.fetchToken().finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async fetchToken(): Promise<void> {
    const { realm, service } = this.challenge!.params;
    if (!realm) throw new AuthenticationError(this.registry, `${this.registry} sent a Bearer challenge without a realm`);
    const url = new URL(realm);
    const headers: Record<string, string> = { Accept: 'application/json' };
    const { username, password, identityToken } = this.credentials;
    // An identity token goes in Docker's OAuth2 form (distribution's docs/spec/auth/oauth.md):
    // a POST body with the scopes space-separated; credentials go as Basic on a GET.
    const form = identityToken
      ? Buffer.from(
          new URLSearchParams({
            grant_type: 'refresh_token',
            refresh_token: identityToken,
            client_id: OAUTH_CLIENT_ID,
            ...(service ? { service } : {}),
            scope: this.scopes.join(' '),
          }).toString(),
        )
      : undefined;
    if (form) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      headers['Content-Length'] = String(form.length);
    } else {
      if (service) url.searchParams.set('service', service);
      for (const scope of this.scopes) url.searchParams.append('scope', scope);
      if (username && password) {
        headers.Authorization = this.basic();
        url.searchParams.set('account', username);
      }
    }
    const method = form ? 'POST' : 'GET';
    const request = describeRequest(method, url.toString());
    // Answers that are not a token and not a refusal: the token service's fault, not the credentials'.
    const serviceFault = (status: number, detail: string) => new RegistryError(`${this.registry}: the token service (${request})`, status, undefined, detail);
    const body = await withRetry(
      `${this.registry}: the token service`,
      async () => {
        const res = await send({ method, url: url.toString(), headers, ...(form ? { body: form } : {}) });
        const failure = await checkResponse(res, method, [200]);
        if (failure?.retryable) throw failure;
        // RFC 6749 5.2: an OAuth2 token endpoint refuses a refresh token with 400 invalid_grant.
        if (failure && (failure.status === 401 || failure.status === 403 || (form && failure.status === 400 && failure.body.code === 'invalid_grant'))) {
          const who = identityToken ? 'the identity token' : username ? `the credentials of user "${username}"` : 'anonymous access';
          throw new AuthenticationError(
            this.registry,
            `${this.registry}: the token service (${request}) rejected ${who} (HTTP ${failure.status}${prefixed(failure.body.message)})`,
          );
        }
        if (failure) throw serviceFault(failure.status, failure.body.message);
        return readBody(res, 1024 * 1024);
      },
      { policy: this.retry.policy ?? DEFAULT_RETRY, ...(this.retry.onRetry ? { onRetry: this.retry.onRetry } : {}) },
    );
    let parsed: { token?: string; access_token?: string; expires_in?: number; issued_at?: string };
    try {
      parsed = JSON.parse(body.toString('utf8')) as typeof parsed;
    } catch {
      throw serviceFault(200, 'the answer is not JSON');
    }
    const value = parsed.token ?? parsed.access_token;
    if (!value) throw serviceFault(200, 'the answer holds no token');
    addSecret(value);
    // The spec's default lifetime is 60 s when expires_in is absent.
    const issuedAt = parsed.issued_at ? Date.parse(parsed.issued_at) : NaN;
    const start = Number.isNaN(issuedAt) ? this.now() : Math.min(issuedAt, this.now());
    const lifetimeMs = (parsed.expires_in ?? 60) * 1000;
    this.token = { value, expiresAt: start + lifetimeMs, renewAt: start + lifetimeMs - Math.min(REFRESH_MARGIN_MS, lifetimeMs / 4) };
  }
}

function prefixed(detail: string): string {
  return detail ? `: ${detail}` : '';
}
