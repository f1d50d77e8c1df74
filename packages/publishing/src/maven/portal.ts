// Sonatype's Central Portal Publisher API, as documented at
// https://central.sonatype.org/publish/publish-portal-api/ :
//   POST /api/v1/publisher/upload?name=N&publishingType=AUTOMATIC|USER_MANAGED
//        multipart/form-data with the zip in the part "bundle" -> 201, the deployment id as text
//   POST /api/v1/publisher/status?id=ID
//        -> {deploymentId, deploymentName, deploymentState, purls, errors}
//   GET  /api/v1/publisher/published?namespace=G&name=A&version=V -> {published: boolean}
//   POST /api/v1/publisher/deployments/files {sortField, sortDirection, page, size, pathStarting}
//        -> {deployments: [{deploymentId, deploymentName, deploymentState, purls, ...}], pageCount}
//   DELETE /api/v1/publisher/deployment/ID -> 204; FAILED and VALIDATED deployments only
//   POST /api/v1/publisher/deployment/ID -> 204, publishes a VALIDATED deployment
// (the last three from Sonatype's OpenAPI description behind https://central.sonatype.com/api-doc).
// Every request carries `Authorization: Bearer base64(username:password)` of a user token.
//
// Reads (status, published, the deployments search), the drop and the publish retry transient
// failures (a publish retried after its answer was lost is refused, as the deployment is no
// longer VALIDATED; a re-run then follows it). The upload does not: a bundle the portal
// received before the connection dropped is a deployment already, and a second upload would
// make another. It goes through the same policy with one attempt, so its failure reads
// as every other: the request, and after how many attempts.
import { multipartFile } from './multipart.js';
import { checkResponse, type HttpStatusError } from '../http/check-response.js';
import { DEFAULT_RETRY, isRetryableNetworkError, withRetry, type RetryPolicy } from '../http/retry.js';
import { describeRequest } from '../http/request-error.js';
import { readBody, send } from '../http/transport.js';
import type { Log } from '../log.js';
import { addBasicCredentials } from '../secrets.js';
import type { Coordinates } from './coordinates.js';
import { DomainError, type Subject } from '../errors.js';
import { DEPLOYMENT_STATES, type DeploymentStatus, type ListedDeployment, type PublishingType } from './deployments.js';

/** Pages the search is read in, and the most read: a namespace's deployments within the last releases. */
const SEARCH_PAGE_SIZE = 100;
const SEARCH_MAX_PAGES = 5;

export interface CentralPortalOptions {
  /** Base URL, e.g. https://central.sonatype.com. */
  url: string;
  username: string;
  password: string;
  log: Log;
  retry?: RetryPolicy;
}

export class CentralPortalError extends DomainError {
  constructor(message: string, subject?: Subject) {
    super(message, subject ? { subject } : {});
  }
}

/** Central refused the user token (its username and password). */
export function refusedUserToken(url: string, detail: string): CentralPortalError {
  return new CentralPortalError(
    `${url} rejected the user token (HTTP 401${detail}); its username and password both come from "Generate User Token" on the portal's account page, not the portal login`,
    { kind: 'credentials', service: 'central-portal', address: url },
  );
}

export class CentralPortal {
  readonly url: string;
  private readonly authorization: string;
  private readonly log: Log;
  private readonly retry: RetryPolicy;

  constructor(options: CentralPortalOptions) {
    this.url = options.url.replace(/\/+$/, '');
    addBasicCredentials(options.username, options.password);
    this.authorization = `Bearer ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`;
    this.log = options.log;
    this.retry = options.retry ?? DEFAULT_RETRY;
  }

  async isPublished(component: Coordinates): Promise<boolean> {
    const query = new URLSearchParams({ namespace: component.groupId, name: component.artifactId, version: component.version });
    const operation = `check whether ${component.groupId}:${component.artifactId}:${component.version} is published on ${this.url}`;
    const body = await this.retrying(operation, () => this.request('GET', `/api/v1/publisher/published?${query.toString()}`, operation));
    return (parseJson(operation, body) as { published?: unknown }).published === true;
  }

  /** Uploads the bundle as a new deployment and returns its id. */
  async upload(bundle: Uint8Array, name: string, publishingType: PublishingType): Promise<string> {
    const { body, contentType } = multipartFile({ field: 'bundle', filename: 'central-bundle.zip', contentType: 'application/octet-stream', content: bundle });
    const query = new URLSearchParams({ name, publishingType: publishingType === 'automatic' ? 'AUTOMATIC' : 'USER_MANAGED' });
    const operation = `upload the bundle to ${this.url}`;
    const upload = () =>
      this.request(
        'POST',
        `/api/v1/publisher/upload?${query.toString()}`,
        operation,
        { 'Content-Type': contentType, 'Content-Length': String(body.length) },
        body,
      );
    const id = (await this.retrying(operation, upload, { ...this.retry, attempts: 1 })).trim();
    if (!id) throw new CentralPortalError(`upload the bundle to ${this.url}: the portal answered without a deployment id`);
    return id;
  }

  async status(deploymentId: string): Promise<DeploymentStatus> {
    const operation = `status of deployment ${deploymentId} on ${this.url}`;
    const body = await this.retrying(operation, () =>
      this.request('POST', `/api/v1/publisher/status?${new URLSearchParams({ id: deploymentId }).toString()}`, operation),
    );
    const json = parseJson(operation, body) as { deploymentState?: unknown; errors?: unknown };
    const state = DEPLOYMENT_STATES.find((s) => s === json.deploymentState);
    if (!state) throw new CentralPortalError(`status of deployment ${deploymentId}: unknown state ${JSON.stringify(json.deploymentState)}`);
    return { deploymentState: state, errors: errorLines(json.errors) };
  }

  /** The deployments with files under `pathStarting` (a group's path), newest first. */
  async deployments(pathStarting: string): Promise<ListedDeployment[]> {
    const operation = `list the deployments of ${pathStarting} on ${this.url}`;
    const listed: ListedDeployment[] = [];
    for (let page = 0; page < SEARCH_MAX_PAGES; page++) {
      const request = JSON.stringify({ page, size: SEARCH_PAGE_SIZE, sortField: 'createdTimestamp', sortDirection: 'desc', pathStarting });
      const search = () => this.request('POST', '/api/v1/publisher/deployments/files', operation, { 'Content-Type': 'application/json' }, Buffer.from(request));
      const json = parseJson(operation, await this.retrying(operation, search)) as { deployments?: unknown; pageCount?: unknown };
      const deployments = Array.isArray(json.deployments) ? (json.deployments as Record<string, unknown>[]) : [];
      for (const d of deployments) {
        const state = DEPLOYMENT_STATES.find((s) => s === d.deploymentState);
        // A state this client does not know is no deployment to resume or drop.
        if (!state || typeof d.deploymentId !== 'string') continue;
        listed.push({
          id: d.deploymentId,
          name: typeof d.deploymentName === 'string' ? d.deploymentName : '',
          state,
          purls: Array.isArray(d.purls) ? d.purls.filter((p): p is string => typeof p === 'string') : [],
        });
      }
      if (deployments.length < SEARCH_PAGE_SIZE || typeof json.pageCount !== 'number' || page + 1 >= json.pageCount) break;
    }
    return listed;
  }

  /** Drops a FAILED (or VALIDATED) deployment: the portal forgets it. */
  async drop(deploymentId: string): Promise<void> {
    const operation = `drop deployment ${deploymentId} on ${this.url}`;
    await this.retrying(operation, () => this.request('DELETE', `/api/v1/publisher/deployment/${encodeURIComponent(deploymentId)}`, operation));
  }

  /** Publishes a VALIDATED deployment, as the portal's Publish button does for a user-managed one. */
  async publish(deploymentId: string): Promise<void> {
    const operation = `publish deployment ${deploymentId} on ${this.url}`;
    await this.retrying(operation, () => this.request('POST', `/api/v1/publisher/deployment/${encodeURIComponent(deploymentId)}`, operation));
  }

  private retrying(operation: string, work: () => Promise<string>, policy = this.retry): Promise<string> {
    return withRetry(operation, work, { policy, onRetry: (m) => this.log.warning(m) });
  }

  private async request(method: string, pathAndQuery: string, operation: string, headers: Record<string, string> = {}, body?: Buffer): Promise<string> {
    const url = `${this.url}${pathAndQuery}`;
    let failure: HttpStatusError | undefined;
    try {
      const res = await send({ method, url, headers: { Authorization: this.authorization, ...headers }, ...(body ? { body } : {}) });
      failure = await checkResponse(res, method);
      if (!failure) return (await readBody(res, 4 * 1024 * 1024)).toString('utf8');
    } catch (err) {
      // A dropped connection goes back to withRetry, which names the request and the attempts.
      if (isRetryableNetworkError(err)) throw err;
      throw new CentralPortalError(`${operation}: ${describeRequest(method, url)}: ${(err as Error).message}`);
    }
    if (failure.retryable) throw failure;
    if (failure.status === 401) {
      throw refusedUserToken(this.url, failure.body.message ? `: ${failure.body.message}` : '');
    }
    throw new CentralPortalError(`${operation}: ${failure.message}`);
  }
}

/** Central's `errors` is an object of component or file -> messages; tolerate a list or a string too. */
export function errorLines(errors: unknown): string[] {
  if (errors === undefined || errors === null) return [];
  if (typeof errors === 'string') return [errors];
  if (Array.isArray(errors)) return errors.map((e) => (typeof e === 'string' ? e : JSON.stringify(e)));
  if (typeof errors === 'object') {
    return Object.entries(errors).flatMap(([where, messages]) => errorLines(messages).map((message) => `${where}: ${message}`));
  }
  // What is left is a scalar JSON gives: a number or a boolean.
  return [`${errors as number | boolean}`];
}

function parseJson(operation: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new CentralPortalError(`${operation}: the portal answered with something that is not JSON: ${text.slice(0, 200)}`);
  }
}
