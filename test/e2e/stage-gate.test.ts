// The whole pipeline, end to end: examples/ci-cd.yml and .github/workflows/stage-gate.yml run
// by act in host mode (no Docker), with this working tree's actions and bundles under Node 24,
// against the harness' registries, the GitHub Packages API emulator and Verdaccio. Every
// assertion reads the services' state (registries through skopeo, the emulator's request
// record, Verdaccio's package document), never the log. One world for the file: each
// scenario has its own run number, commit and freshly built images.
import { onNth } from '../harness/fault-proxy.js';
import type { ImageLayout } from '../harness/oci-image.js';
import { isGone, pullsCompletely } from '../harness/pull-check.js';
import { inspectRaw, listTags } from '../harness/skopeo.js';
import { pushSyntheticImages } from '../harness/synthetic-images.js';
import type { RunSummary } from '@ci-actions/publishing/gate/run-summary.js';
import { IMAGES, MAVEN_COMPONENT, OWNER, startPipeline, type ImageName, type Pipeline, type PipelineRun } from './pipeline.js';

let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await startPipeline();
}, 900_000);
afterAll(() => pipeline?.stop());
afterEach(() => {
  pipeline.api.setFaults([]);
  expect(pipeline.api.violations).toEqual([]);
  expect(pipeline.central.violations).toEqual([]);
});

const ci = () => pipeline.registries.creds.staging.ci;
const reader = () => pipeline.registries.creds.production.reader;
/** Production as a consumer reads it: directly, not through the fault proxy. */
const prod = (name: ImageName, ref: string) => `${pipeline.registries.production.host}/${OWNER}/${name}${ref.startsWith('sha256:') ? '@' : ':'}${ref}`;

async function productionTags(name: ImageName): Promise<string[]> {
  try {
    return await listTags(`docker://${pipeline.registries.production.host}/${OWNER}/${name}`, reader());
  } catch {
    return []; // the repository does not exist yet
  }
}

/** Each image is in production under `tag`, byte for byte as built, every platform and attestation pulling. */
async function expectPromoted(images: Record<ImageName, ImageLayout>, tag: string): Promise<void> {
  for (const name of IMAGES) {
    const raw = await inspectRaw(`docker://${prod(name, tag)}`, reader());
    expect({ name, tag, identical: raw.equals(images[name].raw) }).toEqual({ name, tag, identical: true });
    expect(await pullsCompletely(prod(name, images[name].digest), reader())).toBe(true);
  }
}

async function expectNotPromoted(run: PipelineRun): Promise<void> {
  for (const name of IMAGES) {
    expect(await isGone(prod(name, run.images[name].digest), reader())).toBe(true);
    expect((await productionTags(name)).filter((t) => t.startsWith(`${run.version}`))).toEqual([]);
  }
}

async function expectStaged(run: PipelineRun, present: boolean): Promise<void> {
  for (const name of IMAGES) {
    if (present) expect({ name, pulls: await pullsCompletely(run.staged[name], ci()) }).toEqual({ name, pulls: true });
    else expect({ name, gone: await isGone(run.staged[name], ci()) }).toEqual({ name, gone: true });
  }
}

/** Staging deletions (GitHub Packages API DELETEs) this far. */
const deletions = () => pipeline.api.requests.filter((r) => r.method === 'DELETE' && r.status === 204).length;

/**
 * Records, at the moment of the first staging deletion of the run, whether production already
 * held every image: the ordering the stage gate exists for, observed on the services.
 */
function watchFirstDeletion(images: Record<ImageName, ImageLayout>): { productionHeldAll: () => boolean | undefined } {
  let held: boolean | undefined;
  pipeline.api.setFaults([
    (request) =>
      request.method === 'DELETE' && held === undefined
        ? {
            kind: 'before',
            run: async () => {
              const present = await Promise.all(
                IMAGES.map((name) =>
                  inspectRaw(`docker://${prod(name, images[name].digest)}`, reader()).then(
                    () => true,
                    () => false,
                  ),
                ),
              );
              held = present.every(Boolean);
            },
          }
        : undefined,
  ]);
  return { productionHeldAll: () => held };
}

/** act masks secrets in its log, and the actions mask what they derive from them. */
function expectNoSecretShown(run: PipelineRun): void {
  const shown = pipeline.secrets.filter((secret) => run.act.log.includes(secret));
  if (shown.length > 0) {
    const lines = run.act.log.split('\n').filter((l) => shown.some((s) => l.includes(s)));
    throw new Error(
      `${shown.length} secret(s) shown in act's log, e.g.:\n${lines
        .slice(0, 3)
        .map((l) => shown.reduce((t, s) => t.split(s).join('<SECRET>'), l))
        .join('\n')}`,
    );
  }
}

/** The messages act logged for a job of the run (its name as the log shows it ends with `job`). */
const messages = (run: PipelineRun, job: string) =>
  run.act.log
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { job?: string; msg?: string })
    .filter((l) => (l.job ?? '').trim().endsWith(job))
    .map((l) => l.msg ?? '');

/** The stage gate's run-summary output, as its summary job set it. */
function runSummary(run: PipelineRun): RunSummary {
  const set = messages(run, 'Summary')
    .map((m) => /::set-output:: run-summary=(.*)$/.exec(m)?.[1])
    .find((v) => v !== undefined);
  if (set === undefined) throw new Error(`no run-summary output in the log:\n${run.act.tail(40)}`);
  return JSON.parse(set) as RunSummary;
}

const jobResult = (run: PipelineRun, job: string) => run.act.jobs.filter((j) => j.job.replace(/-\d+$/, '').endsWith(job)).map((j) => j.result);
const why = (run: PipelineRun) => `act exited ${run.act.exitCode}; its log ends:\n${run.act.tail(60)}`;

describe('the stage-gate pipeline under act (host mode, Node 24)', () => {
  let first: PipelineRun;

  test('main branch: images promoted byte-identical, the clients published to npm and Maven Central, staging cleaned only after', async () => {
    const images = await pipeline.buildImages();
    const watch = watchFirstDeletion(images);
    const before = deletions();
    const run = (first = await pipeline.run({ event: 'push', commit: 'feat: first release', runNumber: 1, images }));
    expect({ exit: run.act.exitCode }).toEqual({ exit: 0 });
    if (run.act.exitCode !== 0) throw new Error(why(run));

    await expectPromoted(run.images, '1.0.1');
    for (const name of IMAGES) expect((await productionTags(name)).sort()).toEqual(['1.0.1', 'latest']);
    await expectPromoted(run.images, 'latest');
    expect(await pipeline.npmState()).toEqual({ versions: ['1.0.1'], distTags: { latest: '1.0.1' } });
    expect(pipeline.mavenPublished()).toEqual(['1.0.1']);
    await expectStaged(run, false);
    // Index, two platform manifests and two attestations per image, deleted only once
    // production held both images.
    expect(deletions() - before).toBe(10);
    expect(watch.productionHeldAll()).toBe(true);
    expectNoSecretShown(run);
  });

  test('re-run of a successful pipeline: the same images again, no duplicate, no error, staging cleaned', async () => {
    const uploadsBefore = pipeline.production.log.filter((l) => l.startsWith('POST ') && l.includes('/blobs/uploads/')).length;
    const manifestsBefore = pipeline.production.log.filter((l) => l.startsWith('PUT ') && l.includes('/manifests/')).length;
    const run = await pipeline.run({ event: 'push', runNumber: 1, runAttempt: 2, images: first.images });
    expect({ exit: run.act.exitCode }).toEqual({ exit: 0 });
    if (run.act.exitCode !== 0) throw new Error(why(run));

    expect(run.sha).toBe(first.sha);
    await expectPromoted(first.images, '1.0.1');
    for (const name of IMAGES) expect((await productionTags(name)).sort()).toEqual(['1.0.1', 'latest']);
    // Production already held everything: not one blob uploaded, not one manifest or tag rewritten.
    expect(pipeline.production.log.filter((l) => l.startsWith('POST ') && l.includes('/blobs/uploads/')).length).toBe(uploadsBefore);
    expect(pipeline.production.log.filter((l) => l.startsWith('PUT ') && l.includes('/manifests/')).length).toBe(manifestsBefore);
    expect(await pipeline.npmState()).toEqual({ versions: ['1.0.1'], distTags: { latest: '1.0.1' } });
    expect(pipeline.mavenPublished()).toEqual(['1.0.1']);
    await expectStaged(run, false);
  });

  test('pull request: nothing promoted or published, its staging images cleaned', async () => {
    const run = await pipeline.run({ event: 'pull_request', branch: 'feature', commit: 'feat: a change under review', runNumber: 2 });
    expect({ exit: run.act.exitCode }).toEqual({ exit: 0 });
    if (run.act.exitCode !== 0) throw new Error(why(run));

    await expectNotPromoted(run);
    for (const name of IMAGES) expect((await productionTags(name)).sort()).toEqual(['1.0.1', 'latest']);
    expect(jobResult(run, 'Promote webauthn-server')).toEqual([]);
    expect(jobResult(run, 'Clean up staging')).toEqual(['success']);
    expect((await pipeline.npmState()).versions).toEqual(['1.0.1']);
    expect(pipeline.mavenPublished()).toEqual(['1.0.1']);
    await expectStaged(run, false);
  });

  let failedTests: PipelineRun;
  test('e2e tests fail on main: nothing promoted or published, staging kept for debugging', async () => {
    const run = (failedTests = await pipeline.run({ event: 'push', commit: 'fix: breaks the login flow', runNumber: 3, tests: 'failure' }));
    expect(run.act.exitCode).not.toBe(0);
    expect(jobResult(run, 'End-to-end tests')).toEqual(['failure']);
    expect(jobResult(run, 'Clean up staging')).toEqual(['success']);

    await expectNotPromoted(run);
    expect((await pipeline.npmState()).versions).toEqual(['1.0.1']);
    expect(pipeline.mavenPublished()).toEqual(['1.0.1']);
    await expectStaged(run, true);
  });

  test('security scan fails on main: nothing promoted, staging kept; the earlier preserved images untouched', async () => {
    const run = await pipeline.run({ event: 'push', commit: 'chore: bump a vulnerable base image', runNumber: 4, scan: 'failure' });
    expect(run.act.exitCode).not.toBe(0);
    expect(jobResult(run, 'Security scan')).toEqual(['failure']);

    await expectNotPromoted(run);
    await expectStaged(run, true);
    await expectStaged(failedTests, true);
  });

  test('[preserve] in the commit message: promoted and published, every staging image kept', async () => {
    const before = deletions();
    const run = await pipeline.run({ event: 'push', commit: 'fix: flaky session handling [preserve]', runNumber: 5 });
    expect({ exit: run.act.exitCode }).toEqual({ exit: 0 });
    if (run.act.exitCode !== 0) throw new Error(why(run));

    await expectPromoted(run.images, '1.0.5');
    await expectPromoted(run.images, 'latest');
    expect(await pipeline.npmState()).toEqual({ versions: ['1.0.1', '1.0.5'], distTags: { latest: '1.0.5' } });
    expect(pipeline.mavenPublished()).toEqual(['1.0.1', '1.0.5']);
    await expectStaged(run, true);
    expect(deletions()).toBe(before);
  });

  test('production registry down during promotion: staging kept intact (preserve-for-debug), and the re-run succeeds', async () => {
    const { registries, production } = pipeline;
    // Docker Hub goes down when the first blob upload arrives, i.e. in the middle of promote-image.
    production.setRules([
      onNth(1, (r) => r.method === 'POST' && r.path.includes('/blobs/uploads/'), { kind: 'before', run: () => registries.production.stop() }),
    ]);
    const before = deletions();
    let failed: PipelineRun;
    try {
      failed = await pipeline.run({ event: 'push', commit: 'feat: passkeys', runNumber: 6 });
    } finally {
      production.setRules([]);
      await registries.production.start();
    }
    expect(failed.act.exitCode).not.toBe(0);
    expect(jobResult(failed, 'Promote webauthn-server')).toEqual(['failure']);
    expect(jobResult(failed, 'Clean up staging')).toEqual(['success']);
    for (const name of IMAGES) expect((await productionTags(name)).filter((t) => t === '1.0.6')).toEqual([]);
    await expectStaged(failed, true);
    expect(deletions()).toBe(before);
    expectNoSecretShown(failed);

    const rerun = await pipeline.run({ event: 'push', runNumber: 6, runAttempt: 2, images: failed.images });
    expect({ exit: rerun.act.exitCode }).toEqual({ exit: 0 });
    if (rerun.act.exitCode !== 0) throw new Error(why(rerun));
    await expectPromoted(failed.images, '1.0.6');
    await expectPromoted(failed.images, 'latest');
    // publish-clients ran beside the failed promotion the first time; the re-run found it published.
    expect(await pipeline.npmState()).toEqual({ versions: ['1.0.1', '1.0.5', '1.0.6'], distTags: { latest: '1.0.6' } });
    expect(pipeline.mavenPublished()).toEqual(['1.0.1', '1.0.5', '1.0.6']);
    await expectStaged(rerun, false);
  });

  test('workflow_dispatch on a branch: published only with force-publish, as a prerelease', async () => {
    const plain = await pipeline.run({ event: 'workflow_dispatch', branch: 'hotfix', commit: 'fix: urgent', runNumber: 7 });
    expect({ exit: plain.act.exitCode }).toEqual({ exit: 0 });
    if (plain.act.exitCode !== 0) throw new Error(why(plain));
    await expectNotPromoted(plain);
    await expectStaged(plain, false);

    const forced = await pipeline.run({ event: 'workflow_dispatch', branch: 'hotfix', commit: 'fix: urgent, again', runNumber: 8, forcePublish: true });
    expect({ exit: forced.act.exitCode }).toEqual({ exit: 0 });
    if (forced.act.exitCode !== 0) throw new Error(why(forced));
    const version = forced.version;
    expect(version).toBe(`1.0.8-hotfix.g${forced.sha.slice(0, 7)}`);
    await expectPromoted(forced.images, version);
    for (const name of IMAGES)
      expect(await inspectRaw(`docker://${prod(name, 'latest')}`, reader())).toEqual(await inspectRaw(`docker://${prod(name, '1.0.6')}`, reader()));
    const npm = await pipeline.npmState();
    expect(npm.versions).toContain(version);
    expect(npm.distTags).toMatchObject({ latest: '1.0.6', 'branch-hotfix': version });
    expect(pipeline.mavenPublished()).toEqual(['1.0.1', '1.0.5', '1.0.6', `1.0.8-alpha-hotfix.g${forced.sha.slice(0, 7)}`]);
    await expectStaged(forced, false);
  });

  test('the nightly sweep (examples/staging-sweep.yml): dispatched as a dry run it deletes nothing; scheduled, it deletes what is old beyond the newest 5', async () => {
    const repository = `${OWNER}/webauthn-server`;
    const staged = (digest: string) => `${pipeline.registries.staging.host}/${repository}@${digest}`;
    // What a cancelled run left a month ago, and five images younger than it.
    const [abandoned, ...recent] = await pushSyntheticImages(pipeline.registries.staging, repository, ci(), {
      count: 6,
      tagPrefix: 'abandoned',
      attestations: true,
    });
    // The sweep covers every configured image; each package exists once something was staged in it.
    await pushSyntheticImages(pipeline.registries.staging, `${OWNER}/test-credentials-service`, ci(), { count: 1, tagPrefix: 'other' });
    const abandonedManifests = [abandoned.digest, ...abandoned.platformManifests, ...abandoned.attestations];
    for (const digest of abandonedManifests) pipeline.api.setCreatedAt(repository, digest, new Date(Date.now() - 30 * 24 * 3600 * 1000));

    const dry = await pipeline.sweep({ dryRun: true });
    if (dry.exitCode !== 0) throw new Error(`the sweep failed:\n${dry.tail(60)}`);
    for (const digest of abandonedManifests) expect({ digest, gone: await isGone(staged(digest), ci()) }).toEqual({ digest, gone: false });

    const swept = await pipeline.sweep({ dryRun: false });
    if (swept.exitCode !== 0) throw new Error(`the sweep failed:\n${swept.tail(60)}`);
    for (const digest of abandonedManifests) expect({ digest, gone: await isGone(staged(digest), ci()) }).toEqual({ digest, gone: true });
    for (const image of recent) expect({ tag: image.tag, gone: await isGone(staged(image.digest), ci()) }).toEqual({ tag: image.tag, gone: false });
  });
  test('shadow mode (dry-run) on main: nothing promoted, published or deleted; the summary says what would have been', async () => {
    const npmBefore = await pipeline.npmState();
    const mavenBefore = pipeline.mavenPublished();
    const before = deletions();
    const run = await pipeline.run({ event: 'push', commit: 'feat: tried in shadow mode first', runNumber: 20, shadow: true });
    expect({ exit: run.act.exitCode }).toEqual({ exit: 0 });
    if (run.act.exitCode !== 0) throw new Error(why(run));

    await expectNotPromoted(run);
    expect(await pipeline.npmState()).toEqual(npmBefore);
    expect(pipeline.mavenPublished()).toEqual(mavenBefore);
    expect(deletions()).toBe(before);
    await expectStaged(run, true);

    const summary = runSummary(run);
    expect(summary).toMatchObject({ version: run.version, publish: true, dryRun: true });
    expect(summary.images.map((i) => [i.staging, i.staged, i.production, i.productionDigest, i.dryRun, i.cleanup])).toEqual(
      IMAGES.map((name) => [
        `${pipeline.registries.staging.host}/${OWNER}/${name}`,
        run.images[name].digest,
        [`${pipeline.production.host}/${OWNER}/${name}:${run.version}`, `${pipeline.production.host}/${OWNER}/${name}:latest`],
        run.images[name].digest,
        true,
        'would delete',
      ]),
    );
    expect(summary.clients).toEqual({ published: [], skipped: [], wouldPublish: [`@acme/client@${run.version}`, `${MAVEN_COMPONENT}:${run.version}`] });
    expect(summary.stages.map((s) => [s.job, s.result])).toEqual([
      ['prepare', 'success'],
      // No release tag in shadow mode.
      ['tag', 'skipped'],
      ['promote', 'success'],
      ['promotions', 'success'],
      ['publish-clients', 'success'],
      ['attest', 'skipped'],
      ['cleanup', 'success'],
    ]);
    // The job summary a person reads says it too.
    expect(messages(run, 'Summary').join('\n')).toContain(`Stage gate ${run.version}: shadow mode (dry run): nothing was written`);
    expect(messages(run, 'Clean up staging').join('\n')).toContain('cleanup-staging (dry run)');
  });

  test('a platform filter on main: production gets a new index, cleanup verifies that digest and cleans staging', async () => {
    const server = 'description: WebAuthn relying-party server\n';
    pipeline.configure((config) => config.replace(server, `${server}      platforms: [linux/arm64]\n`));
    let run: PipelineRun;
    try {
      run = await pipeline.run({ event: 'push', commit: 'build: promote the server for arm64 only', runNumber: 21 });
    } finally {
      pipeline.configure((config) => config.replace(`${server}      platforms: [linux/arm64]\n`, server));
    }
    expect({ exit: run.act.exitCode }).toEqual({ exit: 0 });
    if (run.act.exitCode !== 0) throw new Error(why(run));

    const staged = run.images['webauthn-server'];
    const promoted = JSON.parse((await inspectRaw(`docker://${prod('webauthn-server', run.version)}`, reader())).toString()) as {
      manifests: { digest: string }[];
    };
    const arm = staged.manifests.find((m) => m.platform.architecture === 'arm64')!;
    expect(promoted.manifests.map((m) => m.digest)).toEqual([arm.digest, staged.attestations.find((a) => a.subject === arm.digest)!.digest]);
    const summary = runSummary(run);
    const filtered = summary.images.find((i) => i.staging.endsWith('/webauthn-server'))!;
    expect(filtered.staged).toBe(staged.digest);
    expect(filtered.productionDigest).not.toBe(staged.digest);
    expect(await pullsCompletely(prod('webauthn-server', filtered.productionDigest), reader())).toBe(true);
    expect(jobResult(run, 'Clean up staging')).toEqual(['success']);
    await expectStaged(run, false);
    expect(summary.images.map((i) => i.cleanup)).toEqual(['deleted', 'deleted']);
  });
});
