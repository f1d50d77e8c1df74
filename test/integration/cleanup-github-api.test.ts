// The GitHub Packages API emulator against the real staging registry, and the core's
// client (ContainerPackages) against the emulator: versions learned from what is pushed,
// pagination, deletes that really delete, GitHub's errors and rate limits, and the
// OpenAPI check itself (it must catch a request GitHub would not accept).
import { onNth } from '../harness/fault-proxy.js';
import { httpRequest } from '../harness/http.js';
import { isGone, pullsCompletely } from '../harness/pull-check.js';
import { stageImage } from '../harness/staging.js';
import { pushSyntheticImages } from '../harness/synthetic-images.js';
import { startRegistries, stopWorld, type World } from '../harness/world.js';
import { GITHUB_REST_API, LAST_TAGGED_VERSION_MESSAGE, secondaryRateLimit, startGitHubApi, type GitHubApi } from '../github-api/emulator.js';
import { OpenApiDescription } from '../harness/openapi.js';
import { ContainerPackages } from '@ci-actions/publishing/github/packages.js';
import type { PackageOwner } from '@ci-actions/publishing/github/container-package.js';
import type { Log } from '@ci-actions/publishing/log.js';
import { captureLog } from '../support/capture-log.js';

const FAST_RETRY = { attempts: 4, baseDelayMs: 20, maxDelayMs: 2_000 };
// Tokens are registered as secrets and redacted from every message: they must not be short words.
const TOKENS = {
  write: 'ghs_writeTOKEN0000000000000000000000',
  read: 'ghs_readTOKEN00000000000000000000000',
  none: 'ghs_nonePACKAGES00000000000000000000',
  user: 'ghs_userOWNED000000000000000000000000',
};

let world: World;
let api: GitHubApi;
beforeAll(async () => {
  world = await startRegistries();
  api = await startGitHubApi({
    registry: world.staging,
    credentials: world.creds.staging.ci,
    owners: { acme: 'Organization', 'octo-dev': 'User' },
    tokens: { [TOKENS.write]: 'write', [TOKENS.read]: 'read', [TOKENS.none]: 'none' },
  });
}, 60_000);
afterAll(async () => {
  await api?.stop();
  await stopWorld(world);
});
afterEach(() => {
  expect(api.violations).toEqual([]);
});

const client = (token = TOKENS.write, log: Log = captureLog()) => new ContainerPackages({ token, apiUrl: api.url, log, retry: FAST_RETRY });
const acme: PackageOwner = { login: 'acme', kind: 'org' };

describe('GitHub Packages API emulator', () => {
  test('lists every manifest of a pushed multi-arch image as a version, the index with its tag', async () => {
    const image = await stageImage(world.staging.host, 'acme/listed', 'pr-1', world.creds.staging.ci, { attestations: true, layerSizes: [512] });
    const versions = await client().listVersions(acme, 'listed');
    const byDigest = new Map(versions.map((v) => [v.digest, v]));
    expect(versions).toHaveLength(1 + image.manifests.length + image.attestations.length);
    expect(byDigest.get(image.digest)?.tags).toEqual(['pr-1']);
    for (const m of [...image.manifests, ...image.attestations]) expect(byDigest.get(m.digest)?.tags).toEqual([]);
    expect(new Set(versions.map((v) => v.id)).size).toBe(versions.length);
    // Ids are stable per digest across listings.
    expect((await client().listVersions(acme, 'listed')).map((v) => v.id)).toEqual(versions.map((v) => v.id));
  });

  test('a delete really deletes the manifest from the registry', async () => {
    // Another tagged image: GitHub never deletes a package's last tagged version.
    await stageImage(world.staging.host, 'acme/deleting', 'pr-1', world.creds.staging.ci, { layerSizes: [512] });
    const image = await stageImage(world.staging.host, 'acme/deleting', 'pr-2', world.creds.staging.ci, { layerSizes: [512] });
    const github = client();
    const versions = await github.listVersions(acme, 'deleting');
    const index = versions.find((v) => v.digest === image.digest)!;
    expect(await pullsCompletely(`${world.staging.host}/acme/deleting:pr-2`, world.creds.staging.ci)).toBe(true);
    await expect(github.deleteVersion(acme, 'deleting', index)).resolves.toBe('deleted');
    expect(await isGone(`${world.staging.host}/acme/deleting@${image.digest}`, world.creds.staging.ci)).toBe(true);
    expect(await isGone(`${world.staging.host}/acme/deleting:pr-2`, world.creds.staging.ci)).toBe(true);
    expect((await github.listVersions(acme, 'deleting')).map((v) => v.digest)).not.toContain(image.digest);
    // Deleting it again: 404, which the client reports as already gone.
    await expect(github.deleteVersion(acme, 'deleting', index)).resolves.toBe('already-gone');
  });

  test('pages of at most 100 with Link headers; the client reads every page', async () => {
    const images = await pushSyntheticImages(world.staging, 'acme/paged', world.creds.staging.ci, { count: 36, tagPrefix: 'b', platforms: 2 });
    api.requests.length = 0;
    const versions = await client().listVersions(acme, 'paged');
    expect(versions).toHaveLength(36 * 3);
    expect(new Set(versions.map((v) => v.digest))).toEqual(new Set(images.flatMap((i) => [i.digest, ...i.platformManifests])));
    const pages = api.requests.filter((r) => r.path.includes('/packages/container/paged/versions'));
    expect(pages.map((r) => new URL(r.path, api.url).searchParams.get('page') ?? '1')).toEqual(['1', '2']);
    const first = await httpRequest(`${api.url}/orgs/acme/packages/container/paged/versions?per_page=100`, {
      headers: { Authorization: `Bearer ${TOKENS.read}` },
    });
    expect(first.json<unknown[]>()).toHaveLength(100);
    // An organization's packages are listed under /users/ too, as GitHub does.
    const asUser = await httpRequest(`${api.url}/users/acme/packages/container/paged/versions?per_page=100&page=2`, {
      headers: { Authorization: `Bearer ${TOKENS.read}` },
    });
    expect(asUser.json<unknown[]>()).toHaveLength(8);
    expect(first.headers.link).toBe(
      `<${api.url}/orgs/acme/packages/container/paged/versions?per_page=100&page=2>; rel="next", <${api.url}/orgs/acme/packages/container/paged/versions?per_page=100&page=2>; rel="last"`,
    );
  });

  test('user-owned packages are served under /users/, and an organization path for a user is 404', async () => {
    await stageImage(world.staging.host, 'acme/mine', 'v1', world.creds.staging.ci, { layerSizes: [256], platforms: [{ os: 'linux', architecture: 'amd64' }] });
    const userApi = await startGitHubApi({
      registry: world.staging,
      credentials: world.creds.staging.ci,
      owners: { acme: 'User' },
      tokens: { [TOKENS.user]: 'write' },
    });
    try {
      const github = new ContainerPackages({ token: TOKENS.user, apiUrl: userApi.url, log: captureLog(), retry: FAST_RETRY });
      const owner = await github.owner('acme');
      expect(owner).toEqual({ login: 'acme', kind: 'user' });
      expect(await github.listVersions(owner, 'mine')).toHaveLength(1);
      await expect(github.listVersions({ login: 'acme', kind: 'org' }, 'mine')).rejects.toThrow(
        'container package "mine" of organization acme does not exist, or the token cannot see it',
      );
      expect(userApi.requests.map((r) => `${r.method} ${r.path.replace(/\?.*/, '')} ${r.status}`)).toEqual([
        'GET /users/acme 200',
        'GET /users/acme/packages/container/mine/versions 200',
        'GET /orgs/acme/packages/container/mine/versions 404',
      ]);
      expect(userApi.violations).toEqual([]);
    } finally {
      await userApi.stop();
    }
  });

  test('GitHub refuses to delete the last tagged version of a package', async () => {
    await stageImage(world.staging.host, 'acme/single', 'v1', world.creds.staging.ci, {
      layerSizes: [256],
      platforms: [{ os: 'linux', architecture: 'amd64' }],
    });
    const github = client();
    const [only] = await github.listVersions(acme, 'single');
    await expect(github.deleteVersion(acme, 'single', only)).resolves.toBe('last-tagged-version');
    expect(await pullsCompletely(`${world.staging.host}/acme/single:v1`, world.creds.staging.ci)).toBe(true);
    const answer = await httpRequest(`${api.url}/orgs/acme/packages/container/single/versions/${only.id}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${TOKENS.write}` },
    });
    expect({ status: answer.status, message: answer.json<{ message: string }>().message }).toEqual({ status: 400, message: LAST_TAGGED_VERSION_MESSAGE });
  });

  test('GitHub refuses to delete a version of a public package downloaded more than 5,000 times, and only that', async () => {
    const [popular, counted, bystander] = await pushSyntheticImages(world.staging, 'acme/downloaded', world.creds.staging.ci, { count: 3, tagPrefix: 'd' });
    const github = client();
    const version = async (digest: string) => (await github.listVersions(acme, 'downloaded')).find((v) => v.digest === digest)!;
    api.setDownloads('acme/downloaded', popular.digest, 5001);
    api.setDownloads('acme/downloaded', counted.digest, 5000);
    api.setDownloads('acme/downloaded', bystander.digest, 100_000);
    api.setVisibility('acme/downloaded', 'public');
    const answer = await httpRequest(`${api.url}/orgs/acme/packages/container/downloaded/versions/${(await version(popular.digest)).id}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${TOKENS.write}` },
    });
    // Word for word as api.github.com answered (chizkiyahu/delete-untagged-ghcr-action#40).
    expect({ status: answer.status, body: answer.json() }).toEqual({
      status: 400,
      body: {
        message: 'Publicly visible package versions with more than 5000 downloads cannot be deleted. Contact GitHub support for further assistance.',
        documentation_url: 'https://docs.github.com/rest/packages/packages#delete-package-version-for-an-organization',
        status: '400',
      },
    });
    await expect(github.deleteVersion(acme, 'downloaded', await version(popular.digest))).resolves.toBe('downloaded-public-version');
    await expect(github.deleteVersion(acme, 'downloaded', await version(counted.digest))).resolves.toBe('deleted');
    // A private package's versions are deleted whatever their downloads.
    api.setVisibility('acme/downloaded', 'private');
    await expect(github.deleteVersion(acme, 'downloaded', await version(popular.digest))).resolves.toBe('deleted');
  });
});

describe('ContainerPackages errors', () => {
  beforeAll(async () => {
    await pushSyntheticImages(world.staging, 'acme/guarded', world.creds.staging.ci, { count: 2, tagPrefix: 'g' });
  });

  test('a token without packages: write gets a 403 that names the permission; nothing is deleted', async () => {
    const github = client(TOKENS.read);
    const [version] = await github.listVersions(acme, 'guarded');
    await expect(github.deleteVersion(acme, 'guarded', version)).rejects.toThrow(
      /deleting version \d+ \(sha256:[a-f0-9]{64}\) of container package "guarded" of organization acme: the token lacks the `packages: write` permission \(HTTP 403: Resource not accessible by integration; GitHub accepts packages=write\)/,
    );
    expect(await client().listVersions(acme, 'guarded')).toHaveLength(6);
    await expect(client(TOKENS.none).listVersions(acme, 'guarded')).rejects.toThrow('the token lacks the `packages: read` permission');
  });

  test('an unknown token, owner or package gets an error saying which', async () => {
    const refused = client('ghs_unknownTOKEN000000000000000000000').owner('acme');
    await expect(refused).rejects.toThrow('looking up owner acme: GitHub rejected the token (HTTP 401: Bad credentials)');
    await expect(refused).rejects.toMatchObject({ subject: { kind: 'credentials', service: 'github' } });
    await expect(client().owner('nobody')).rejects.toThrow('no GitHub user or organization named "nobody" (GitHub answered 404)');
    await expect(client().listVersions(acme, 'absent')).rejects.toThrow(
      'container package "absent" of organization acme does not exist, or the token cannot see it (GitHub answered 404',
    );
  });

  test.each([
    ['403 with retry-after', secondaryRateLimit(403, 1)],
    ['429 with retry-after', secondaryRateLimit(429, 1)],
  ])('a secondary rate limit (%s) is waited out and the request retried', async (_name, fault) => {
    const log = captureLog();
    api.setFaults([
      onNth(1, (r) => r.method === 'GET' && r.path.includes('/guarded/versions'), fault),
      onNth(2, (r) => r.method === 'GET' && r.path.includes('/guarded/versions'), fault),
    ]);
    try {
      expect(await client(TOKENS.write, log).listVersions(acme, 'guarded')).toHaveLength(6);
    } finally {
      api.setFaults([]);
    }
    const warnings = log.lines.filter((l) => l.startsWith('warning: ') && l.includes('You have exceeded a secondary rate limit'));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain('attempt 2 of 4 in 1.0s');
  });

  test('a 5xx on every attempt fails naming the API, the request and the attempts', async () => {
    api.setFaults([() => ({ kind: 'respond', status: 502, headers: { 'content-type': 'application/json' }, body: '{"message":"Server Error"}' })]);
    try {
      // The route, then the request as sent (checkResponse's HttpStatusError).
      await expect(client().owner('acme')).rejects.toThrow(
        `looking up owner acme: GitHub API GET /users/{username}: GET ${api.url}/users/acme: HTTP 502: Server Error; gave up after 4 attempts`,
      );
    } finally {
      api.setFaults([]);
    }
  });

  test('a secondary rate limit asking for longer than the longest wait allowed fails at once, saying so, its subject the retry wait', async () => {
    api.setFaults([() => secondaryRateLimit(429, 5)]);
    try {
      const github = new ContainerPackages({ token: TOKENS.write, apiUrl: api.url, log: captureLog(), retry: { ...FAST_RETRY, maxRetryWaitMs: 1000 } });
      const failure = github.owner('acme');
      await expect(failure).rejects.toThrow(/longer than the longest wait allowed \(1s\); run the cleanup again later, or allow a longer wait$/);
      await expect(failure).rejects.toMatchObject({ subject: { kind: 'retry-wait' } });
    } finally {
      api.setFaults([]);
    }
  });

  test('a rate limit that resets later than we wait fails with the reset time', async () => {
    const reset = Math.floor(Date.now() / 1000) + 3600;
    api.setFaults([
      () => ({
        kind: 'respond',
        status: 403,
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset), 'content-type': 'application/json' },
        body: '{"message":"API rate limit exceeded for installation ID 1."}',
      }),
    ]);
    try {
      await expect(client().owner('acme')).rejects.toThrow(`GitHub's API rate limit is exhausted until ${new Date(reset * 1000).toISOString().slice(0, 16)}`);
    } finally {
      api.setFaults([]);
    }
  });
});

describe('the OpenAPI check', () => {
  test.each([
    [
      'per_page above 100',
      'GET',
      '/orgs/acme/packages/container/guarded/versions?per_page=500',
      'query parameter per_page=500 is above the documented maximum 100',
    ],
    ['an undocumented query parameter', 'GET', '/orgs/acme/packages/container/guarded/versions?tag=x', 'query parameter tag is not documented'],
    [
      'a package type GitHub does not know',
      'GET',
      '/orgs/acme/packages/oci/guarded/versions',
      'path parameter package_type=oci: package_type must be equal to one of the allowed values',
    ],
    [
      'a version id that is not an integer',
      'DELETE',
      '/orgs/acme/packages/container/guarded/versions/latest',
      'path parameter package_version_id=latest: package_version_id must be integer',
    ],
    ['a path GitHub does not serve', 'GET', '/orgs/acme/images/guarded', 'is not an operation'],
  ])('flags %s', async (_name, method, path, problem) => {
    await httpRequest(`${api.url}${path}`, { method, headers: { Authorization: `Bearer ${TOKENS.read}` } });
    expect(api.violations.some((v) => v.includes(problem))).toBe(true);
    api.violations.length = 0;
  });

  test('flags an answer whose shape GitHub does not document', () => {
    const description = OpenApiDescription.load(GITHUB_REST_API);
    const listing = description.match('GET', '/orgs/acme/packages/container/app/versions')!;
    expect(listing.operationId).toBe('packages/get-all-package-versions-for-package-owned-by-org');
    expect(description.responseProblems(listing, 200, JSON.stringify([{ id: '7', name: 'sha256:0' }]), 'application/json')).toEqual([
      "200 response: body/0 must have required property 'url', body/0 must have required property 'package_html_url', body/0 must have required property 'created_at', body/0 must have required property 'updated_at', body/0/id must be integer",
    ]);
    const deleting = description.match('DELETE', '/orgs/acme/packages/container/app/versions/7')!;
    expect(description.responseProblems(deleting, 200, '')).toEqual([
      "packages/delete-package-version-for-org answered 200, which GitHub's REST API does not document for it",
    ]);
  });
});
