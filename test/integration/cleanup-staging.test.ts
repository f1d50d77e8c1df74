// cleanup-staging's core against the GitHub Packages API emulator backed by the real
// staging registry (and the real production registry for verification). After each
// cleanup, skopeo checks that every kept image still pulls completely (every platform
// and attestation manifest) and that every deleted one is gone.
import type { ImageLayout } from '../harness/oci-image.js';
import { onNth, startFaultProxy, type FaultProxy, type FaultRule } from '../harness/fault-proxy.js';
import { isGone, pullsCompletely } from '../harness/pull-check.js';
import { copy, deleteImage, inspectRaw } from '../harness/skopeo.js';
import { stageCosignTag, stageImage, stageReferrer } from '../harness/staging.js';
import { pushBlob, pushManifest, pushSyntheticImages, type SyntheticImage } from '../harness/synthetic-images.js';
import { RegistrySession } from '../harness/registry-session.js';
import { MEDIA_TYPES } from '../harness/oci-layout.js';
import { startRegistries, stopWorld, type World } from '../harness/world.js';
import { secondaryRateLimit, startGitHubApi, type GitHubApi } from '../github-api/emulator.js';
import { cleanupStaging, type CleanupOptions, type CleanupResult } from '@ci-actions/publishing/cleanup/cleanup.js';
import { parseImageSelector } from '@ci-actions/publishing/cleanup/selectors.js';
import { selectStrategy, type Strategy } from '@ci-actions/publishing/cleanup/strategy.js';
import { parseReference } from '@ci-actions/publishing/oci/reference.js';
import { promoteImage } from '@ci-actions/publishing/oci/promote.js';
import type { PromotionRecord } from '@ci-actions/publishing/gate/promotion-record.js';
import { promotionRecord } from '../../actions/promote-image/main.js';
import { captureLog } from '../support/capture-log.js';
import { sha256Digest as sha256 } from '../harness/oci-layout.js';

const FAST_RETRY = { attempts: 4, baseDelayMs: 20, maxDelayMs: 2_000 };
const TOKENS = { write: 'ghs_cleanupWRITE0000000000000000000000', read: 'ghs_cleanupREAD00000000000000000000000' };
const DAY = 24 * 3_600_000;

let world: World;
let api: GitHubApi;
beforeAll(async () => {
  world = await startRegistries();
  api = await startGitHubApi({
    registry: world.staging,
    credentials: world.creds.staging.ci,
    owners: { acme: 'Organization' },
    tokens: { [TOKENS.write]: 'write', [TOKENS.read]: 'read' },
  });
}, 60_000);
afterAll(async () => {
  await api?.stop();
  await stopWorld(world);
});
afterEach(() => {
  api.setFaults([]);
  expect(api.violations).toEqual([]);
});

function cleanup(pkg: string, strategy: Strategy, staged: string[], extra: Partial<CleanupOptions> = {}): Promise<CleanupResult> {
  const selector = (text: string) => parseImageSelector(text, { registry: world.staging.host, owner: 'acme' });
  return cleanupStaging({
    decision: { strategy, reason: 'chosen by the test' },
    owner: 'acme',
    packages: [pkg],
    staged: staged.map(selector),
    protected: [],
    keepLast: 5,
    maxAgeDays: 14,
    graceHours: 6,
    stagingRegistry: world.staging.host,
    stagingCredentials: world.creds.staging.ci,
    productionRepositories: new Map(),
    token: TOKENS.write,
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
const digestsOf = (entries: { digest: string }[]) => entries.map((e) => e.digest).sort();
const everyManifest = (image: ImageLayout) => [image.digest, ...image.manifests.map((m) => m.digest), ...image.attestations.map((a) => a.digest)];
const syntheticManifests = (image: SyntheticImage) => [image.digest, ...image.platformManifests, ...image.attestations];
const deletes = () => api.requests.filter((r) => r.method === 'DELETE');

/**
 * Holds the first DELETE of each of `runs` concurrent cleanups until all have sent one:
 * every run has then listed and planned while the others' images all still existed.
 */
function deletesWaitForEachOther(runs: number): void {
  let arrived = 0;
  let release = () => {};
  const all = new Promise<void>((resolve) => (release = resolve));
  api.setFaults([
    (r) => (r.method === 'DELETE' && arrived < runs ? { kind: 'before', run: async () => (++arrived === runs ? release() : await all) } : undefined),
  ]);
}

async function expectAllGone(pkg: string, digests: string[]): Promise<void> {
  for (const digest of digests) expect(await gone(pkg, digest)).toBe(true);
}

describe('immediate-cleanup', () => {
  let mine: ImageLayout;
  let other: ImageLayout;
  let referrer: string;
  let signature: string;
  let fallbackIndex: string;
  beforeAll(async () => {
    other = await stageImage(world.staging.host, 'acme/pr-app', 'pr-41', world.creds.staging.ci, { attestations: true, layerSizes: [512] });
    mine = await stageImage(world.staging.host, 'acme/pr-app', 'pr-42', world.creds.staging.ci, { attestations: true, layerSizes: [512] });
    // An OCI referrer (an SBOM, with the sha256-<hex> fallback index) and a cosign-style
    // signature. stageReferrer also tags the SBOM referrer-<hex>: the run staged that tag too.
    referrer = (await stageReferrer(world.staging, 'acme/pr-app', mine.descriptor, world.creds.staging.ci)).digest;
    signature = (await stageCosignTag(world.staging.host, 'acme/pr-app', mine.descriptor, world.creds.staging.ci)).digest;
    fallbackIndex = sha256(await inspectRaw(`docker://${stg('pr-app', mine.digest.replace(':', '-'))}`, world.creds.staging.ci));
  }, 120_000);

  test('a dry run lists what would go and why, and deletes nothing', async () => {
    api.requests.length = 0;
    const result = await cleanup(
      'pr-app',
      'immediate-cleanup',
      [`${world.staging.host}/acme/pr-app:pr-42@${mine.digest}`, `referrer-${referrer.slice(7, 19)}`],
      { dryRun: true },
    );
    expect(result.dryRun).toBe(true);
    expect(digestsOf(result.deleted)).toEqual([...everyManifest(mine), referrer, signature, fallbackIndex].sort());
    expect(result.deleted[0]).toMatchObject({ digest: mine.digest, tags: ['pr-42'], reason: 'staged by this run' });
    expect(result.deleted.find((d) => d.digest === mine.attestations[0].digest)!.reason).toMatch(/^attestation of sha256:[a-f0-9]{12} \(pr-42\)$/);
    expect(result.deleted.find((d) => d.digest === signature)!.reason).toMatch(/^referrer of sha256:[a-f0-9]{12} \(pr-42\)$/);
    expect(deletes()).toEqual([]);
    expect(await pulls('pr-app', 'pr-42')).toBe(true);
  });

  test("deletes this run's image whole (index, platform and attestation manifests, referrers, signature), index first, and nothing of another run", async () => {
    api.requests.length = 0;
    const result = await cleanup('pr-app', 'immediate-cleanup', [
      `${world.staging.host}/acme/pr-app:pr-42@${mine.digest}`,
      `referrer-${referrer.slice(7, 19)}`,
    ]);
    const expected = [...everyManifest(mine), referrer, signature, fallbackIndex];
    expect(digestsOf(result.deleted)).toEqual([...expected].sort());
    expect(result.kept).toEqual([]);
    expect(deletes()).toHaveLength(expected.length);
    // Parents first: the index alone in the first wave; the referrer after the fallback index listing it.
    expect(result.deleted[0].digest).toBe(mine.digest);
    const position = (digest: string) => result.deleted.findIndex((d) => d.digest === digest);
    expect(position(referrer)).toBeGreaterThan(position(fallbackIndex));
    await expectAllGone('pr-app', expected);
    expect(await gone('pr-app', 'pr-42')).toBe(true);
    expect(await pulls('pr-app', 'pr-41')).toBe(true);
    expect(other.digest).not.toBe(mine.digest);
  });

  test('with nothing staged (the build failed before pushing) it asks nothing of the API and deletes nothing', async () => {
    api.requests.length = 0;
    const result = await cleanup('pr-app', 'immediate-cleanup', []);
    expect(result).toMatchObject({ deleted: [], kept: [], notFound: [] });
    expect(api.requests).toEqual([]);
  });

  test('running it again finds nothing to do and fails nothing', async () => {
    const result = await cleanup('pr-app', 'immediate-cleanup', [mine.digest]);
    expect(result.deleted).toEqual([]);
    expect(result.notFound).toEqual([mine.digest]);
    expect(await pulls('pr-app', 'pr-41')).toBe(true);
  });
});

describe('versions only their manifests explain', () => {
  test('an untagged image staged by digest goes whole, with an untagged referrer found only by its subject', async () => {
    const [image] = await pushSyntheticImages(world.staging, 'acme/by-digest', world.creds.staging.ci, {
      count: 1,
      tagPrefix: 'x',
      attestations: true,
      untagged: true,
    });
    const [bystander] = await pushSyntheticImages(world.staging, 'acme/by-digest', world.creds.staging.ci, { count: 1, tagPrefix: 'keep' });
    // An SBOM pushed by digest, no tag and no fallback index: only its own subject field ties it to the image.
    const session = new RegistrySession(world.staging, world.creds.staging.ci);
    const config = await pushBlob(session, 'acme/by-digest', Buffer.from('{}'), MEDIA_TYPES.empty);
    const payload = await pushBlob(session, 'acme/by-digest', Buffer.from('{"spdxVersion":"SPDX-2.3"}'), 'application/spdx+json');
    const sbom = await pushManifest(
      session,
      'acme/by-digest',
      Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MEDIA_TYPES.manifest,
          artifactType: 'application/spdx+json',
          config,
          layers: [payload],
          subject: { mediaType: MEDIA_TYPES.index, digest: image.digest, size: 1 },
        }),
      ),
    );
    const result = await cleanup('by-digest', 'immediate-cleanup', [image.digest]);
    expect(digestsOf(result.deleted)).toEqual([...syntheticManifests(image), sbom.digest].sort());
    expect(result.deleted.find((d) => d.digest === sbom.digest)!.reason).toMatch(/^referrer of sha256:[a-f0-9]{12}$/);
    await expectAllGone('by-digest', [...syntheticManifests(image), sbom.digest]);
    expect(await pulls('by-digest', bystander.tag)).toBe(true);
  });
});

describe('two pipelines', () => {
  // Reproducible builds: the same seed gives the same linux/amd64 manifest, listed by both indexes.
  const build = (pkg: string, tag: string, platforms: { os: string; architecture: string }[]) =>
    stageImage(world.staging.host, `acme/${pkg}`, tag, world.creds.staging.ci, {
      platforms,
      index: true,
      attestations: true,
      seed: `shared-${pkg}`,
      layerSizes: [512],
    });
  const amd64 = { os: 'linux', architecture: 'amd64' };
  const arm64 = { os: 'linux', architecture: 'arm64' };

  test("one pipeline's cleanup keeps the platform manifest another pipeline's index still lists", async () => {
    const first = await build('shared', 'pr-1', [amd64]);
    const second = await build('shared', 'pr-2', [amd64, arm64]);
    const shared = first.manifests[0].digest;
    expect(second.manifests.map((m) => m.digest)).toContain(shared);

    const result = await cleanup('shared', 'immediate-cleanup', ['pr-1']);
    const sharedAttestation = first.attestations[0].digest;
    expect(digestsOf(result.deleted)).toEqual([first.digest]);
    expect(digestsOf(result.kept)).toEqual([shared, sharedAttestation].sort());
    expect(result.kept.find((k) => k.digest === shared)!.reason).toMatch(/^platform manifest of kept sha256:[a-f0-9]{12} \(pr-2\)$/);
    expect(await gone('shared', first.digest)).toBe(true);
    expect(await pulls('shared', 'pr-2')).toBe(true);
  });

  test('two pipelines cleaning up at once each delete only their own images and break neither', async () => {
    const a = await build('concurrent', 'pr-7', [amd64]);
    const b = await build('concurrent', 'pr-8', [amd64, arm64]);
    const bystander = await stageImage(world.staging.host, 'acme/concurrent', 'pr-9', world.creds.staging.ci, { layerSizes: [512] });
    deletesWaitForEachOther(2);
    const [ra, rb] = await Promise.all([cleanup('concurrent', 'immediate-cleanup', ['pr-7']), cleanup('concurrent', 'immediate-cleanup', ['pr-8'])]);
    expect(ra.deleted.map((d) => d.digest)).toContain(a.digest);
    expect(rb.deleted.map((d) => d.digest)).toContain(b.digest);
    // Each saw the other's index list the shared manifest, so each kept it: an orphan, never a broken image.
    expect(digestsOf(ra.kept)).toEqual(digestsOf(rb.kept));
    await expectAllGone('concurrent', [a.digest, b.digest, b.manifests[1].digest, b.attestations[1].digest]);
    expect(await pulls('concurrent', a.manifests[0].digest)).toBe(true);
    expect(await pulls('concurrent', 'pr-9')).toBe(true);
    expect(everyManifest(bystander).every((d) => ![...ra.deleted, ...rb.deleted].some((x) => x.digest === d))).toBe(true);
  });

  test("an image named by a tag that carries another run's tag too is kept", async () => {
    const image = await stageImage(world.staging.host, 'acme/retagged', 'pr-3', world.creds.staging.ci, { layerSizes: [512], seed: 'same' });
    await copy(`docker://${stg('retagged', 'pr-3')}`, `docker://${stg('retagged', 'pr-4')}`, {
      srcCreds: world.creds.staging.ci,
      destCreds: world.creds.staging.ci,
    });
    const result = await cleanup('retagged', 'immediate-cleanup', ['pr-3']);
    expect(result.deleted).toEqual([]);
    expect(result.kept).toEqual([
      { package: 'retagged', digest: image.digest, tags: ['pr-3', 'pr-4'], reason: 'also tagged pr-4, which this run did not stage' },
    ]);
    expect(await pulls('retagged', 'pr-4')).toBe(true);
  });
});

describe('post-production-cleanup', () => {
  test('deletes what production has, keeps and reports what it lacks', async () => {
    const promoted = await stageImage(world.staging.host, 'acme/prod-app', 'main-1', world.creds.staging.ci, { attestations: true, layerSizes: [512] });
    const missing = await stageImage(world.staging.host, 'acme/prod-app', 'main-2', world.creds.staging.ci, { layerSizes: [512] });
    await copy(`docker://${stg('prod-app', 'main-1')}`, `docker://${world.production.host}/acme/prod-app:1.0.0`, {
      srcCreds: world.creds.staging.ci,
      destCreds: world.creds.production.publisher,
    });

    const result = await cleanup('prod-app', 'post-production-cleanup', ['main-1', 'main-2'], {
      productionRepositories: new Map([['prod-app', parseReference(`${world.production.host}/acme/prod-app`)]]),
      productionCredentials: world.creds.production.reader,
    });
    expect(digestsOf(result.deleted)).toEqual(everyManifest(promoted).sort());
    const reason = `not proven in production ${world.production.host}/acme/prod-app (production does not serve the image): its promotion is not verified`;
    expect(result.unverified).toEqual([{ package: 'prod-app', digest: missing.digest, tags: ['main-2'], reason }]);
    expect(result.kept).toEqual([{ package: 'prod-app', digest: missing.digest, tags: ['main-2'], reason: `protected: ${reason}` }]);
    await expectAllGone('prod-app', everyManifest(promoted));
    expect(await pulls('prod-app', 'main-2')).toBe(true);
    expect(await pullsCompletely(`${world.production.host}/acme/prod-app:1.0.0`, world.creds.production.reader)).toBe(true);
  });

  describe('a platform filter: production serves a new index, verified by the digest promote-image recorded', () => {
    /** A staged two-platform image promoted with only linux/arm64, as the stage gate's promote leg does, and its record. */
    async function promotedArmOnly(pkg: string, dryRun: boolean): Promise<{ image: ImageLayout; record: PromotionRecord }> {
      const image = await stageImage(world.staging.host, `acme/${pkg}`, 'main-1', world.creds.staging.ci, { attestations: true, layerSizes: [512] });
      await stageImage(world.staging.host, `acme/${pkg}`, 'main-0', world.creds.staging.ci, { layerSizes: [512] });
      const options = {
        source: parseReference(stg(pkg, image.digest)),
        destinations: [parseReference(`${world.production.host}/acme/${pkg}:1.0.1`)],
        sourceCredentials: world.creds.staging.ci,
        destinationCredentials: world.creds.production.publisher,
        platforms: ['linux/arm64'],
        dryRun,
        retry: FAST_RETRY,
      };
      const result = await promoteImage({ ...options, log: captureLog() });
      expect(result.digest).not.toBe(image.digest);
      // The record as promote-image writes it for the gate's cleanup.
      const record = promotionRecord({ ...options, recordFile: '' }, result, new Date().toISOString());
      return { image, record };
    }

    const production = (pkg: string) => ({
      productionRepositories: new Map([[pkg, parseReference(`${world.production.host}/acme/${pkg}`)]]),
      productionCredentials: world.creds.production.reader,
    });

    test('without the record the staged digest is not in production: kept, unverified', async () => {
      const { image } = await promotedArmOnly('filtered-unrecorded', false);
      const result = await cleanup('filtered-unrecorded', 'post-production-cleanup', ['main-1'], production('filtered-unrecorded'));
      expect(result.deleted).toEqual([]);
      expect(result.unverified.map((u) => u.digest)).toEqual([image.digest]);
      expect(await pulls('filtered-unrecorded', 'main-1')).toBe(true);
    });

    test('with the record: the promoted index is proven in production, and the staged image is deleted whole', async () => {
      const { image, record } = await promotedArmOnly('filtered', false);
      const log = captureLog();
      const result = await cleanup('filtered', 'post-production-cleanup', ['main-1'], { ...production('filtered'), promotions: [record], log });
      expect(result.unverified).toEqual([]);
      expect(digestsOf(result.deleted)).toEqual(everyManifest(image).sort());
      await expectAllGone('filtered', everyManifest(image));
      expect(await pulls('filtered', 'main-0')).toBe(true);
      expect(log.lines.join('\n')).toContain(`(promoted as ${record.digest.slice(0, 19)}) is served whole by production`);
      expect(await pullsCompletely(`${world.production.host}/acme/filtered@${record.digest}`, world.creds.production.reader)).toBe(true);
    });

    test('a record whose digest production does not serve whole: kept, unverified, naming that digest', async () => {
      const { image, record } = await promotedArmOnly('filtered-wrong', false);
      const other = { ...record, digest: image.manifests[0].digest.replace(/.$/, (c) => (c === '0' ? '1' : '0')) };
      const result = await cleanup('filtered-wrong', 'post-production-cleanup', ['main-1'], { ...production('filtered-wrong'), promotions: [other] });
      expect(result.deleted).toEqual([]);
      expect(result.unverified.map((u) => [u.digest, u.reason])).toEqual([
        [
          image.digest,
          `not proven in production ${world.production.host}/acme/filtered-wrong (promoted as ${other.digest.slice(0, 19)}) (production does not serve the image): its promotion is not verified`,
        ],
      ]);
      expect(await pulls('filtered-wrong', 'main-1')).toBe(true);
    });

    test('a promotion that was a dry run: a dry-run cleanup plans the deletion, a real one keeps the image, unverified', async () => {
      const { image, record } = await promotedArmOnly('filtered-dry', true);
      api.requests.length = 0;
      const planned = await cleanup('filtered-dry', 'post-production-cleanup', ['main-1'], {
        ...production('filtered-dry'),
        promotions: [record],
        dryRun: true,
      });
      expect(planned.unverified).toEqual([]);
      expect(digestsOf(planned.deleted)).toEqual(everyManifest(image).sort());
      expect(deletes()).toEqual([]);
      const real = await cleanup('filtered-dry', 'post-production-cleanup', ['main-1'], { ...production('filtered-dry'), promotions: [record] });
      expect(real.deleted).toEqual([]);
      expect(real.unverified.map((u) => [u.digest, u.reason])).toEqual([
        [image.digest, `its promotion was a dry run: production ${world.production.host}/acme/filtered-dry was not written`],
      ]);
      expect(await pulls('filtered-dry', 'main-1')).toBe(true);
    });
  });

  test('an unreachable production registry fails the run before anything is deleted', async () => {
    const image = await stageImage(world.staging.host, 'acme/prod-down', 'main-1', world.creds.staging.ci, { layerSizes: [512] });
    api.requests.length = 0;
    await expect(
      cleanup('prod-down', 'post-production-cleanup', ['main-1'], {
        productionRepositories: new Map([['prod-down', parseReference('127.0.0.1:9/acme/prod-down')]]),
        retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
      }),
    ).rejects.toThrow(/ECONNREFUSED/);
    expect(deletes()).toEqual([]);
    expect(await pulls('prod-down', image.digest)).toBe(true);
  });
});

describe('package-wide strategies', () => {
  /** Pushes images and backdates them: image i is ages[i] old. */
  async function agedImages(pkg: string, ages: number[]): Promise<SyntheticImage[]> {
    const images = await pushSyntheticImages(world.staging, `acme/${pkg}`, world.creds.staging.ci, {
      count: ages.length,
      tagPrefix: 'build',
      attestations: true,
    });
    images.forEach((image, i) => {
      for (const digest of syntheticManifests(image)) api.setCreatedAt(`acme/${pkg}`, digest, new Date(Date.now() - ages[i]));
    });
    return images;
  }

  test('conditional-preserve keeps the newest N, young and protected images, and deletes older ones whole', async () => {
    const images = await agedImages('cond-app', [1 * 3_600_000, 2 * 3_600_000, 1 * DAY, 2 * DAY, 3 * DAY, 4 * DAY, 5 * DAY]);
    const result = await cleanup('cond-app', 'conditional-preserve', [], {
      keepLast: 1,
      protected: [parseImageSelector(images[4].digest, { registry: world.staging.host, owner: 'acme' })],
    });
    const doomed = [2, 3, 5, 6].map((i) => images[i]);
    expect(digestsOf(result.deleted)).toEqual(doomed.flatMap(syntheticManifests).sort());
    const keptReason = (i: number) => result.kept.find((k) => k.digest === images[i].digest)?.reason;
    expect([0, 1, 4].map(keptReason)).toEqual([
      'one of the newest 1 images',
      'younger than 6 h: it may belong to a pipeline still running',
      'protected: listed in the protected input',
    ]);
    expect(result.deleted.find((d) => d.digest === images[2].digest)!.reason).toBe('older than the newest 1 images');
    await expectAllGone('cond-app', doomed.flatMap(syntheticManifests));
    for (const i of [0, 1, 4]) expect(await pulls('cond-app', images[i].tag)).toBe(true);
  });

  test('the scheduled sweep deletes old images and orphans, keeps the newest and young ones', async () => {
    const images = await agedImages('swept', [1 * DAY, 20 * DAY, 30 * DAY]);
    // An orphan: the index of an old image deleted by hand, its children left behind.
    const orphaned = await stageImage(world.staging.host, 'acme/swept', 'orphaned', world.creds.staging.ci, { layerSizes: [512], attestations: true });
    await deleteImage(`docker://${stg('swept', orphaned.digest)}`, world.creds.staging.ci);
    const orphans = everyManifest(orphaned).slice(1);
    for (const digest of orphans) api.setCreatedAt('acme/swept', digest, new Date(Date.now() - 20 * DAY));

    const result = await cleanup('swept', 'scheduled-sweep', [], { keepLast: 0 });
    expect(digestsOf(result.deleted)).toEqual([...syntheticManifests(images[1]), ...syntheticManifests(images[2]), ...orphans].sort());
    expect(result.kept).toEqual([{ package: 'swept', digest: images[0].digest, tags: ['build-0'], reason: 'younger than 14 days' }]);
    await expectAllGone('swept', [...syntheticManifests(images[1]), ...orphans]);
    expect(await pulls('swept', 'build-0')).toBe(true);
  });

  test('more than 100 versions: every page is read, and only the staged image on the last page goes', async () => {
    const images = await pushSyntheticImages(world.staging, 'acme/many', world.creds.staging.ci, {
      count: 24,
      tagPrefix: 'run',
      attestations: true,
      concurrency: 4,
    });
    const oldest = images[0];
    for (const digest of syntheticManifests(oldest)) api.setCreatedAt('acme/many', digest, new Date(Date.now() - DAY));
    api.requests.length = 0;
    const result = await cleanup('many', 'immediate-cleanup', [oldest.tag]);
    const pages = api.requests.filter((r) => r.path.startsWith('/orgs/acme/packages/container/many/versions?'));
    expect(pages.map((r) => new URL(r.path, api.url).searchParams.get('page') ?? '1')).toEqual(['1', '2']);
    expect(digestsOf(result.deleted)).toEqual(syntheticManifests(oldest).sort());
    await expectAllGone('many', syntheticManifests(oldest));
    expect(await pulls('many', images[23].tag)).toBe(true);
  });
});

describe('preserve-for-debug', () => {
  test('a [preserve] commit on a successful production run deletes nothing and says why', async () => {
    const image = await stageImage(world.staging.host, 'acme/debug-app', 'main-9', world.creds.staging.ci, { attestations: true, layerSizes: [512] });
    const decision = selectStrategy({
      eventName: 'push',
      ref: 'refs/heads/main',
      productionBranch: 'main',
      tests: 'success',
      scan: 'success',
      promote: 'success',
      publish: 'success',
      headCommitMessage: 'fix: flaky login [preserve]\n\nkeep the images',
      preserveMarker: '[preserve]',
      forcePublish: false,
    });
    expect(decision.strategy).toBe('preserve-for-debug');
    api.requests.length = 0;
    const result = await cleanup('debug-app', decision.strategy, ['main-9'], { decision });
    expect(result.deleted).toEqual([]);
    expect(result.kept).toEqual([
      { package: 'debug-app', digest: image.digest, tags: ['main-9'], reason: 'preserve-for-debug: the head commit message contains [preserve]' },
    ]);
    expect(deletes()).toEqual([]);
    expect(await pulls('debug-app', 'main-9')).toBe(true);
  });
});

describe('GitHub API answers', () => {
  test('without packages: write the run fails naming the permission, and nothing is deleted', async () => {
    const image = await stageImage(world.staging.host, 'acme/no-write', 'pr-5', world.creds.staging.ci, { layerSizes: [512] });
    // Another tagged image, so that the plan deletes pr-5 (a package's last tagged version stays).
    await stageImage(world.staging.host, 'acme/no-write', 'pr-4', world.creds.staging.ci, { layerSizes: [256] });
    await expect(cleanup('no-write', 'immediate-cleanup', ['pr-5'], { token: TOKENS.read })).rejects.toThrow(
      'the token lacks the `packages: write` permission',
    );
    expect(await pulls('no-write', 'pr-5')).toBe(true);
    expect(image.digest).toMatch(/^sha256:/);
  });

  test('secondary rate limits on deletes are waited out and the cleanup completes', async () => {
    const image = await stageImage(world.staging.host, 'acme/limited', 'pr-6', world.creds.staging.ci, { attestations: true, layerSizes: [512] });
    await stageImage(world.staging.host, 'acme/limited', 'pr-5', world.creds.staging.ci, { layerSizes: [512] });
    api.setFaults([onNth(1, (r) => r.method === 'DELETE', secondaryRateLimit(403, 1)), onNth(3, (r) => r.method === 'DELETE', secondaryRateLimit(429, 1))]);
    const log = captureLog();
    const result = await cleanup('limited', 'immediate-cleanup', ['pr-6'], { log });
    expect(digestsOf(result.deleted)).toEqual(everyManifest(image).sort());
    expect(log.lines.filter((l) => l.startsWith('warning: ') && l.includes('You have exceeded a secondary rate limit'))).toHaveLength(2);
    await expectAllGone('limited', everyManifest(image));
    expect(await pulls('limited', 'pr-5')).toBe(true);
  });

  test('the same cleanup run twice at once: the second finds versions already gone, and both succeed', async () => {
    const image = await stageImage(world.staging.host, 'acme/rerun', 'pr-10', world.creds.staging.ci, { attestations: true, layerSizes: [512] });
    await stageImage(world.staging.host, 'acme/rerun', 'pr-11', world.creds.staging.ci, { layerSizes: [512] });
    deletesWaitForEachOther(2);
    const results = await Promise.all([cleanup('rerun', 'immediate-cleanup', ['pr-10']), cleanup('rerun', 'immediate-cleanup', ['pr-10'])]);
    for (const result of results) expect(digestsOf(result.deleted)).toEqual(everyManifest(image).sort());
    expect(results.flatMap((r) => r.deleted).filter((d) => d.reason.endsWith('(already gone)'))).toHaveLength(everyManifest(image).length);
    await expectAllGone('rerun', everyManifest(image));
    expect(await pulls('rerun', 'pr-11')).toBe(true);
  });

  test("the last tagged version of a package is kept, with GitHub's reason, and the step does not fail", async () => {
    const image = await stageImage(world.staging.host, 'acme/lonely', 'pr-12', world.creds.staging.ci, {
      layerSizes: [512],
      platforms: [{ os: 'linux', architecture: 'amd64' }],
    });
    const log = captureLog();
    const dry = await cleanup('lonely', 'immediate-cleanup', ['pr-12'], { dryRun: true });
    const result = await cleanup('lonely', 'immediate-cleanup', ['pr-12'], { log });
    // Predicted from the listing: neither run lists it for deletion, and GitHub is not asked.
    expect([dry.deleted, result.deleted]).toEqual([[], []]);
    const reason =
      'GitHub refuses to delete the last tagged version of a package, and this cleanup would delete every other tagged version (planned: staged by this run)';
    expect(dry.kept).toEqual([{ package: 'lonely', digest: image.digest, tags: ['pr-12'], reason }]);
    expect(result.kept).toEqual(dry.kept);
    expect(log.lines).toContain(`warning: kept lonely@${image.digest.slice(0, 19)} (pr-12): ${reason}`);
    expect(deletes().filter((r) => r.path.includes('/lonely/'))).toEqual([]);
    expect(await pulls('lonely', 'pr-12')).toBe(true);
  });

  test('a user-owned package is cleaned through the /users/ endpoints', async () => {
    const image = await stageImage(world.staging.host, 'acme/personal', 'pr-13', world.creds.staging.ci, { attestations: true, layerSizes: [512] });
    await stageImage(world.staging.host, 'acme/personal', 'pr-14', world.creds.staging.ci, { layerSizes: [512] });
    const userApi = await startGitHubApi({
      registry: world.staging,
      credentials: world.creds.staging.ci,
      owners: { acme: 'User' },
      tokens: { [TOKENS.write]: 'write' },
    });
    try {
      const result = await cleanup('personal', 'immediate-cleanup', ['pr-13'], { apiUrl: userApi.url });
      expect(digestsOf(result.deleted)).toEqual(everyManifest(image).sort());
      expect(userApi.requests.filter((r) => r.method === 'DELETE').every((r) => r.path.startsWith('/users/acme/packages/container/personal/versions/'))).toBe(
        true,
      );
      expect(userApi.violations).toEqual([]);
      await expectAllGone('personal', everyManifest(image));
      expect(await pulls('personal', 'pr-14')).toBe(true);
    } finally {
      await userApi.stop();
    }
  });
});

describe('safety at the edges (issue #14)', () => {
  let proxy: FaultProxy | undefined;
  afterEach(async () => {
    await proxy?.stop();
    proxy = undefined;
  });
  const amd64 = { os: 'linux', architecture: 'amd64' };
  const arm64 = { os: 'linux', architecture: 'arm64' };
  const manifestPath = (pkg: string, digest: string) => `/v2/acme/${pkg}/manifests/${digest}`;

  describe("GitHub refuses a delete no re-run can pass: the image is kept whole, with GitHub's reason, and the step does not fail", () => {
    test('the last tagged version: predicted from the listing, it stays whole, its platform and attestation manifests too, in dry and real run alike', async () => {
      const image = await stageImage(world.staging.host, 'acme/last-tag', 'pr-20', world.creds.staging.ci, { attestations: true, layerSizes: [512] });
      const dry = await cleanup('last-tag', 'immediate-cleanup', ['pr-20'], { dryRun: true });
      const log = captureLog();
      const result = await cleanup('last-tag', 'immediate-cleanup', ['pr-20'], { log });
      expect([dry.deleted, result.deleted]).toEqual([[], []]);
      expect(result.kept).toEqual(dry.kept);
      expect(result.kept.find((k) => k.digest === image.digest)!.reason).toBe(
        'GitHub refuses to delete the last tagged version of a package, and this cleanup would delete every other tagged version (planned: staged by this run)',
      );
      expect(digestsOf(result.kept)).toEqual(everyManifest(image).sort());
      for (const child of everyManifest(image).slice(1)) {
        expect(result.kept.find((k) => k.digest === child)!.reason).toMatch(
          /^(platform manifest|attestation) of sha256:[a-f0-9]{12} \(pr-20\), kept whole with it as the last tagged image$/,
        );
      }
      expect(log.lines.filter((l) => l.startsWith('warning: kept last-tag@'))).toHaveLength(everyManifest(image).length);
      expect(deletes().filter((r) => r.path.includes('/last-tag/'))).toEqual([]);
      expect(await pulls('last-tag', 'pr-20')).toBe(true);
    });

    test("the last tagged version after a change the listing could not show: GitHub's refusal keeps it whole", async () => {
      const image = await stageImage(world.staging.host, 'acme/last-tag-race', 'pr-24', world.creds.staging.ci, { attestations: true, layerSizes: [512] });
      await stageImage(world.staging.host, 'acme/last-tag-race', 'pr-25', world.creds.staging.ci, { layerSizes: [256] });
      // Another pipeline's cleanup deletes pr-25 after this run listed the package, before its first delete.
      let raced = false;
      api.setFaults([
        (r) =>
          r.method === 'DELETE' && !raced
            ? { kind: 'before', run: async () => void ((raced = true), await deleteImage(`docker://${stg('last-tag-race', 'pr-25')}`, world.creds.staging.ci)) }
            : undefined,
      ]);
      const log = captureLog();
      const result = await cleanup('last-tag-race', 'immediate-cleanup', ['pr-24'], { log });
      expect(result.deleted).toEqual([]);
      expect(result.kept.find((k) => k.digest === image.digest)!.reason).toBe(
        'GitHub refuses to delete the last tagged version of a package; delete the package itself to remove it (planned: staged by this run)',
      );
      expect(digestsOf(result.kept)).toEqual(everyManifest(image).sort());
      for (const child of everyManifest(image).slice(1)) {
        expect(result.kept.find((k) => k.digest === child)!.reason).toMatch(
          /^(platform manifest|attestation) of sha256:[a-f0-9]{12}, which GitHub refused to delete$/,
        );
      }
      expect(log.lines.filter((l) => l.startsWith('warning: kept last-tag-race@'))).toHaveLength(everyManifest(image).length);
      expect(raced).toBe(true);
      expect(api.requests.filter((r) => r.method === 'DELETE' && r.status === 400)).not.toHaveLength(0);
      expect(await pulls('last-tag-race', 'pr-24')).toBe(true);
    });

    test('a public version downloaded more than 5,000 times; 5,000 and a private one are deleted', async () => {
      const popular = await stageImage(world.staging.host, 'acme/popular', 'pr-21', world.creds.staging.ci, { attestations: true, layerSizes: [512] });
      const counted = await stageImage(world.staging.host, 'acme/popular', 'pr-22', world.creds.staging.ci, { layerSizes: [512] });
      await stageImage(world.staging.host, 'acme/popular', 'pr-23', world.creds.staging.ci, { layerSizes: [512] });
      api.setVisibility('acme/popular', 'public');
      api.setDownloads('acme/popular', popular.digest, 5001);
      api.setDownloads('acme/popular', counted.digest, 5000);
      const result = await cleanup('popular', 'immediate-cleanup', ['pr-21', 'pr-22']);
      expect(digestsOf(result.deleted)).toEqual(everyManifest(counted).sort());
      expect(result.kept.find((k) => k.digest === popular.digest)!.reason).toBe(
        'GitHub refuses to delete a version of a public package downloaded more than 5,000 times; only GitHub support can delete it (planned: staged by this run)',
      );
      expect(digestsOf(result.kept)).toEqual(everyManifest(popular).sort());
      expect(await pulls('popular', 'pr-21')).toBe(true);
      expect(await pulls('popular', 'pr-23')).toBe(true);

      api.setVisibility('acme/popular', 'private');
      const again = await cleanup('popular', 'immediate-cleanup', ['pr-21']);
      expect(digestsOf(again.deleted)).toEqual(everyManifest(popular).sort());
    });
  });

  describe('a listed tagged index the staging registry cannot read', () => {
    test.each([
      [
        '404',
        {
          kind: 'respond',
          status: 404,
          headers: { 'content-type': 'application/json' },
          body: '{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}',
        },
      ],
      ['500', { kind: 'respond', status: 500, body: 'storage driver error' }],
    ] as const)('answering %s keeps every version of the package, naming it, and warns; once readable, the cleanup goes ahead', async (status, fault) => {
      const pkg = `unreadable-${status}`;
      const build = (tag: string, platforms: { os: string; architecture: string }[]) =>
        stageImage(world.staging.host, `acme/${pkg}`, tag, world.creds.staging.ci, {
          platforms,
          index: true,
          attestations: true,
          seed: `shared-${pkg}`,
          layerSizes: [512],
        });
      const mine = await build('pr-1', [amd64]);
      const live = await build('pr-2', [amd64, arm64]);
      const shared = mine.manifests[0].digest;
      expect(live.manifests.map((m) => m.digest)).toContain(shared);
      proxy = await startFaultProxy(world.staging.host);
      const unreadable: FaultRule = (r) => (r.method === 'GET' && r.path === manifestPath(pkg, live.digest) ? fault : undefined);
      proxy.setRules([unreadable]);
      const log = captureLog();
      const result = await cleanup(pkg, 'immediate-cleanup', [`pr-1`], { stagingRegistry: proxy.host, log });
      expect(result.deleted).toEqual([]);
      expect(deletes().filter((r) => r.path.includes(`/${pkg}/`))).toEqual([]);
      const why = new RegExp(
        `^GitHub lists sha256:${live.digest.slice(7, 19)} \\(.+\\) but the staging registry cannot read it, so anything of ${pkg} may belong to it: nothing is deleted$`,
      );
      for (const digest of [mine.digest, shared, live.digest]) expect(result.kept.find((k) => k.digest === digest)?.reason).toMatch(why);
      expect(log.lines.some((l) => l.startsWith(`warning: ${pkg}: GitHub lists sha256:${live.digest.slice(7, 19)}`))).toBe(true);
      expect(await pulls(pkg, 'pr-2')).toBe(true);
      expect(await pulls(pkg, 'pr-1')).toBe(true);

      proxy.setRules([]);
      const readable = await cleanup(pkg, 'immediate-cleanup', [`pr-1`], { stagingRegistry: proxy.host });
      expect(digestsOf(readable.deleted)).toEqual([mine.digest]);
      expect(await pulls(pkg, 'pr-2')).toBe(true);
    });
  });

  describe('post-production: production must serve the bytes, not just say so', () => {
    /** A production that answers HEAD for every manifest with the digest asked for, whatever it has. */
    const liesOnHead: FaultRule = (r) => {
      const digest = /\/manifests\/(sha256:[a-f0-9]{64})$/.exec(r.path)?.[1];
      return r.method === 'HEAD' && digest
        ? { kind: 'respond', status: 200, headers: { 'docker-content-digest': digest, 'content-type': MEDIA_TYPES.index, 'content-length': '512' } }
        : undefined;
    };

    async function postProduction(pkg: string, staged: string[], rules: FaultRule[]) {
      proxy = await startFaultProxy(world.production.host);
      proxy.setRules(rules);
      api.requests.length = 0;
      return cleanup(pkg, 'post-production-cleanup', staged, {
        productionRepositories: new Map([[pkg, parseReference(`${proxy.host}/acme/${pkg}`)]]),
        productionCredentials: world.creds.production.reader,
      });
    }

    test('a production that says it has the image on HEAD but serves nothing: nothing deleted, listed as unverified', async () => {
      const image = await stageImage(world.staging.host, 'acme/prod-lie', 'main-1', world.creds.staging.ci, { attestations: true, layerSizes: [512] });
      await stageImage(world.staging.host, 'acme/prod-lie', 'main-0', world.creds.staging.ci, { layerSizes: [512] });
      const result = await postProduction('prod-lie', ['main-1'], [liesOnHead]);
      expect(result.deleted).toEqual([]);
      expect(deletes()).toEqual([]);
      expect(result.unverified).toEqual([
        {
          package: 'prod-lie',
          digest: image.digest,
          tags: ['main-1'],
          reason: `not proven in production ${proxy!.host}/acme/prod-lie (production does not serve the image): its promotion is not verified`,
        },
      ]);
      expect(await pulls('prod-lie', 'main-1')).toBe(true);
    });

    test('a production that serves other bytes under the digest: nothing deleted, listed as unverified', async () => {
      const image = await stageImage(world.staging.host, 'acme/prod-swap', 'main-1', world.creds.staging.ci, { layerSizes: [512] });
      const other = await stageImage(world.staging.host, 'acme/prod-swap', 'main-0', world.creds.staging.ci, { layerSizes: [512] });
      const swapped: FaultRule = (r) =>
        r.method === 'GET' && r.path === manifestPath('prod-swap', image.digest)
          ? { kind: 'respond', status: 200, headers: { 'content-type': MEDIA_TYPES.index, 'docker-content-digest': image.digest }, body: other.raw.toString() }
          : undefined;
      const result = await postProduction('prod-swap', ['main-1'], [liesOnHead, swapped]);
      expect(result.deleted).toEqual([]);
      expect(result.unverified.map((u) => [u.digest, u.reason])).toEqual([
        [
          image.digest,
          `not proven in production ${proxy!.host}/acme/prod-swap (production serves bytes that do not hash to the digest of the image): its promotion is not verified`,
        ],
      ]);
      expect(await pulls('prod-swap', 'main-1')).toBe(true);
    });

    test('a production that has the index but not every manifest it lists: nothing deleted, listed as unverified', async () => {
      const image = await stageImage(world.staging.host, 'acme/prod-partial', 'main-1', world.creds.staging.ci, { attestations: true, layerSizes: [512] });
      await stageImage(world.staging.host, 'acme/prod-partial', 'main-0', world.creds.staging.ci, { layerSizes: [512] });
      await copy(`docker://${stg('prod-partial', 'main-1')}`, `docker://${world.production.host}/acme/prod-partial:1.0.0`, {
        srcCreds: world.creds.staging.ci,
        destCreds: world.creds.production.publisher,
      });
      const child = image.manifests[1].digest;
      const missing: FaultRule = (r) => (r.path === manifestPath('prod-partial', child) ? { kind: 'respond', status: 404, body: '' } : undefined);
      const result = await postProduction('prod-partial', ['main-1'], [missing]);
      expect(result.deleted).toEqual([]);
      expect(result.unverified.map((u) => u.reason)).toEqual([
        `not proven in production ${proxy!.host}/acme/prod-partial (production does not serve ${child.slice(0, 19)}, which the image lists): its promotion is not verified`,
      ]);

      proxy!.setRules([]);
      const served = await cleanup('prod-partial', 'post-production-cleanup', ['main-1'], {
        productionRepositories: new Map([['prod-partial', parseReference(`${proxy!.host}/acme/prod-partial`)]]),
        productionCredentials: world.creds.production.reader,
      });
      expect(digestsOf(served.deleted)).toEqual(everyManifest(image).sort());
      expect(served.unverified).toEqual([]);
    });
  });

  describe('concurrent pipelines, one digest', () => {
    test("staged by digest alone, an image carrying tags is kept: they may be another pipeline's", async () => {
      const image = await stageImage(world.staging.host, 'acme/same-digest', 'pr-50', world.creds.staging.ci, { layerSizes: [512], seed: 'reproducible' });
      await copy(`docker://${stg('same-digest', 'pr-50')}`, `docker://${stg('same-digest', 'pr-51')}`, {
        srcCreds: world.creds.staging.ci,
        destCreds: world.creds.staging.ci,
      });
      await stageImage(world.staging.host, 'acme/same-digest', 'pr-49', world.creds.staging.ci, { layerSizes: [512] });
      const byDigest = await cleanup('same-digest', 'immediate-cleanup', [`${world.staging.host}/acme/same-digest@${image.digest}`]);
      expect(byDigest.deleted).toEqual([]);
      expect(byDigest.kept.find((k) => k.digest === image.digest)?.reason).toBe(
        'tagged pr-50, pr-51, which this run did not name (staged by digest alone; stage it as repository:tag@digest)',
      );
      const byOwnTag = await cleanup('same-digest', 'immediate-cleanup', [`${world.staging.host}/acme/same-digest:pr-50@${image.digest}`]);
      expect(byOwnTag.deleted).toEqual([]);
      expect(byOwnTag.kept.find((k) => k.digest === image.digest)?.reason).toBe('also tagged pr-51, which this run did not stage');
      expect(await pulls('same-digest', 'pr-51')).toBe(true);

      const both = await cleanup('same-digest', 'immediate-cleanup', [`${world.staging.host}/acme/same-digest:pr-50@${image.digest}`, 'pr-51']);
      expect(digestsOf(both.deleted)).toEqual(everyManifest(image).sort());
    });
  });
});
