// Docker Hub repository descriptions: the short description (at most 100 bytes) and the
// full description (the README, at most 25,000 bytes), as Docker Hub's API takes them. Both
// limits count UTF-8 bytes, not characters, whatever the maxLength of Docker's description
// says: 26 emoji (104 bytes) in a short description get a 400
// (peter-evans/dockerhub-description#142), and a README trimmed to 25,000 characters with
// a few multi-byte glyphs is refused (docker-library/docs#2465). Token from POST /v2/auth/token ({identifier, secret} -> {access_token}, Docker
// Hub API reference, "Create access token"); update with PATCH
// /v2/repositories/{namespace}/{name}/ ({description, full_description}), the endpoint
// the Hub web UI and the established description actions use.
import { checkResponse } from '../http/check-response.js';
import { readBody, send } from '../http/transport.js';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from '../http/retry.js';
import type { Log } from '../log.js';
import { addSecret } from '../secrets.js';
import { DomainError, type Subject } from '../errors.js';

export const DOCKER_HUB_API = 'https://hub.docker.com';
export const MAX_SHORT_DESCRIPTION_BYTES = 100;
export const MAX_FULL_DESCRIPTION_BYTES = 25_000;

export interface DescriptionUpdate {
  /** namespace/name on Docker Hub. */
  repository: string;
  description?: string;
  fullDescription?: string;
}

/** Docker Hub's answer that ends an operation; about the credentials when it refused them or what they may do. */
export class DockerHubError extends DomainError {
  constructor(message: string, subject?: Subject) {
    super(message, subject ? { subject } : {});
  }
}

/** Problems with the texts themselves, found before anything is sent. */
export function descriptionProblems(update: DescriptionUpdate): string[] {
  const problems: string[] = [];
  if (update.description !== undefined && Buffer.byteLength(update.description) > MAX_SHORT_DESCRIPTION_BYTES) {
    problems.push(`the short description has ${sizeOf(update.description)}; Docker Hub takes at most ${MAX_SHORT_DESCRIPTION_BYTES} bytes`);
  }
  if (update.fullDescription !== undefined && Buffer.byteLength(update.fullDescription) > MAX_FULL_DESCRIPTION_BYTES) {
    problems.push(`the full description has ${sizeOf(update.fullDescription)}; Docker Hub takes at most ${MAX_FULL_DESCRIPTION_BYTES} bytes`);
  }
  if (!/^[a-z0-9]+(?:[._-][a-z0-9]+)*\/[a-z0-9]+(?:[._-][a-z0-9]+)*$/.test(update.repository)) {
    problems.push(`"${update.repository}" is not a Docker Hub repository (namespace/name)`);
  }
  return problems;
}

/** Bytes, and characters too when they differ, so a text that looks short enough says why it is not. */
function sizeOf(text: string): string {
  const bytes = Buffer.byteLength(text);
  const characters = [...text].length;
  return characters === bytes ? `${bytes} bytes` : `${bytes} bytes in UTF-8 (${characters} characters)`;
}

export class DockerHubClient {
  private token?: string;

  constructor(
    private readonly apiUrl: string,
    private readonly username: string,
    private readonly password: string,
    private readonly log: Log,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {
    addSecret(password);
  }

  /** What a refusal of the credentials, or of what they may do, is about. */
  private get credentials(): Subject {
    return { kind: 'credentials', service: 'docker-hub', address: new URL(this.apiUrl).host };
  }

  /** Logs in; done before a promotion so bad credentials fail before anything moves. */
  async login(): Promise<void> {
    const res = await this.call('POST', '/v2/auth/token', { identifier: this.username, secret: this.password }, false);
    const token = (res.json as { access_token?: string }).access_token;
    if (!token) throw new DockerHubError(`${this.apiUrl}: the token response has no access_token`);
    addSecret(token);
    this.token = token;
  }

  async updateDescription(update: DescriptionUpdate): Promise<void> {
    const problems = descriptionProblems(update);
    if (problems.length > 0) throw new DockerHubError(problems.join('; '));
    if (!this.token) await this.login();
    const body: Record<string, string> = {};
    if (update.description !== undefined) body.description = update.description;
    if (update.fullDescription !== undefined) body.full_description = update.fullDescription;
    await this.call('PATCH', `/v2/repositories/${update.repository}/`, body, true);
    this.log.info(`Docker Hub: updated the description of ${update.repository}`);
  }

  private call(method: string, path: string, body: object, authenticated: boolean): Promise<{ status: number; json: unknown }> {
    return withRetry(
      'Docker Hub API',
      async () => {
        const bytes = Buffer.from(JSON.stringify(body));
        const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json', 'Content-Length': String(bytes.length) };
        if (authenticated) headers.Authorization = `Bearer ${this.token}`;
        const res = await send({ method, url: `${this.apiUrl}${path}`, headers, body: bytes });
        const failure = await checkResponse(res, method);
        if (failure?.retryable) throw failure;
        if (failure?.status === 401 && !authenticated)
          throw new DockerHubError(
            `Docker Hub rejected the credentials of user "${this.username}" (HTTP 401${prefixed(failure.body.message)})`,
            this.credentials,
          );
        if (failure?.status === 401 || failure?.status === 403) {
          throw new DockerHubError(
            `${failure.message}; the user "${this.username}" needs admin rights on the repository and a password or an access token with read/write/delete scope`,
            this.credentials,
          );
        }
        if (failure?.status === 404) throw new DockerHubError(`${failure.request}: HTTP 404; the repository does not exist on Docker Hub`);
        if (failure) throw new DockerHubError(failure.message);
        const text = (await readBody(res, 1024 * 1024)).toString('utf8');
        return { status: res.status, json: text ? (JSON.parse(text) as unknown) : {} };
      },
      { policy: this.retry, onRetry: (m) => this.log.warning(m) },
    );
  }
}

function prefixed(message: string): string {
  return message ? `: ${message}` : '';
}
