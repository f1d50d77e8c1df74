// "latest never moves back, versions never go backwards", under act: the stage gate tags each
// release in the team's remote (a bare repository in GitHub's place) before it publishes, and
// every later run, a re-run of an older one included, goes by those tags. Every assertion reads
// the services: the production registry through skopeo, Verdaccio's package document, the
// remote's tags. One world for the file; the runs build on each other in order.
import type { ImageLayout } from '../harness/oci-image.js';
import { inspectRaw, listTags } from '../harness/skopeo.js';
import { IMAGES, OWNER, startPipeline, type ImageName, type Pipeline, type PipelineRun } from './pipeline.js';

let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await startPipeline();
}, 900_000);
afterAll(() => pipeline?.stop());
afterEach(() => {
  expect(pipeline.api.violations).toEqual([]);
  expect(pipeline.central.violations).toEqual([]);
});

const reader = () => pipeline.registries.creds.production.reader;
const prod = (name: ImageName, tag: string) => `docker://${pipeline.registries.production.host}/${OWNER}/${name}:${tag}`;
const why = (run: PipelineRun) => `act exited ${run.act.exitCode}; its log ends:\n${run.act.tail(60)}`;
const jobResult = (run: PipelineRun, job: string) => run.act.jobs.filter((j) => j.job.replace(/-\d+$/, '').endsWith(job)).map((j) => j.result);
/** The values a step output took in the jobs whose name (as act logs it) ends with `job`. */
const outputValues = (run: PipelineRun, job: string, output: string) =>
  run.act.log
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { job?: string; msg?: string })
    .filter((l) => (l.job ?? '').trim().replace(/-\d+$/, '').endsWith(job))
    .flatMap((l) => new RegExp(`::set-output:: ${output}=(.*)$`).exec(l.msg ?? '')?.[1] ?? []);

/** For each image, whether production's `tag` is byte for byte the build's (false when the tag is absent). */
async function productionHas(tag: string, images: Record<ImageName, ImageLayout>): Promise<Record<ImageName, boolean>> {
  const entries = await Promise.all(
    IMAGES.map(
      async (name) =>
        [
          name,
          await inspectRaw(prod(name, tag), reader()).then(
            (raw) => raw.equals(images[name].raw),
            () => false,
          ),
        ] as const,
    ),
  );
  return Object.fromEntries(entries) as Record<ImageName, boolean>;
}
const everyImage = (value: boolean) => Object.fromEntries(IMAGES.map((name) => [name, value])) as Record<ImageName, boolean>;

async function productionTags(name: ImageName): Promise<string[]> {
  return (await listTags(`docker://${pipeline.registries.production.host}/${OWNER}/${name}`, reader())).sort();
}

function expectSucceeded(run: PipelineRun): void {
  expect({ exit: run.act.exitCode }).toEqual({ exit: 0 });
  if (run.act.exitCode !== 0) throw new Error(why(run));
}

describe('the stage gate tags each release, so latest never moves back and versions never go backwards', () => {
  let run5: PipelineRun;
  let run6: PipelineRun;

  test('run #5 of main fails its (flaky) tests: nothing published, nothing tagged', async () => {
    run5 = await pipeline.run({ event: 'push', commit: 'feat: recovery codes', runNumber: 5, tests: 'failure' });
    expect(run5.act.exitCode).not.toBe(0);
    expect(jobResult(run5, 'Tag the release')).toEqual([]);
    expect(await productionHas('1.0.5', run5.images)).toEqual(everyImage(false));
    expect(await pipeline.remoteTags()).toEqual({});
  });

  test('run #6 of main: tagged v1.0.6 on its commit in the remote, published as 1.0.6 and latest', async () => {
    run6 = await pipeline.run({ event: 'push', commit: 'feat: passkey autofill', runNumber: 6 });
    expectSucceeded(run6);
    expect(await pipeline.remoteTags()).toEqual({ 'v1.0.6': run6.sha });
    expect(await productionHas('1.0.6', run6.images)).toEqual(everyImage(true));
    expect(await productionHas('latest', run6.images)).toEqual(everyImage(true));
    expect(await pipeline.npmState()).toEqual({ versions: ['1.0.6'], distTags: { latest: '1.0.6' } });
  });

  test("re-run of #5 (attempt 2, tests pass now): 1.0.5 published and tagged on #5's commit; Docker's and npm's latest stay at 1.0.6", async () => {
    const rerun = await pipeline.run({ event: 'push', sha: run5.sha, runNumber: 5, runAttempt: 2, images: run5.images });
    expectSucceeded(rerun);
    expect(rerun.sha).toBe(run5.sha);
    expect(await pipeline.remoteTags()).toEqual({ 'v1.0.5': run5.sha, 'v1.0.6': run6.sha });
    expect(await productionHas('1.0.5', run5.images)).toEqual(everyImage(true));
    expect(await productionHas('latest', run6.images)).toEqual(everyImage(true));
    for (const name of IMAGES) expect(await productionTags(name)).toEqual(['1.0.5', '1.0.6', 'latest']);
    expect(await pipeline.npmState()).toEqual({ versions: ['1.0.6', '1.0.5'], distTags: { latest: '1.0.6', superseded: '1.0.5' } });
    expect(pipeline.mavenPublished()).toEqual(['1.0.6', '1.0.5']);
  });

  test('the run numbers restart (a renamed workflow file), on-regression: fail: run #1 fails naming the offset, publishes and tags nothing', async () => {
    const restarted = await pipeline.run({ event: 'push', commit: 'ci: rename the workflow file', runNumber: 1 });
    expect(restarted.act.exitCode).not.toBe(0);
    expect(jobResult(restarted, 'Configuration, publish decision, version')).toEqual(['failure']);
    // act's log is JSON lines: the step's quotes may arrive escaped.
    expect(restarted.act.log).toMatch(
      /::error::input \\?"offset\/on-regression\\?": version 1\.0\.1 \(run number 1 \+ offset 0\) is not above the last release v1\.0\.6/,
    );
    expect(restarted.act.log).toContain('set versioning.offset to 6 or more');
    expect(await pipeline.remoteTags()).toEqual({ 'v1.0.5': run5.sha, 'v1.0.6': run6.sha });
    expect(await productionHas('1.0.1', restarted.images)).toEqual(everyImage(false));
    expect(await productionHas('latest', run6.images)).toEqual(everyImage(true));
    expect((await pipeline.npmState()).versions).toEqual(['1.0.6', '1.0.5']);
  });

  test('on-regression: bump: run #2 is released as 1.0.7, above every tag, tagged and latest', async () => {
    pipeline.configure((config) => config.replace('versioning:\n', 'versioning:\n  on-regression: bump\n'));
    const bumped = await pipeline.run({ event: 'push', commit: 'ci: bump past the restarted run numbers', runNumber: 2, version: '1.0.7' });
    expectSucceeded(bumped);
    expect(await pipeline.remoteTags()).toEqual({ 'v1.0.5': run5.sha, 'v1.0.6': run6.sha, 'v1.0.7': bumped.sha });
    expect(await productionHas('1.0.7', bumped.images)).toEqual(everyImage(true));
    expect(await productionHas('latest', bumped.images)).toEqual(everyImage(true));
    for (const name of IMAGES) expect(await productionTags(name)).toEqual(['1.0.5', '1.0.6', '1.0.7', 'latest']);
    expect(await pipeline.npmState()).toMatchObject({ versions: ['1.0.6', '1.0.5', '1.0.7'], distTags: { latest: '1.0.7' } });
  });
});

// The tags a publishing job pushes are decided in that job, not taken from prepare: here the
// older run's prepare (and tag job) did not see the newer release yet, as when its prepare
// finished before that release was tagged, or when "Re-run failed jobs" re-runs its promote with
// the first attempt's prepare outputs. Self-contained (offset 10 puts it above the runs before),
// so it also runs alone (-t floating).
describe('with floating-tags, an older run published after a newer release leaves latest, 1 and 1.0 on the newer one', () => {
  let older: PipelineRun;
  let newer: PipelineRun;

  test('run #3 fails its tests; run #4 is released as 1.0.14, and takes 1, 1.0 and latest', async () => {
    pipeline.configure((config) => config.replace('versioning:\n', 'versioning:\n  floating-tags: true\n  offset: 10\n'));
    older = await pipeline.run({ event: 'push', commit: 'feat: floating tags', runNumber: 3, tests: 'failure', version: '1.0.13' });
    expect(older.act.exitCode).not.toBe(0);
    expect(jobResult(older, 'Tag the release')).toEqual([]);
    newer = await pipeline.run({ event: 'push', commit: 'feat: passkey upgrade', runNumber: 4, version: '1.0.14' });
    expectSucceeded(newer);
    expect(await pipeline.remoteTags()).toMatchObject({ 'v1.0.14': newer.sha });
    for (const tag of ['1.0.14', '1', '1.0', 'latest']) expect({ tag, has: await productionHas(tag, newer.images) }).toEqual({ tag, has: everyImage(true) });
    expect((await pipeline.npmState()).distTags).toMatchObject({ latest: '1.0.14' });
  });

  test("re-run of #3, its prepare unaware of v1.0.14: 1.0.13 published and tagged; 1, 1.0 and latest stay on #4's images, npm's latest at 1.0.14", async () => {
    const rerun = await pipeline.run({
      event: 'push',
      sha: older.sha,
      runNumber: 3,
      runAttempt: 2,
      images: older.images,
      version: '1.0.13',
      tagsSeenLate: ['v1.0.14'],
    });
    expectSucceeded(rerun);
    expect(await pipeline.remoteTags()).toMatchObject({ 'v1.0.13': older.sha, 'v1.0.14': newer.sha });
    expect(await productionHas('1.0.13', older.images)).toEqual(everyImage(true));
    for (const tag of ['1', '1.0', 'latest']) expect({ tag, has: await productionHas(tag, newer.images) }).toEqual({ tag, has: everyImage(true) });
    expect((await pipeline.npmState()).distTags).toMatchObject({ latest: '1.0.14', superseded: '1.0.13' });
    // The case holds: prepare took 1.0.13 for the newest release; the publishing jobs, later, did not.
    expect(outputValues(rerun, 'Configuration, publish decision, version', 'is-latest')).toEqual(['true']);
    expect(outputValues(rerun, 'Promote webauthn-server', 'is-latest')).toEqual(['false']);
    expect(outputValues(rerun, 'Publish the client libraries', 'is-latest')).toEqual(['false']);
  });
});
