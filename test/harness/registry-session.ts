// Registry API calls straight to a test registry, with a token from its own token server
// cached per scope until shortly before it expires: for harness code that makes many
// calls (bulk pushes, the GitHub API emulator's deletes) without the code under test.
import { basicAuth, httpRequest, type HttpResponse } from './http.js';
import type { Registry } from './registry.js';
import type { Credentials } from './skopeo.js';

export class RegistrySession {
  private readonly tokens = new Map<string, { token: string; until: number }>();

  constructor(
    readonly registry: Registry,
    private readonly creds: Credentials,
  ) {}

  /** `path` is relative to /v2/<repository>/, e.g. `manifests/sha256:...`; `actions` e.g. "pull,push". */
  async request(
    method: string,
    repository: string,
    path: string,
    options: { actions: string; headers?: Record<string, string>; body?: Buffer },
  ): Promise<HttpResponse> {
    const token = await this.token(`repository:${repository}:${options.actions}`);
    const url = path.startsWith('http') ? path : `${this.registry.url}/v2/${repository}/${path}`;
    return httpRequest(url, { method, headers: { ...options.headers, Authorization: `Bearer ${token}` }, ...(options.body ? { body: options.body } : {}) });
  }

  private async token(scope: string): Promise<string> {
    const cached = this.tokens.get(scope);
    if (cached && cached.until > Date.now()) return cached.token;
    const url = `${this.registry.tokenServer.realm}?service=${encodeURIComponent(this.registry.service)}&scope=${encodeURIComponent(scope)}`;
    const res = await httpRequest(url, { headers: { Authorization: basicAuth(this.creds.username, this.creds.password) } });
    if (res.status !== 200) throw new Error(`token for ${scope}: HTTP ${res.status} ${res.body.toString()}`);
    const { token, expires_in: lifetime } = res.json<{ token: string; expires_in: number }>();
    // Half the lifetime: never sent within the registry's clock-skew window of expiry.
    this.tokens.set(scope, { token, until: Date.now() + (lifetime * 1000) / 2 });
    return token;
  }
}
