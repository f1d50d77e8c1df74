// dataaxiom/ghcr-cleanup-action's remaining input names through cleanup-staging's entry (its
// inputs as INPUT_* variables), against the GitHub Packages API emulator over the real
// staging registry: tags, registry-url, log-level, repository, a package wildcard
// expanding by itself, and a tag removed from an image that keeps another. Outcomes are read back from the registry and the API.
import { run as runCleanupAction } from '../../actions/cleanup-staging/main.js';
import { httpRequest } from '../harness/http.js';
import { MEDIA_TYPES } from '../harness/oci-layout.js';
import { isGone, pullsCompletely } from '../harness/pull-check.js';
import { putRawManifest } from '../harness/raw-manifest.js';
import { inspectRaw } from '../harness/skopeo.js';
import { pushSyntheticImages, type SyntheticImage } from '../harness/synthetic-images.js';
import { startRegistries, stopWorld, type World } from '../harness/world.js';
import { startGitHubApi, type GitHubApi } from '../github-api/emulator.js';
import { failureMessage, runActionInProcess } from '../support/in-process-action.js';

const TOKEN = 'ghs_dataaxiomWRITE0000000000000000000';

let world: World;
let api: GitHubApi;
beforeAll(async () => {
  world = await startRegistries();
  api = await startGitHubApi({ registry: world.staging, credentials: world.creds.staging.ci, owners: { acme: 'Organization' }, tokens: { [TOKEN]: 'write' } });
}, 60_000);
afterAll(async () => {
  await api?.stop();
  await stopWorld(world);
});
afterEach(() => expect(api.violations).toEqual([]));

/**
 * The action as a workflow moving from dataaxiom would call it: the staging registry given
 * only as registry-url (staging-registry left at its ghcr.io default, which this machine
 * cannot reach), so every run below also proves registry-url is what is spoken to.
 */
function cleanup(inputs: Record<string, string>, env: Record<string, string> = {}) {
  const saved = { ...process.env };
  Object.assign(process.env, { GITHUB_REPOSITORY: 'acme/dataaxiom-app', ...env });
  return runActionInProcess('cleanup-staging', runCleanupAction, {
    token: TOKEN,
    owner: 'acme',
    'registry-url': `http://${world.staging.host}/`,
    'staging-username': world.creds.staging.ci.username,
    'staging-password': world.creds.staging.ci.password,
    'github-api-url': api.url,
    'max-retry-wait': '5',
    ...inputs,
  }).finally(() => {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  });
}

const ref = (pkg: string, tagOrDigest: string) => `${world.staging.host}/acme/${pkg}${tagOrDigest.startsWith('sha256:') ? '@' : ':'}${tagOrDigest}`;
const pulls = (pkg: string, tagOrDigest: string) => pullsCompletely(ref(pkg, tagOrDigest), world.creds.staging.ci);
const gone = (pkg: string, tagOrDigest: string) => isGone(ref(pkg, tagOrDigest), world.creds.staging.ci);
const everyManifest = (image: SyntheticImage) => [image.digest, ...image.platformManifests, ...image.attestations];

function push(pkg: string, tagPrefix: string, count: number, untagged = false): Promise<SyntheticImage[]> {
  return pushSyntheticImages(world.staging, `acme/${pkg}`, world.creds.staging.ci, { count, tagPrefix, attestations: true, untagged });
}

test("tags, dataaxiom's short form of delete-tags, deletes the multi-arch images it matches whole, through registry-url", async () => {
  const prs = await push('tags-app', 'pr', 2);
  const releases = await push('tags-app', 'release', 1);
  const run = await cleanup({ package: 'tags-app', tags: 'pr-*' });
  expect(failureMessage(run)).toBe('');
  expect(run.stdout).toContain('strategy: retention (retention inputs given: tags)');
  // Deleting an index's platform and attestation manifests needs the index read from the registry.
  for (const digest of prs.flatMap(everyManifest)) expect(await gone('tags-app', digest)).toBe(true);
  for (const image of releases) expect(await pulls('tags-app', image.tag)).toBe(true);
});

test('registry-url naming another registry than the one holding the packages fails, naming the registry', async () => {
  await push('url-app', 'pr', 1);
  const run = await cleanup({ package: 'url-app', tags: 'pr-*', 'registry-url': `http://${world.production.host}/` });
  expect(run.exitCode).toBe(1);
  expect(failureMessage(run)).toContain(world.production.host);
  expect(await pulls('url-app', 'pr-0')).toBe(true);
});

test('log-level warn leaves out progress, debug adds the API requests; the same deletions either way', async () => {
  const untagged = await push('level-app', 'u', 2, true);
  await push('level-app', 'keep', 1);
  const plan = await cleanup({ package: 'level-app', 'delete-untagged': 'true', 'dry-run': 'true', 'log-level': 'debug' });
  expect(failureMessage(plan)).toBe('');
  expect(plan.stdout).toMatch(/^debug: GET \/orgs\/acme\/packages\/container\/level-app\/versions\?per_page=100 - 200 /m);
  expect(plan.stdout).toContain(`would delete level-app@${untagged[0].digest.slice(0, 19)}`);

  const quiet = await cleanup({ package: 'level-app', 'delete-untagged': 'true', 'log-level': 'warn' });
  expect(failureMessage(quiet)).toBe('');
  expect(quiet.stdout).not.toMatch(/^(debug: |deleted |strategy: )/m);
  for (const digest of untagged.flatMap(everyManifest)) expect(await gone('level-app', digest)).toBe(true);
  expect(await pulls('level-app', 'keep-0')).toBe(true);
});

test('repository is named in the log and chooses nothing: the default package stays the workflow repository', async () => {
  const untagged = await push('dataaxiom-app', 'u', 1, true);
  const other = await push('other-app', 'u', 1, true);
  const run = await cleanup({ repository: 'acme/other-app', 'delete-untagged': 'true' });
  expect(failureMessage(run)).toBe('');
  expect(run.stdout).toContain('repository: acme/other-app');
  expect(await gone('dataaxiom-app', untagged[0].digest)).toBe(true);
  expect(await pulls('other-app', other[0].digest)).toBe(true);
});

test('a wildcard in packages expands over the owner packages without expand-packages, as in dataaxiom', async () => {
  const [a, b, other] = [await push('wild-a', 'u', 1, true), await push('wild-b', 'u', 1, true), await push('wildly-other', 'u', 1, true)];
  const run = await cleanup({ packages: 'wild-?', 'delete-untagged': 'true' });
  expect(failureMessage(run)).toBe('');
  expect(run.stdout).toContain('expand-packages: wild-a, wild-b of acme matches');
  expect(await gone('wild-a', a[0].digest)).toBe(true);
  expect(await gone('wild-b', b[0].digest)).toBe(true);
  expect(await pulls('wildly-other', other[0].digest)).toBe(true);
});

/** What GitHub lists for a package: each version's digest and tags. */
async function listed(pkg: string): Promise<Map<string, string[]>> {
  const res = await httpRequest(`${api.url}/orgs/acme/packages/container/${pkg}/versions?per_page=100`, { headers: { Authorization: `Bearer ${TOKEN}` } });
  const versions = res.json<{ name: string; metadata: { container: { tags: string[] } } }[]>();
  return new Map(versions.map((v) => [v.name, v.metadata.container.tags]));
}

test("tags on an image that has another tag removes that tag alone, as dataaxiom's does: the image stays whole under the other", async () => {
  const [image] = await push('untag-app', 'pr', 1);
  const raw = await inspectRaw(`docker://${ref('untag-app', image.digest)}`, world.creds.staging.ci);
  await putRawManifest(world.staging, 'acme/untag-app', 'v1.0', raw, MEDIA_TYPES.index, world.creds.staging.ci);
  const before = await listed('untag-app');
  expect(before.get(image.digest)!.sort()).toEqual(['pr-0', 'v1.0']);

  const plan = await cleanup({ package: 'untag-app', tags: 'pr-*', 'dry-run': 'true' });
  expect(failureMessage(plan)).toBe('');
  expect(plan.stdout).toContain(`would remove pr-0 from untag-app@${image.digest.slice(0, 19)} (`);
  expect(await listed('untag-app')).toEqual(before);

  const run = await cleanup({ package: 'untag-app', tags: 'pr-*' });
  expect(failureMessage(run)).toBe('');
  expect(run.stdout).toContain(`removed pr-0 from untag-app@${image.digest.slice(0, 19)} (`);
  // The tag is gone; the image, every manifest of it, and its other tag are not.
  expect(await gone('untag-app', 'pr-0')).toBe(true);
  expect(await pulls('untag-app', 'v1.0')).toBe(true);
  const after = await listed('untag-app');
  expect(after.get(image.digest)).toEqual(['v1.0']);
  // Nothing else is listed: the placeholder the tag was moved to is deleted too.
  expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
});
