// GitHub Packages REST API for container packages, through @octokit/rest: who owns a
// package (organization or user), the owner's container packages, a package's versions
// (every page), and deleting one version.
//
// On GHCR every manifest of an image is its own version: `name` is its digest and
// `metadata.container.tags` its tags. Deleting a version deletes that manifest.
//
// Rate limits: every request goes through one hook that waits as GitHub documents (see
// retryAdvice in http/check-response.ts) and retries; while one request waits, a shared
// pause holds back the others, so bounded concurrency never hammers an API that asked us
// to slow down.
// With a budget (rate-budget.ts), a request the budget does not allow is not sent: it
// fails with BudgetExhaustedError, which the caller reports as work left for the next run.
import { Octokit } from '@octokit/rest';
import { parseErrorBody, statusError, type ResponseHeaders } from '../http/check-response.js';
import { DEFAULT_RETRY, GaveUpError, maxRetryWaitMs, RetryableError, tooLongWait, withRetry, type RetryPolicy } from '../http/retry.js';
import { suiteFetch } from '../http/fetch.js';
import type { Log } from '../log.js';
import { addSecret } from '../secrets.js';
import { BudgetExhaustedError, GitHubApiError, NotFoundError, RateLimitError } from './errors.js';
import { newerRateLimit, readRateLimit, requestsAllowed, type RateLimitState } from './rate-budget.js';
import type { DeleteOutcome, PackageOwner, PackageVersion } from './container-package.js';

export interface ContainerPackagesOptions {
  token: string;
  /** The REST API root, e.g. https://api.github.com (GITHUB_API_URL on a runner). */
  apiUrl: string;
  log: Log;
  /** Rate limits resetting later than maxRetryWaitMs are not waited for: the run fails with the reset time. */
  retry?: RetryPolicy;
  /** Share (0 to 1] of the hour's primary rate limit this client may spend; undefined: no budget. */
  rateLimitBudget?: number;
}

/** Secondary rate limits can ask for a minute or more, so a few waits of that length fit in. */
export const GITHUB_RETRY: RetryPolicy = { ...DEFAULT_RETRY, attempts: 6 };

const API_VERSION = '2022-11-28';
const PER_PAGE = 100;
// GitHub's refusals, as api.github.com words them (kairos-io/kairos#4723, posit-dev/positron#15764,
// chizkiyahu/delete-untagged-ghcr-action#40; the emulator has the details). "the last version"
// is GitHub's older wording of the first.
const LAST_TAGGED_VERSION = /cannot delete the last (?:tagged )?version of a package/i;
const DOWNLOADED_PUBLIC_VERSION = /more than 5,?000 downloads/i;

interface OctokitError {
  status?: number;
  message?: string;
  response?: { headers?: ResponseHeaders; data?: unknown };
  request?: { method: string; url: string };
}

export class ContainerPackages {
  private readonly octokit: Octokit;
  private readonly log: Log;
  private readonly retry: RetryPolicy;
  /** No request leaves before this time (epoch ms): set by whichever request was told to wait. */
  private pausedUntil = 0;
  private readonly budget: number | undefined;
  /** The rate limit as GitHub last told it, and the requests sent since that GitHub has not answered. */
  private rate: RateLimitState | undefined;
  private inFlight = 0;
  /** Once a request was refused, so is every later one: the run stops, it does not trickle on. */
  private spent = false;
  /** The API's host, which a refused token is reported against. */
  private readonly apiHost: string;

  constructor(options: ContainerPackagesOptions) {
    addSecret(options.token);
    this.apiHost = new URL(options.apiUrl).host;
    this.log = options.log;
    this.retry = options.retry ?? GITHUB_RETRY;
    this.budget = options.rateLimitBudget;
    this.octokit = new Octokit({
      auth: options.token,
      baseUrl: options.apiUrl.replace(/\/+$/, ''),
      userAgent: 'ci-actions/cleanup-staging',
      // Through the proxy the environment names, as every other client of the suite.
      request: { fetch: suiteFetch },
      // Octokit logs every request at info: a debug line for us, or a sweep floods the step log.
      log: { debug: (m) => this.log.debug(m), info: (m) => this.log.debug(m), warn: (m) => this.log.warning(m), error: (m) => this.log.warning(m) },
    });
    this.octokit.hook.wrap('request', (request, requestOptions) => {
      requestOptions.headers['x-github-api-version'] = API_VERSION;
      // The label names the route; an HTTP failure then names the request as sent (HttpStatusError).
      return withRetry(`GitHub API ${requestOptions.method} ${requestOptions.url}`, () => this.paced(async () => request(requestOptions)), {
        policy: this.retry,
        onRetry: (m) => this.log.warning(m),
      });
    });
  }

  /** The primary rate limit as GitHub last told it; undefined before the first answer. */
  rateLimit(): RateLimitState | undefined {
    return this.rate;
  }

  /** Organization or user: the API paths differ. */
  async owner(login: string): Promise<PackageOwner> {
    try {
      const { data } = await this.octokit.rest.users.getByUsername({ username: login });
      return { login: data.login, kind: data.type === 'Organization' ? 'org' : 'user' };
    } catch (err) {
      throw this.explain(
        err,
        `looking up owner ${login}`,
        () => new NotFoundError({ kind: 'github-owner', owner: login }, `no GitHub user or organization named "${login}" (GitHub answered 404)`),
      );
    }
  }

  /** The names of every container package of the owner (every page). */
  async listPackages(owner: PackageOwner): Promise<string[]> {
    const { packages } = this.octokit.rest;
    const pages =
      owner.kind === 'org'
        ? this.octokit.paginate.iterator(packages.listPackagesForOrganization, { org: owner.login, package_type: 'container', per_page: PER_PAGE })
        : this.octokit.paginate.iterator(packages.listPackagesForUser, { username: owner.login, package_type: 'container', per_page: PER_PAGE });
    const names: string[] = [];
    try {
      for await (const page of pages) names.push(...page.data.map((p) => p.name));
    } catch (err) {
      throw this.explain(err, `listing the container packages of ${owner.kind === 'org' ? 'organization' : 'user'} ${owner.login}`);
    }
    return names;
  }

  /** Every version of a container package, newest first as GitHub lists them. */
  async listVersions(owner: PackageOwner, name: string): Promise<PackageVersion[]> {
    const { packages } = this.octokit.rest;
    const pages =
      owner.kind === 'org'
        ? this.octokit.paginate.iterator(packages.getAllPackageVersionsForPackageOwnedByOrg, {
            org: owner.login,
            package_type: 'container',
            package_name: name,
            per_page: PER_PAGE,
          })
        : this.octokit.paginate.iterator(packages.getAllPackageVersionsForPackageOwnedByUser, {
            username: owner.login,
            package_type: 'container',
            package_name: name,
            per_page: PER_PAGE,
          });
    const versions: PackageVersion[] = [];
    try {
      for await (const page of pages) {
        for (const v of page.data) {
          versions.push({ id: v.id, digest: v.name, tags: v.metadata?.container?.tags ?? [], createdAt: Date.parse(v.created_at) });
        }
      }
    } catch (err) {
      throw this.explain(
        err,
        `listing the versions of ${describe(owner, name)}`,
        () =>
          new NotFoundError(
            { kind: 'github-package', owner: owner.login, name },
            `${describe(owner, name)} does not exist, or the token cannot see it (GitHub answered 404; the token needs the packages: read permission and, for a package not linked to this repository, access granted in the package settings)`,
          ),
      );
    }
    return versions;
  }

  async deleteVersion(owner: PackageOwner, name: string, version: PackageVersion): Promise<DeleteOutcome> {
    try {
      if (owner.kind === 'org') {
        await this.octokit.rest.packages.deletePackageVersionForOrg({
          org: owner.login,
          package_type: 'container',
          package_name: name,
          package_version_id: version.id,
        });
      } else {
        await this.octokit.rest.packages.deletePackageVersionForUser({
          username: owner.login,
          package_type: 'container',
          package_name: name,
          package_version_id: version.id,
        });
      }
      return 'deleted';
    } catch (err) {
      const { status, message } = details(err);
      // Gone already (another run, a person, or our own retried request): what we wanted.
      if (status === 404) return 'already-gone';
      // The status of a refusal is not part of the rule (400 is what has been seen): the text is.
      if (status !== undefined && status >= 400 && status < 500) {
        if (LAST_TAGGED_VERSION.test(message)) return 'last-tagged-version';
        if (DOWNLOADED_PUBLIC_VERSION.test(message)) return 'downloaded-public-version';
      }
      throw this.explain(err, `deleting version ${version.id} (${version.digest}) of ${describe(owner, name)}`);
    }
  }

  /** Runs one request after any pause GitHub asked for, and turns slow-down answers into retries. */
  private async paced<T extends { headers: ResponseHeaders }>(send: () => Promise<T>): Promise<T> {
    const wait = this.pausedUntil - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    // Before the first answer the state is unknown: the first request is what tells it.
    if (this.budget !== undefined && this.rate && (this.spent || requestsAllowed(this.rate, this.budget, this.inFlight) <= 0)) {
      this.spent = true;
      throw new BudgetExhaustedError(
        `the rate-limit budget is spent: GitHub allows ${this.rate.remaining} more request(s) of ${this.rate.limit} until ${new Date(this.rate.reset * 1000).toISOString()}, ` +
          `and rate-limit-budget (${this.budget}) leaves ${Math.ceil(this.rate.limit * (1 - this.budget))} of them to others`,
      );
    }
    this.inFlight++;
    try {
      const response = await send();
      this.observe(response.headers);
      return response;
    } catch (err) {
      const { status, headers, body, request } = answer(err);
      this.observe(headers);
      // Octokit reports a failed fetch as a 500 without a response: a dropped connection, retried as one.
      if (status !== undefined && request && !(err as OctokitError).response) throw new RetryableError((err as Error).message, undefined, err);
      if (status === undefined || !request) throw err;
      const failure = statusError(request.method, request.url, status, headers, body);
      if (!failure.retryable) throw err;
      const wait = failure.retryAfterMs;
      if (status === 403 || status === 429) {
        if (wait !== undefined && wait > maxRetryWaitMs(this.retry)) {
          const limit = failure.waitIsFallback
            ? `GitHub's API rate-limited the request (HTTP ${status}: ${failure.body.message})`
            : `GitHub's API rate limit is exhausted until ${new Date(Date.now() + wait).toISOString()} (HTTP ${status}: ${failure.body.message})`;
          throw new RateLimitError(
            status,
            `${limit}; ${tooLongWait(wait, maxRetryWaitMs(this.retry), failure.waitIsFallback)}; run the cleanup again later, or allow a longer wait`,
            { kind: 'retry-wait' },
          );
        }
        // Every request holds back while one was told to wait: a rate limit is the client's, not the request's.
        if (wait !== undefined) this.pausedUntil = Math.max(this.pausedUntil, Date.now() + wait);
      }
      throw failure;
    } finally {
      this.inFlight--;
    }
  }

  private observe(headers: ResponseHeaders): void {
    const seen = readRateLimit(headers);
    if (seen) this.rate = newerRateLimit(this.rate, seen);
  }

  /** A failed request as an error that says what to change. */
  private explain(err: unknown, operation: string, notFound?: () => Error): Error {
    if (err instanceof GitHubApiError) return err;
    // withRetry's message names the request and the attempts.
    if (err instanceof GaveUpError) return new GitHubApiError(0, `${operation}: ${err.message}`, err.subject);
    const { status, message, headers } = details(err);
    if (status === 404 && notFound) return notFound();
    if (status === 401)
      return new GitHubApiError(401, `${operation}: GitHub rejected the token (HTTP 401: ${message})`, {
        kind: 'credentials',
        service: 'github',
        address: this.apiHost,
      });
    if (status === 403) {
      // GitHub names the permission it wanted in X-Accepted-GitHub-Permissions (e.g. packages=write).
      const wanted = headerText(headers['x-accepted-github-permissions']);
      const needs = operation.startsWith('deleting') ? 'packages: write' : 'packages: read';
      return new GitHubApiError(
        403,
        `${operation}: the token lacks the \`${needs}\` permission (HTTP 403: ${message}${wanted ? `; GitHub accepts ${wanted}` : ''}). ` +
          `Give the job \`permissions: { ${needs} }\`, and for an organization package give this repository the Admin role under the package's "Manage Actions access" settings`,
      );
    }
    return new GitHubApiError(status ?? 0, `${operation}: ${status ? `HTTP ${status}: ` : ''}${message}`);
  }
}

function describe(owner: PackageOwner, name: string): string {
  return `container package "${name}" of ${owner.kind === 'org' ? 'organization' : 'user'} ${owner.login}`;
}

/** What GitHub answered to a failed request, as Octokit's RequestError carries it. */
function answer(err: unknown): { status?: number; headers: ResponseHeaders; body: string; request?: { method: string; url: string } } {
  const e = err as OctokitError;
  const data = e.response?.data;
  return {
    ...(typeof e.status === 'number' ? { status: e.status } : {}),
    ...(e.request ? { request: e.request } : {}),
    headers: e.response?.headers ?? {},
    body: typeof data === 'string' ? data : data === undefined ? '' : JSON.stringify(data),
  };
}

/** A failed request's status, GitHub's message (read as every vendor's is) and headers. */
function details(err: unknown): { status?: number; message: string; headers: ResponseHeaders } {
  const { status, headers, body } = answer(err);
  return { ...(status !== undefined ? { status } : {}), message: parseErrorBody(body).message || ((err as Error).message ?? String(err)), headers };
}

function headerText(value: string | string[] | number | undefined): string | undefined {
  return value === undefined ? undefined : String(value);
}
