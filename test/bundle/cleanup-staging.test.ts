// dist/cleanup-staging run as the runner runs it (Node 24), against the GitHub Packages
// API emulator backed by the real staging registry.
import { runBundledAction, type ActionRun } from '../support/action-runner.js';
import { expectNoSecretShown } from '../support/secrets.js';
import { isGone, pullsCompletely } from '../harness/pull-check.js';
import { copy } from '../harness/skopeo.js';
import { stageImage } from '../harness/staging.js';
import { startRegistries, stopWorld, type World } from '../harness/world.js';
import type { ImageLayout } from '../harness/oci-image.js';
import { startGitHubApi, type GitHubApi } from '../github-api/emulator.js';

const TOKEN = 'ghs_bundleWRITE00000000000000000000000';

let world: World;
let api: GitHubApi;
let other: ImageLayout;
beforeAll(async () => {
  world = await startRegistries();
  api = await startGitHubApi({ registry: world.staging, credentials: world.creds.staging.ci, owners: { acme: 'Organization' }, tokens: { [TOKEN]: 'write' } });
  other = await stageImage(world.staging.host, 'acme/server', 'pr-40', world.creds.staging.ci, { layerSizes: [512] });
}, 60_000);
afterAll(async () => {
  await api?.stop();
  await stopWorld(world);
});
afterEach(() => {
  expect(api.violations).toEqual([]);
});

/** The inputs whose defaults are ${{ github.* }} expressions get what a pull-request run would. */
function cleanup(inputs: Record<string, string>): Promise<ActionRun> {
  return runBundledAction('cleanup-staging', {
    inputs: {
      'event-name': 'pull_request',
      ref: 'refs/pull/42/merge',
      'head-commit-message': '',
      owner: 'acme',
      package: 'server',
      'staging-registry': world.staging.host,
      'staging-username': world.creds.staging.ci.username,
      'staging-password': world.creds.staging.ci.password,
      token: TOKEN,
      'github-api-url': api.url,
      ...inputs,
    },
  });
}

const stg = (ref: string) => `${world.staging.host}/acme/server${ref.startsWith('sha256:') ? '@' : ':'}${ref}`;
const deletes = () => api.requests.filter((r) => r.method === 'DELETE').length;

describe('dist/cleanup-staging under Node 24', () => {
  test('a dry run after a pull request lists what would go and why, deletes nothing, and sets every output', async () => {
    const image = await stageImage(world.staging.host, 'acme/server', 'pr-42', world.creds.staging.ci, { attestations: true, layerSizes: [512] });
    const before = deletes();
    const run = await cleanup({ staged: `${world.staging.host}/acme/server:pr-42@${image.digest}`, 'dry-run': 'true' });
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({
      strategy: 'immediate-cleanup',
      reason: 'pull-request build finished: its staging images are no longer needed',
      'deleted-count': '5',
      kept: '[]',
      'kept-count': '0',
      'dry-run': 'true',
    });
    expect(run.outputs.deleted.split('\n')[0]).toBe(image.digest);
    expect(run.outputs.deleted.split('\n').sort()).toEqual(
      [image.digest, ...image.manifests.map((m) => m.digest), ...image.attestations.map((a) => a.digest)].sort(),
    );
    expect(run.stdout).toContain('strategy: immediate-cleanup (pull-request build finished');
    expect(run.stdout).toContain(`would delete server@${image.digest.slice(0, 19)}`);
    expect(run.summary).toContain('<h3>cleanup-staging (dry run)</h3>');
    expect(run.summary).toContain('<td>would delete</td><td>staged by this run</td>');
    expect(deletes()).toBe(before);
    expect(await pullsCompletely(stg('pr-42'), world.creds.staging.ci)).toBe(true);
    expectNoSecretShown(run, [TOKEN, world.creds.staging.ci.password]);

    const real = await cleanup({ staged: 'pr-42' });
    expect(real.exitCode).toBe(0);
    expect(real.outputs['deleted-count']).toBe('5');
    expect(real.outputs['dry-run']).toBe('false');
    expect(real.summary).toContain('<td>deleted</td><td>staged by this run</td>');
    expect(await isGone(stg(image.digest), world.creds.staging.ci)).toBe(true);
    expect(await pullsCompletely(stg('pr-40'), world.creds.staging.ci)).toBe(true);
    expectNoSecretShown(real, [TOKEN, world.creds.staging.ci.password]);
  });

  test('post-production: an image production lacks is kept, reported in the outputs, and fails the step', async () => {
    const promoted = await stageImage(world.staging.host, 'acme/server', 'main-1', world.creds.staging.ci, { layerSizes: [512] });
    const missing = await stageImage(world.staging.host, 'acme/server', 'main-2', world.creds.staging.ci, { layerSizes: [512] });
    await copy(`docker://${stg('main-1')}`, `docker://${world.production.host}/acme/server:1.0.1`, {
      srcCreds: world.creds.staging.ci,
      destCreds: world.creds.production.publisher,
    });
    const run = await cleanup({
      'event-name': 'push',
      ref: 'refs/heads/main',
      'tests-result': 'success',
      'scan-result': 'success',
      'promote-result': 'success',
      'publish-result': 'success',
      staged: `${world.staging.host}/acme/server:main-1@${promoted.digest}\n${world.staging.host}/acme/server:main-2@${missing.digest}`,
      'production-repository': `${world.production.host}/acme/server`,
      'production-username': world.creds.production.reader.username,
      'production-password': world.creds.production.reader.password,
    });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(
      `::error::1 promoted image(s) are not proven to be served by production, so their staging copies were kept: server@${missing.digest}`,
    );
    expect(run.outputs).toMatchObject({ strategy: 'post-production-cleanup', 'deleted-count': String(1 + promoted.manifests.length), 'kept-count': '1' });
    expect(run.outputs.deleted.split('\n').sort()).toEqual([promoted.digest, ...promoted.manifests.map((m) => m.digest)].sort());
    expect(JSON.parse(run.outputs.kept)).toEqual([
      {
        package: 'server',
        digest: missing.digest,
        tags: ['main-2'],
        reason: `protected: not proven in production ${world.production.host}/acme/server (production does not serve the image): its promotion is not verified`,
      },
    ]);
    expect(await isGone(stg(promoted.digest), world.creds.staging.ci)).toBe(true);
    expect(await pullsCompletely(stg('main-2'), world.creds.staging.ci)).toBe(true);
    expectNoSecretShown(run, [TOKEN, world.creds.production.reader.password]);
  });

  test('the last tagged version, which GitHub would refuse, is kept whole with a warning, and the step does not fail', async () => {
    const image = await stageImage(world.staging.host, 'acme/alone', 'pr-1', world.creds.staging.ci, { attestations: true, layerSizes: [512] });
    const run = await cleanup({ package: 'alone', staged: 'pr-1' });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(
      `::warning::kept alone@${image.digest.slice(0, 19)} (pr-1): GitHub refuses to delete the last tagged version of a package, and this cleanup would delete every other tagged version (planned: staged by this run)`,
    );
    expect(run.outputs).toMatchObject({ 'deleted-count': '0', 'kept-count': String(1 + image.manifests.length + image.attestations.length) });
    expect(await pullsCompletely(`${world.staging.host}/acme/alone:pr-1`, world.creds.staging.ci)).toBe(true);
  });

  test('credentials a registry refuses name their inputs; nothing is deleted', async () => {
    const image = await stageImage(world.staging.host, 'acme/server', 'main-3', world.creds.staging.ci, { layerSizes: [512] });
    const before = deletes();
    const production = await cleanup({
      'promote-result': 'success',
      staged: image.digest,
      'production-repository': `${world.production.host}/acme/server`,
      'production-username': 'reader',
      'production-password': 'not-the-password-0123456789',
    });
    expect(production.exitCode).toBe(1);
    expect(production.stdout).toContain(`::error::input "production-username/production-password": ${world.production.host}: the token service`);
    const staging = await cleanup({ staged: image.digest, 'staging-password': 'not-the-password-0123456789' });
    expect(staging.exitCode).toBe(1);
    expect(staging.stdout).toContain(`::error::input "staging-username/staging-password": ${world.staging.host}: the token service`);
    expect(deletes()).toBe(before);
    expect(await pullsCompletely(stg('main-3'), world.creds.staging.ci)).toBe(true);
    expectNoSecretShown(production, ['not-the-password-0123456789', TOKEN]);
  });

  test.each([
    [
      { strategy: 'delete-everything' },
      'input "strategy": unknown strategy "delete-everything"; expected one of immediate-cleanup, post-production-cleanup, conditional-preserve, preserve-for-debug, scheduled-sweep',
    ],
    [{ staged: 'sha256:1234' }, 'input "staged": "sha256:1234" is not a digest (expected sha256: and 64 lowercase hex digits)'],
    [{ staged: 'ghcr.io/acme/server:pr-40' }, 'input "staged": "ghcr.io/acme/server:pr-40" is not in the staging registry 127.0.0.1:PORT'],
    [{ protected: 'sha256:XYZ' }, 'input "protected": "sha256:XYZ" is not a digest'],
    [
      { package: 'no-such-package', staged: 'pr-40' },
      'input "package": container package "no-such-package" of organization acme does not exist, or the token cannot see it (GitHub answered 404',
    ],
    [{ owner: 'nobody', staged: 'pr-40' }, 'input "owner": no GitHub user or organization named "nobody" (GitHub answered 404)'],
    [{ token: '' }, 'input "token": is required and was empty'],
    [{ package: '' }, 'input "package": is empty and no staged image reference names a package'],
    [{ 'tests-result': 'passed' }, 'input "tests-result": "passed" is not a job result; expected success, failure, cancelled, skipped or empty'],
    [
      { 'promote-result': 'success', staged: 'pr-40' },
      'input "production-repository": is required for post-production-cleanup, which verifies each image in production before deleting its staging copy; missing for: server',
    ],
    // Production that is staging: every image would be "verified" against itself, then deleted.
    [
      { 'promote-result': 'success', staged: 'pr-40', 'production-repository': '127.0.0.1:PORT/acme/server' },
      'input "production-repository": "127.0.0.1:PORT/acme/server" is the staging repository of package server itself; name the production repository its images are promoted to',
    ],
    [{ 'keep-last': '-1' }, 'input "keep-last": expected at least 0, got -1'],
    [{ 'production-branch': 'main\npublish=true' }, 'input "production-branch": "main\\npublish=true" is not a valid git branch name: it contains "\\n"'],
    [{ concurrency: '100' }, 'input "concurrency": expected at most 16, got 100'],
  ])('bad input %j fails with nothing deleted', async (inputs, message) => {
    const before = deletes();
    const here = (text: string) => text.replaceAll('127.0.0.1:PORT', world.staging.host);
    const run = await cleanup({ staged: 'pr-40', ...Object.fromEntries(Object.entries(inputs as Record<string, string>).map(([k, v]) => [k, here(v)])) });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(`::error::${here(message)}`);
    expect(run.outputs).toEqual({});
    expect(deletes()).toBe(before);
    expect(await pullsCompletely(stg('pr-40'), world.creds.staging.ci)).toBe(true);
    expect(other.digest).toMatch(/^sha256:/);
  });
});
