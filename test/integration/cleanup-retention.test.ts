// cleanup-staging's retention strategy (dataaxiom/ghcr-cleanup-action's options) and the
// rate-limit budget, against the GitHub Packages API emulator over the real staging
// registry. Each test reads the outcome back: what GitHub still lists, what still pulls
// whole, what is gone.
import { isGone, pullsCompletely } from '../harness/pull-check.js';
import { stageCosignTag } from '../harness/staging.js';
import { pushSyntheticImages, type SyntheticImage } from '../harness/synthetic-images.js';
import { MEDIA_TYPES } from '../harness/oci-layout.js';
import { startRegistries, stopWorld, type World } from '../harness/world.js';
import { startGitHubApi, type GitHubApi } from '../github-api/emulator.js';
import { cleanupStaging, type CleanupOptions, type CleanupResult } from '@ci-actions/publishing/cleanup/cleanup.js';
import { parseInterval } from '@ci-actions/publishing/cleanup/interval.js';
import { patternMatcher } from '@ci-actions/publishing/cleanup/patterns.js';
import { retentionRules, type RetentionInputs } from '@ci-actions/publishing/cleanup/retention.js';
import { ContainerPackages } from '@ci-actions/publishing/github/packages.js';
import { captureLog } from '../support/capture-log.js';
import { httpRequest } from '../harness/http.js';
import { deleteImage, inspectRaw } from '../harness/skopeo.js';

const FAST_RETRY = { attempts: 4, baseDelayMs: 20, maxDelayMs: 2_000 };
const TOKEN = 'ghs_retentionWRITE00000000000000000000';
const DAY = 24 * 3_600_000;

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
afterEach(() => {
  api.setRateLimit(5000, 5000);
  expect(api.violations).toEqual([]);
});

function retention(pkg: string | string[], given: RetentionInputs, extra: Partial<CleanupOptions> = {}): Promise<CleanupResult> {
  return cleanupStaging({
    decision: { strategy: 'retention', reason: 'chosen by the test' },
    owner: 'acme',
    packages: typeof pkg === 'string' ? [pkg] : pkg,
    staged: [],
    protected: [],
    keepLast: 5,
    maxAgeDays: 14,
    graceHours: 6,
    retention: retentionRules(given),
    stagingRegistry: world.staging.host,
    stagingCredentials: world.creds.staging.ci,
    productionRepositories: new Map(),
    token: TOKEN,
    apiUrl: api.url,
    concurrency: 4,
    dryRun: false,
    log: captureLog(),
    retry: FAST_RETRY,
    ...extra,
  });
}

const stg = (pkg: string, ref: string) => `${world.staging.host}/acme/${pkg}${ref.startsWith('sha256:') ? '@' : ':'}${ref}`;
const pulls = (pkg: string, ref: string) => pullsCompletely(stg(pkg, ref), world.creds.staging.ci);
const gone = (pkg: string, ref: string) => isGone(stg(pkg, ref), world.creds.staging.ci);
const manifests = (image: SyntheticImage) => [image.digest, ...image.platformManifests, ...image.attestations];
const digestsOf = (entries: { digest: string }[]) => entries.map((e) => e.digest).sort();

/** Images pushed, then backdated: image i is ages[i] old (each with its platform and attestation manifests). */
async function aged(pkg: string, prefix: string, ages: number[], untagged = false): Promise<SyntheticImage[]> {
  const images = await pushSyntheticImages(world.staging, `acme/${pkg}`, world.creds.staging.ci, {
    count: ages.length,
    tagPrefix: prefix,
    attestations: true,
    untagged,
  });
  images.forEach((image, i) => {
    for (const digest of manifests(image)) api.setCreatedAt(`acme/${pkg}`, digest, new Date(Date.now() - ages[i]));
  });
  return images;
}

/** Every tagged version GitHub lists still pulls whole: nothing kept was broken. */
async function expectTaggedPullWhole(pkg: string, tags: string[]): Promise<void> {
  for (const tag of tags) expect(await pulls(pkg, tag)).toBe(true);
}

describe('selection', () => {
  test("nothing selected deletes untagged images whole (dataaxiom's default) and keeps tagged ones", async () => {
    const tagged = await aged('untagged-default', 'v', [2 * DAY, 3 * DAY]);
    const untagged = await aged('untagged-default', 'build', [1 * DAY, 4 * DAY], true);
    const result = await retention('untagged-default', {});
    expect(digestsOf(result.deleted)).toEqual(untagged.flatMap(manifests).sort());
    for (const digest of untagged.flatMap(manifests)) expect(await gone('untagged-default', digest)).toBe(true);
    await expectTaggedPullWhole(
      'untagged-default',
      tagged.map((i) => i.tag),
    );
  });

  test('keep-n-tagged and keep-n-untagged count apart, newest first', async () => {
    const tagged = await aged('counted', 'v', [1 * DAY, 2 * DAY, 3 * DAY]);
    const untagged = await aged('counted', 'build', [1 * DAY, 2 * DAY, 3 * DAY], true);
    const result = await retention('counted', { keepNTagged: 1, keepNUntagged: 2 });
    expect(digestsOf(result.deleted)).toEqual([...manifests(tagged[1]), ...manifests(tagged[2]), ...manifests(untagged[2])].sort());
    expect(result.kept.find((k) => k.digest === tagged[0].digest)?.reason).toBe('one of the newest 1 tagged images (keep-n-tagged)');
    expect(result.kept.find((k) => k.digest === untagged[1].digest)?.reason).toBe('one of the newest 2 untagged images (keep-n-untagged)');
    await expectTaggedPullWhole('counted', ['v-0']);
    for (const image of [untagged[0], untagged[1]]) expect(await pulls('counted', image.digest)).toBe(true);
    for (const tag of ['v-1', 'v-2']) expect(await gone('counted', tag)).toBe(true);
    expect(await gone('counted', untagged[2].digest)).toBe(true);
  });

  test.each([
    ['globs', 'pr-*', false, 'pr-1?', false],
    ['regular expressions', '^pr-\\d+$', true, '^pr-1\\d$', true],
  ])(
    'delete-tags and exclude-tags as %s: the excluded stay, others not selected stay',
    async (_name, deleteTags, useRegexDelete, excludeTags, useRegexExclude) => {
      const pkg = `patterns-${useRegexDelete ? 'regex' : 'glob'}`;
      const prs = await pushSyntheticImages(world.staging, `acme/${pkg}`, world.creds.staging.ci, { count: 12, tagPrefix: 'pr', attestations: true });
      const [release] = await pushSyntheticImages(world.staging, `acme/${pkg}`, world.creds.staging.ci, { count: 1, tagPrefix: 'release' });
      const result = await retention(pkg, {
        deleteTags: patternMatcher(deleteTags, useRegexDelete),
        excludeTags: patternMatcher(excludeTags, useRegexExclude),
      });
      // pr-10 and pr-11 match exclude-tags; pr-0 to pr-9 go; release-0 is not selected.
      const doomed = prs.slice(0, 10);
      expect(digestsOf(result.deleted)).toEqual(doomed.flatMap(manifests).sort());
      expect(result.kept.find((k) => k.digest === prs[10].digest)?.reason).toBe('pr-10 matches exclude-tags');
      expect(result.kept.find((k) => k.digest === release.digest)?.reason).toBe('tagged release-0, which delete-tags does not match');
      for (const image of doomed) expect(await gone(pkg, image.digest)).toBe(true);
      await expectTaggedPullWhole(pkg, ['pr-10', 'pr-11', 'release-0']);
    },
  );

  test('older-than narrows keep-n-tagged: young images are kept and not counted', async () => {
    const images = await aged('ages', 'v', [1 * DAY, 10 * DAY, 40 * DAY, 50 * DAY]);
    const result = await retention('ages', { keepNTagged: 1, olderThanMs: parseInterval('30 days'), olderThan: '30 days' });
    expect(digestsOf(result.deleted)).toEqual(manifests(images[3]).sort());
    expect([0, 1, 2].map((i) => result.kept.find((k) => k.digest === images[i].digest)?.reason)).toEqual([
      'younger than 30 days (older-than)',
      'younger than 30 days (older-than)',
      'one of the newest 1 tagged images (keep-n-tagged)',
    ]);
    await expectTaggedPullWhole('ages', ['v-0', 'v-1', 'v-2']);
    expect(await gone('ages', 'v-3')).toBe(true);
  });
});

describe('validate, and ghost, partial and orphaned images', () => {
  const pkg = 'broken';
  let ghost: SyntheticImage;
  let partial: SyntheticImage;
  let signature: string;
  let signed: SyntheticImage;
  const drop = (digest: string) => deleteImage(`docker://${stg(pkg, digest)}`, world.creds.staging.ci);
  beforeAll(async () => {
    [ghost] = await pushSyntheticImages(world.staging, `acme/${pkg}`, world.creds.staging.ci, { count: 1, tagPrefix: 'ghost' });
    [partial] = await pushSyntheticImages(world.staging, `acme/${pkg}`, world.creds.staging.ci, { count: 1, tagPrefix: 'partial', attestations: true });
    await pushSyntheticImages(world.staging, `acme/${pkg}`, world.creds.staging.ci, { count: 1, tagPrefix: 'whole', attestations: true });
    [signed] = await pushSyntheticImages(world.staging, `acme/${pkg}`, world.creds.staging.ci, { count: 1, tagPrefix: 'signed' });
    const raw = await inspectRaw(`docker://${stg(pkg, signed!.digest)}`, world.creds.staging.ci);
    signature = (
      await stageCosignTag(
        world.staging.host,
        `acme/${pkg}`,
        { digest: signed!.digest, size: raw.length, mediaType: MEDIA_TYPES.index },
        world.creds.staging.ci,
      )
    ).digest;
    // What a registry left half-deleted looks like: manifests gone under indexes still tagged.
    for (const digest of ghost!.platformManifests) await drop(digest);
    await drop(partial!.platformManifests[1]);
    for (const digest of [signed!.digest, ...signed!.platformManifests]) await drop(digest);
  }, 120_000);

  test('validate reports each broken image by digest and tags, and deletes nothing for it', async () => {
    const log = captureLog();
    const result = await retention(pkg, { deleteUntagged: false }, { validate: true, log });
    expect(result.deleted).toEqual([]);
    expect(result.invalid.map((i) => [i.digest, i.tags, i.reason.replace(/ \(.*\)$/, '')]).sort()).toEqual(
      [
        [ghost.digest, ['ghost-0'], 'ghost image: every platform manifest it lists is gone'],
        [partial.digest, ['partial-0'], 'partial image: platform manifests it lists are gone'],
        [signature, [`${signed.digest.replace(':', '-')}.sig`], 'orphaned: what it refers to is gone'],
      ].sort(),
    );
    expect(result.invalid.find((i) => i.digest === partial.digest)!.reason).toBe(
      `partial image: platform manifests it lists are gone (${partial.platformManifests[1].slice(0, 19)})`,
    );
    expect(log.lines.filter((l) => l.startsWith(`warning: ${pkg}@`))).toHaveLength(3);
    expect(await pulls(pkg, 'whole-0')).toBe(true);
  });

  test('delete-ghost-images deletes the ghost only', async () => {
    const result = await retention(pkg, { deleteGhostImages: true });
    expect(digestsOf(result.deleted)).toEqual([ghost.digest]);
    expect(await gone(pkg, 'ghost-0')).toBe(true);
    expect(await pulls(pkg, 'whole-0')).toBe(true);
  });

  test('delete-partial-images deletes the partial image with what is left of it', async () => {
    const result = await retention(pkg, { deletePartialImages: true });
    expect(digestsOf(result.deleted)).toEqual([partial.digest, partial.platformManifests[0], ...partial.attestations].sort());
    for (const digest of [partial.digest, partial.platformManifests[0], ...partial.attestations]) expect(await gone(pkg, digest)).toBe(true);
    expect(await pulls(pkg, 'whole-0')).toBe(true);
  });

  test('delete-orphaned-images deletes the signature whose image is gone', async () => {
    const result = await retention(pkg, { deleteOrphanedImages: true }, { validate: true });
    expect(digestsOf(result.deleted)).toEqual([signature]);
    expect(await gone(pkg, signature)).toBe(true);
    expect(result.invalid.map((i) => i.digest)).toEqual([signature]);
    expect(await pulls(pkg, 'whole-0')).toBe(true);
    expect(digestsOf(await retention(pkg, { deleteUntagged: false }, { validate: true }).then((r) => r.invalid))).toEqual([]);
  });
});

describe('rate-limit budget', () => {
  test('the emulator sends the rate-limit headers GitHub documents, and lowers remaining with each answer', async () => {
    api.setRateLimit(1234, 5000);
    const first = await httpRequest(`${api.url}/users/acme`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    const second = await httpRequest(`${api.url}/users/acme`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(first.headers).toMatchObject({
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '1233',
      'x-ratelimit-used': '3767',
      'x-ratelimit-resource': 'core',
    });
    expect(Number(first.headers['x-ratelimit-reset'])).toBeGreaterThan(Date.now() / 1000);
    expect(second.headers['x-ratelimit-remaining']).toBe('1232');
  });

  test('running out halfway: stops without failing, parents first, reports what is left; the next run finishes', async () => {
    const untagged = await aged(
      'budget',
      'build',
      Array.from({ length: 20 }, () => DAY),
      true,
    );
    const [tagged] = await pushSyntheticImages(world.staging, 'acme/budget', world.creds.staging.ci, { count: 1, tagPrefix: 'v' });
    // 20 images of 5 manifests and one of 3: 103 versions, two pages. Half of 5,000 stays
    // for others; 28 requests are left to this run: the owner, two pages, 25 deletes.
    api.setRateLimit(2500 + 28, 5000);
    api.requests.length = 0;
    const log = captureLog();
    const first = await retention('budget', {}, { rateLimitBudget: 0.5, log });
    expect(first.budgetExhausted).toBe(true);
    // Never over: answers arriving out of order can only make the client stop a little early.
    const sent = api.requests.filter((r) => r.method === 'DELETE').length;
    expect(sent).toBeLessThanOrEqual(25);
    expect(sent).toBeGreaterThan(25 - 4);
    expect(first.deleted).toHaveLength(sent);
    // Every index went first (wave 1), then some of their 80 platform and attestation manifests.
    expect(
      first.deleted
        .slice(0, 20)
        .map((d) => d.digest)
        .sort(),
    ).toEqual(untagged.map((i) => i.digest).sort());
    expect(first.left).toHaveLength(100 - sent);
    expect(first.left[0].reason).toMatch(/\(left for the next run: the rate-limit budget is spent\)$/);
    expect(first.rateLimit).toMatchObject({ limit: 5000, remaining: 2528 - 3 - sent });
    expect(first.rateLimit!.remaining).toBeGreaterThanOrEqual(2500);
    expect(log.lines.some((l) => l.startsWith('warning: the rate-limit budget is spent: GitHub allows '))).toBe(true);
    for (const d of first.deleted) expect(await gone('budget', d.digest)).toBe(true);
    const listed = new Set(
      (await new ContainerPackages({ token: TOKEN, apiUrl: api.url, log: captureLog() }).listVersions({ login: 'acme', kind: 'org' }, 'budget')).map(
        (v) => v.digest,
      ),
    );
    expect(first.left.filter((l) => !listed.has(l.digest))).toEqual([]);
    expect(await pulls('budget', tagged.tag)).toBe(true);

    api.setRateLimit(5000, 5000);
    const second = await retention('budget', {}, { rateLimitBudget: 0.5 });
    expect(second.budgetExhausted).toBe(false);
    expect(digestsOf(second.deleted)).toEqual(digestsOf(first.left));
    expect(await pulls('budget', tagged.tag)).toBe(true);
  });

  test('a budget spent before the run starts: one request to learn it, nothing deleted, every package left', async () => {
    await pushSyntheticImages(world.staging, 'acme/budget-spent', world.creds.staging.ci, { count: 2, tagPrefix: 'b', untagged: true });
    api.setRateLimit(2400, 5000);
    api.requests.length = 0;
    const result = await retention(['budget-spent', 'budget'], {}, { rateLimitBudget: 0.5 });
    expect(result).toMatchObject({ budgetExhausted: true, deleted: [], left: [], packagesLeft: ['budget-spent', 'budget'] });
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /users/acme']);
    expect(await retention('budget-spent', { deleteUntagged: false }, { dryRun: true }).then((r) => r.kept)).toHaveLength(2);
  });
});

describe('several packages, and package patterns expanded through the API', () => {
  test('expand-packages cleans every container package of the owner the pattern matches, and no other', async () => {
    const push = (pkg: string, untagged: boolean) =>
      pushSyntheticImages(world.staging, `acme/${pkg}`, world.creds.staging.ci, { count: 2, tagPrefix: untagged ? 'u' : 't', untagged });
    const [a, b, other] = [await push('expand-a', true), await push('expand-b', true), await push('expanded-other', true)];
    for (const pkg of ['expand-a', 'expand-b', 'expanded-other']) await push(pkg, false);
    api.requests.length = 0;
    const result = await retention([], {}, { packagePattern: patternMatcher('expand-?', false) });
    expect(api.requests.filter((r) => r.path.startsWith('/orgs/acme/packages?')).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'GET /orgs/acme/packages?package_type=container&per_page=100 200',
    ]);
    expect(digestsOf(result.deleted)).toEqual([...a, ...b].flatMap(manifests).sort());
    expect([...new Set(result.deleted.map((d) => d.package))].sort()).toEqual(['expand-a', 'expand-b']);
    for (const image of other) expect(await pulls('expanded-other', image.digest)).toBe(true);
    await expectTaggedPullWhole('expand-a', ['t-0', 't-1']);

    const regex = await retention(['expanded-other'], { deleteUntagged: false }, { packagePattern: patternMatcher('^expand-[ab]$', true), dryRun: true });
    expect([...new Set(regex.kept.map((k) => k.package))].sort()).toEqual(['expand-a', 'expand-b', 'expanded-other']);
  });

  test('the emulator lists packages as GitHub does: pages of per_page, container only, 404 for an unknown owner', async () => {
    const get = (path: string) => httpRequest(`${api.url}${path}`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    const all = (await get('/orgs/acme/packages?package_type=container&per_page=100')).json<{ name: string; version_count: number }[]>();
    // The tagged images' 6 versions: the test above deleted the untagged ones.
    expect(all.find((p) => p.name === 'expand-a')).toMatchObject({ version_count: 6 });
    const first = await get('/orgs/acme/packages?package_type=container&per_page=2');
    expect(first.json<unknown[]>()).toHaveLength(2);
    expect(first.headers.link).toContain('rel="next"');
    expect((await get('/orgs/acme/packages?package_type=npm')).json<unknown[]>()).toEqual([]);
    expect((await get('/orgs/nobody/packages?package_type=container')).status).toBe(404);
  });
});
