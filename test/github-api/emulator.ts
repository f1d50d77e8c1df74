// A stand-in for the GitHub Packages REST API of container packages, backed by a real
// registry: what GHCR would list is what the registry stores (every manifest a version,
// `name` its digest, `metadata.container.tags` its tags, `created_at` when it was first
// seen), and a DELETE deletes the manifest from the registry, so a deleted image really
// stops resolving. Package acme/app is repository acme/app of the registry.
//
// Served as GitHub serves it: token auth with or without the packages permissions
// (403 with GitHub's message and X-Accepted-GitHub-Permissions), the owner's container
// packages (the registry's repositories below the owner), per_page up to 100 with
// Link headers, 404 for what does not exist, GitHub's refusals to delete (below),
// rate-limit headers; and secondary rate limits on demand (setFaults). Every request is
// checked against GitHub's OpenAPI description, every answer too: `violations` lists
// what did not match, and a test fails when it is not empty.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { FaultAction, FaultRule } from '../harness/fault-proxy.js';
import { LOOPBACK } from '../harness/ports.js';
import type { Registry } from '../harness/registry.js';
import { RegistrySession } from '../harness/registry-session.js';
import { storedManifests, storedRepositories, taggedDigests } from '../harness/registry-storage.js';
import type { Credentials } from '../harness/skopeo.js';
import { OpenApiDescription, type DescriptionSource, type MatchedOperation } from '../harness/openapi.js';
import { repoRoot } from '../support/paths.js';

export type PackagesPermission = 'none' | 'read' | 'write';
export type OwnerType = 'Organization' | 'User';

export interface GitHubApiOptions {
  /** The registry behind the packages (the GHCR stand-in). */
  registry: Registry;
  /** A registry user that may pull and delete: GitHub's own access to its registry. */
  credentials: Credentials;
  owners: Record<string, OwnerType>;
  /** Accepted tokens and the packages permission each carries. */
  tokens: Record<string, PackagesPermission>;
}

export interface RecordedRequest {
  method: string;
  /** Path and query, as sent. */
  path: string;
  status: number;
}

export interface GitHubApi {
  /** The API root, for Octokit's baseUrl (GITHUB_API_URL). */
  url: string;
  /** Every request answered, in order. */
  readonly requests: RecordedRequest[];
  /** Requests (and answers) that do not match GitHub's OpenAPI description. */
  readonly violations: string[];
  /** Rules evaluated before each request, as the fault proxy's (`corrupt` is not supported). */
  setFaults(rules: FaultRule[]): void;
  /** Backdates (or moves) a version's created_at. */
  setCreatedAt(repository: string, digest: string, at: Date): void;
  /** How often a version was downloaded (GitHub counts; the registry does not). */
  setDownloads(repository: string, digest: string, count: number): void;
  /** A package's visibility; every package starts private. */
  setVisibility(repository: string, visibility: 'public' | 'private'): void;
  /**
   * The primary rate limit from now on: X-RateLimit-Limit, and X-RateLimit-Remaining,
   * which each answer then lowers by one (as other jobs spending the same token would).
   */
  setRateLimit(remaining: number, limit?: number): void;
  stop(): Promise<void>;
}

/** GitHub's published OpenAPI description of its REST API (@octokit/openapi). */
export const GITHUB_REST_API: DescriptionSource = {
  file: path.join(repoRoot, 'node_modules/@octokit/openapi/generated/api.github.com.json'),
  describes: "GitHub's REST API",
  /**
   * The user-owned versions list paginates like the organization one, which its description
   * leaves out (github/rest-api-description#1651, open since 2022).
   */
  undocumentedParameters: {
    'packages/get-all-package-versions-for-package-owned-by-user': ['#/components/parameters/page', '#/components/parameters/per-page'],
  },
};

const DOCS = 'https://docs.github.com/rest/packages/packages';

// GitHub's refusals to delete a version, as api.github.com gives them; no re-run passes either.
// - The last tagged version: 400 "You cannot delete the last tagged version of a package.
//   You must delete the package instead." https://github.com/kairos-io/kairos/issues/4723
//   (a scheduled sweep failing on api.github.com's 400; the text is quoted in its fix,
//   kairos-io/kairos#4724) and https://github.com/posit-dev/positron/pull/15764 ("(HTTP 400)").
//   Older reports (SmartsquareGmbH/delete-old-packages#33, actions/delete-package-versions#231)
//   quote "the last version of a package"; the client accepts both.
// - A public version downloaded more than 5,000 times: GitHub's OpenAPI description of this
//   endpoint states the rule; chizkiyahu/delete-untagged-ghcr-action#40 quotes api.github.com's
//   whole answer to an organization's delete, word for word as here: the message below,
//   "documentation_url":"https://docs.github.com/rest/packages/packages#delete-package-version-for-an-organization"
//   and "status":"400" (posit-dev/positron#15764 quotes its start next to the 400 above).
//   The API gives no download count to predict it by (dataaxiom/ghcr-cleanup-action#5);
//   the client (packages.ts) goes by the words, not the status.
export const LAST_TAGGED_VERSION_MESSAGE = 'You cannot delete the last tagged version of a package. You must delete the package instead.';
const DOWNLOADED_PUBLIC_VERSION_MESSAGE =
  'Publicly visible package versions with more than 5000 downloads cannot be deleted. Contact GitHub support for further assistance.';
const DOWNLOAD_LIMIT = 5000;
const PER_PAGE_DEFAULT = 30;
const PER_PAGE_MAX = 100;

/** GitHub's answer when a secondary rate limit is hit (403 or 429), optionally with retry-after. */
export function secondaryRateLimit(status: 403 | 429, retryAfterSeconds?: number): FaultAction {
  return {
    kind: 'respond',
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...(retryAfterSeconds !== undefined ? { 'retry-after': String(retryAfterSeconds) } : {}) },
    body: JSON.stringify({
      message:
        'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0400:1C2B:3D4E5F:6A7B8C:00000000.',
      documentation_url: 'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
    }),
  };
}

export async function startGitHubApi(options: GitHubApiOptions): Promise<GitHubApi> {
  const description = OpenApiDescription.load(GITHUB_REST_API);
  const session = new RegistrySession(options.registry, options.credentials);
  const requests: RecordedRequest[] = [];
  const violations: string[] = [];
  const ids = new Map<string, number>();
  const versionById = new Map<number, { repository: string; digest: string }>();
  const deletesInFlight = new Map<number, Promise<unknown>>();
  const created = new Map<string, Date>();
  const counts = new Map<string, number>();
  const downloads = new Map<string, number>();
  const publicPackages = new Set<string>();
  let rules: FaultRule[] = [];
  // GitHub's documented headers: limit, remaining, used, reset (epoch seconds), resource.
  let limit = 5000;
  let remaining = limit;
  const reset = Math.floor(Date.now() / 1000) + 3600;

  const owners = new Map(Object.entries(options.owners).map(([login, type]) => [login.toLowerCase(), { login, type }]));

  /**
   * A listing's versions as its first page saw them, until a delete through the API: reading
   * the registry's storage for every page made a package of 10,000 versions cost 100 full
   * scans per listing (bench/retention). Nothing else changes a package while a client pages.
   */
  const listings = new Map<string, ReturnType<typeof versionsOf>>();

  /** The versions of a package right now, newest first, as GitHub lists them. */
  const versionsOf = (repository: string) =>
    storedManifests(options.registry, repository)
      .map((m) => {
        const key = `${repository}@${m.digest}`;
        if (!ids.has(key)) {
          ids.set(key, 1_000_000 + ids.size);
          versionById.set(ids.get(key)!, { repository, digest: m.digest });
        }
        if (!created.has(key)) created.set(key, m.storedAt);
        return { id: ids.get(key)!, digest: m.digest, tags: m.tags, createdAt: created.get(key)! };
      })
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id);

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, Buffer.concat(chunks).toString('utf8')).then(
        (answer) => send(req, res, answer),
        (err: unknown) => send(req, res, { status: 500, body: { message: `emulator failure: ${(err as Error).stack}` } }),
      );
    });
  });

  interface Answer {
    status: number;
    body?: unknown;
    headers?: Record<string, string>;
    /** A fault's body, sent as given. */
    raw?: string;
    matched?: MatchedOperation;
  }

  const send = (req: http.IncomingMessage, res: http.ServerResponse, answer: Answer) => {
    const text = answer.raw ?? (answer.body === undefined ? '' : JSON.stringify(answer.body));
    const contentType = text ? 'application/json; charset=utf-8' : '';
    if (answer.matched && answer.raw === undefined) {
      for (const p of description.responseProblems(answer.matched, answer.status, text, contentType))
        violations.push(`emulator answer to ${req.method} ${req.url}: ${p}`);
    }
    remaining = Math.max(0, remaining - 1);
    requests.push({ method: req.method ?? '', path: req.url ?? '', status: answer.status });
    res.writeHead(answer.status, {
      ...(contentType ? { 'content-type': contentType } : {}),
      'x-github-media-type': 'github.v3; format=json',
      'x-github-request-id': `0400:${requests.length.toString(16).padStart(4, '0')}:000000:000000:00000000`,
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-reset': String(reset),
      'x-ratelimit-used': String(limit - remaining),
      'x-ratelimit-resource': 'core',
      ...answer.headers,
    });
    res.end(text);
  };

  const handle = async (req: http.IncomingMessage, body: string): Promise<Answer> => {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    for (const p of description.requestProblems(method, url, body, req.headers['content-type'])) violations.push(`${method} ${req.url}: ${p}`);
    const kindKey = `${method} ${url.pathname}`;
    const seen = counts.get(kindKey) ?? 0;
    counts.set(kindKey, seen + 1);
    const fault = rules.map((r) => r({ method, path: `${url.pathname}${url.search}`, seen })).find((a) => a !== undefined);
    if (fault?.kind === 'respond') return { status: fault.status, headers: fault.headers ?? {}, raw: fault.body ?? '' };
    if (fault?.kind === 'corrupt') throw new Error('the GitHub API emulator does not corrupt answers');
    if (fault?.kind === 'before') await fault.run();

    const matched = description.match(method, url.pathname);
    if (!matched) return { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' } };
    const error = (status: number, message: string, docs: string, headers: Record<string, string> = {}): Answer => ({
      status,
      body: { message, documentation_url: docs, status: String(status) },
      headers,
      matched,
    });

    const auth = /^(?:token|bearer)\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!auth) return error(401, 'Requires authentication', 'https://docs.github.com/rest');
    const permission = options.tokens[auth[1]];
    if (permission === undefined) return error(401, 'Bad credentials', 'https://docs.github.com/rest');

    const { params } = matched;
    if (matched.operationId === 'users/get-by-username') {
      const owner = owners.get(params.username.toLowerCase());
      if (!owner) return error(404, 'Not Found', 'https://docs.github.com/rest/users/users#get-a-user');
      return { status: 200, body: userJson(url.origin, owner.login, owner.type, 4_000 + [...owners.keys()].indexOf(owner.login.toLowerCase())), matched };
    }

    const packages = /^packages\/list-packages-for-(organization|user)$/.exec(matched.operationId);
    if (packages) {
      const kind = packages[1] === 'organization' ? 'Organization' : 'User';
      const login = kind === 'Organization' ? params.org : params.username;
      const owner = owners.get(login.toLowerCase());
      const docs = `${DOCS}#list-packages-for-${kind === 'Organization' ? 'an-organization' : 'a-user'}`;
      if (permission === 'none') return error(403, 'Resource not accessible by integration', docs, { 'x-accepted-github-permissions': 'packages=read' });
      // A user has no /orgs/ path; an organization's packages are listed under /users/ too.
      if (!owner || (owner.type !== kind && kind === 'Organization')) return error(404, 'Not Found', docs);
      const visibility = url.searchParams.get('visibility');
      const listed =
        url.searchParams.get('package_type') !== 'container'
          ? []
          : storedRepositories(options.registry, login.toLowerCase()).filter(
              (r) => !visibility || (publicPackages.has(r) ? 'public' : 'private') === visibility,
            );
      const perPage = Math.min(PER_PAGE_MAX, Number(url.searchParams.get('per_page') ?? PER_PAGE_DEFAULT));
      const page = Math.max(1, Number(url.searchParams.get('page') ?? 1));
      const body = listed
        .slice((page - 1) * perPage, page * perPage)
        .map((repository) => packageJson(url.origin, owner.login, kind, repository, versionsOf(repository), publicPackages.has(repository)));
      return { status: 200, body, headers: linkHeader(url, page, Math.max(1, Math.ceil(listed.length / perPage))), matched };
    }

    const listing = /^packages\/get-all-package-versions-for-package-owned-by-(org|user)$/.exec(matched.operationId);
    const deleting = /^packages\/delete-package-version-for-(org|user)$/.exec(matched.operationId);
    if (!listing && !deleting) {
      violations.push(`${method} ${req.url}: ${matched.operationId} is documented but not emulated`);
      return error(501, `${matched.operationId} is not emulated`, 'https://docs.github.com/rest');
    }
    const kind = (listing ?? deleting)![1] === 'org' ? 'Organization' : 'User';
    const login = kind === 'Organization' ? params.org : params.username;
    const owner = owners.get(login.toLowerCase());
    const docs = `${DOCS}#${listing ? 'list-package-versions-for-a-package-owned-by' : 'delete-package-version-for'}-${kind === 'Organization' ? 'an-organization' : 'a-user'}`;
    if (permission === 'none' || (deleting && permission !== 'write')) {
      return error(403, 'Resource not accessible by integration', docs, { 'x-accepted-github-permissions': `packages=${deleting ? 'write' : 'read'}` });
    }
    const repository = `${login.toLowerCase()}/${params.package_name}`;
    // An organization's login is a username too: GitHub serves its packages under /users/
    // as well (actions/delete-package-versions relies on it); a user has no /orgs/ path.
    const served = owner !== undefined && (owner.type === kind || kind === 'User') && params.package_type === 'container';
    if (listing) {
      const page = Math.max(1, Number(url.searchParams.get('page') ?? 1));
      if (served && (page === 1 || !listings.has(repository))) listings.set(repository, versionsOf(repository));
      const versions = served ? listings.get(repository)! : [];
      if (versions.length === 0) return error(404, 'Package not found.', docs);
      const perPage = Math.min(PER_PAGE_MAX, Number(url.searchParams.get('per_page') ?? PER_PAGE_DEFAULT));
      const pages = Math.max(1, Math.ceil(versions.length / perPage));
      const base = `${url.origin}${kind === 'Organization' ? `/orgs/${login}` : `/users/${login}`}/packages/container/${encodeURIComponent(params.package_name)}`;
      const body = versions.slice((page - 1) * perPage, page * perPage).map((v) => ({
        id: v.id,
        name: v.digest,
        url: `${base}/versions/${v.id}`,
        package_html_url: `https://github.com/${kind === 'Organization' ? 'orgs/' : ''}${login}/packages/container/package/${params.package_name}`,
        created_at: v.createdAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        updated_at: v.createdAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        html_url: `https://github.com/${kind === 'Organization' ? 'orgs/' : ''}${login}/packages/container/${params.package_name}/${v.id}`,
        metadata: { package_type: 'container', container: { tags: v.tags } },
      }));
      return { status: 200, body, headers: linkHeader(url, page, pages), matched };
    }

    // A client knows version ids only from a listing, so the id says which manifest; no scan needed.
    const version = versionById.get(Number(params.package_version_id));
    if (!served || version?.repository !== repository) return error(404, 'Not Found', docs);
    const tagged = taggedDigests(options.registry, repository, 2);
    if (tagged.length === 1 && tagged[0] === version.digest) return error(400, LAST_TAGGED_VERSION_MESSAGE, docs);
    if (publicPackages.has(repository) && (downloads.get(`${repository}@${version.digest}`) ?? 0) > DOWNLOAD_LIMIT) {
      return error(400, DOWNLOADED_PUBLIC_VERSION_MESSAGE, docs);
    }
    // GitHub's database serialises deletes of one version: of two at once, one gets 404.
    // The registry's storage does not (both can see the manifest), so the emulator does.
    const versionId = Number(params.package_version_id);
    const inFlight = deletesInFlight.get(versionId);
    if (inFlight) {
      await inFlight.catch(() => {});
      return error(404, 'Not Found', docs);
    }
    const request = session.request('DELETE', repository, `manifests/${version.digest}`, { actions: 'pull,push,delete' });
    deletesInFlight.set(versionId, request);
    const deleted = await request.finally(() => deletesInFlight.delete(versionId));
    listings.delete(repository);
    if (deleted.status === 404) return error(404, 'Not Found', docs);
    if (deleted.status !== 202) throw new Error(`registry DELETE ${repository}@${version.digest}: HTTP ${deleted.status} ${deleted.body.toString()}`);
    return { status: 204, matched };
  };

  await new Promise<void>((resolve) => server.listen(0, LOOPBACK, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${LOOPBACK}:${port}`,
    requests,
    violations,
    setFaults: (next) => {
      rules = next;
      counts.clear();
    },
    setCreatedAt: (repository, digest, at) => void created.set(`${repository}@${digest}`, at),
    setDownloads: (repository, digest, count) => void downloads.set(`${repository}@${digest}`, count),
    setVisibility: (repository, visibility) => void (visibility === 'public' ? publicPackages.add(repository) : publicPackages.delete(repository)),
    setRateLimit: (left, newLimit = limit) => {
      limit = newLimit;
      remaining = left;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** GitHub's pagination links: first/prev when past page 1, next/last when not on the last. */
function linkHeader(url: URL, page: number, pages: number): Record<string, string> {
  const at = (n: number) => {
    const u = new URL(url);
    u.searchParams.set('page', String(n));
    return `<${u.href}>`;
  };
  const links = [
    ...(page < pages ? [`${at(page + 1)}; rel="next"`, `${at(pages)}; rel="last"`] : []),
    ...(page > 1 ? [`${at(1)}; rel="first"`, `${at(page - 1)}; rel="prev"`] : []),
  ];
  return links.length > 0 ? { link: links.join(', ') } : {};
}

/** A container package as GitHub lists it; created_at is its oldest version's. */
function packageJson(
  origin: string,
  login: string,
  kind: OwnerType,
  repository: string,
  versions: { id: number; createdAt: Date }[],
  isPublic: boolean,
): Record<string, unknown> {
  const name = repository.slice(repository.indexOf('/') + 1);
  const time = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const oldest = versions.reduce((a, v) => (v.createdAt < a ? v.createdAt : a), versions[0]?.createdAt ?? new Date());
  const newest = versions.reduce((a, v) => (v.createdAt > a ? v.createdAt : a), oldest);
  return {
    id: 2_000_000 + [...repository].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 1_000_000, 7),
    name,
    package_type: 'container',
    url: `${origin}/${kind === 'Organization' ? 'orgs' : 'users'}/${login}/packages/container/${encodeURIComponent(name)}`,
    html_url: `https://github.com/${kind === 'Organization' ? 'orgs/' : ''}${login}/packages/container/package/${name}`,
    version_count: versions.length,
    visibility: isPublic ? 'public' : 'private',
    created_at: time(oldest),
    updated_at: time(newest),
  };
}

function userJson(origin: string, login: string, type: OwnerType, id: number): Record<string, unknown> {
  const url = `${origin}/users/${login}`;
  return {
    login,
    id,
    node_id: Buffer.from(`${type === 'Organization' ? '12:Organization' : '04:User'}${id}`).toString('base64'),
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: '',
    url,
    html_url: `https://github.com/${login}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type,
    user_view_type: 'public',
    site_admin: false,
    name: login,
    company: null,
    blog: '',
    location: null,
    email: null,
    hireable: null,
    bio: null,
    twitter_username: null,
    public_repos: 1,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: '2020-01-01T00:00:00Z',
    updated_at: '2020-01-01T00:00:00Z',
  };
}
