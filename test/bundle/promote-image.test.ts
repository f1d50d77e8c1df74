// dist/promote-image run as the runner runs it (Node 24), against the real registries.
import { runBundledAction, type ActionRun } from '../support/action-runner.js';
import { expectNoSecretShown } from '../support/secrets.js';
import { startForwardProxy } from '../harness/forward-proxy.js';
import { inspectRaw } from '../harness/skopeo.js';
import { stageImage } from '../harness/staging.js';
import { startRegistries, stopWorld, type World } from '../harness/world.js';
import type { ImageLayout } from '../harness/oci-image.js';
import { startDockerHubApi, type DockerHubApi } from '../dockerhub-api/server.js';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

let world: World;
let image: ImageLayout;
beforeAll(async () => {
  world = await startRegistries();
  image = await stageImage(world.staging.host, 'acme/server', 'sha-1234567', world.creds.staging.ci, { attestations: true });
}, 60_000);
afterAll(() => stopWorld(world));

type Dirs = { workspace: string; temp: string; outside: string };

function promote(inputs: Record<string, string>, workspace?: string, env?: Record<string, string>): Promise<ActionRun> {
  return runBundledAction('promote-image', {
    ...(workspace ? { cwd: workspace } : {}),
    ...(env ? { env } : {}),
    inputs: {
      source: `${world.staging.host}/acme/server:sha-1234567`,
      destination: `${world.production.host}/acme/server`,
      tags: '1.0.7\nlatest',
      'source-username': world.creds.staging.ci.username,
      'source-password': world.creds.staging.ci.password,
      'destination-username': world.creds.production.publisher.username,
      'destination-password': world.creds.production.publisher.password,
      ...inputs,
    },
  });
}

describe('dist/promote-image under Node 24', () => {
  test('promotes by digest, sets every output, writes a summary table', async () => {
    const run = await promote({});
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({
      digest: image.digest,
      'source-digest': image.digest,
      'promoted-refs': `${world.production.host}/acme/server:1.0.7\n${world.production.host}/acme/server:latest`,
      'blobs-mounted': '0',
      'blobs-skipped': '0',
      'dry-run': 'false',
    });
    expect(JSON.parse(run.outputs['previous-digests'])).toEqual({
      [`${world.production.host}/acme/server:1.0.7`]: '',
      [`${world.production.host}/acme/server:latest`]: '',
    });
    expect(Number(run.outputs['bytes-copied'])).toBeGreaterThan(0);
    expect(run.summary).toContain(`<td>${world.production.host}/acme/server:1.0.7</td>`);
    expect(run.stdout).toContain('::group::Promote');
    expect((await inspectRaw(`docker://${world.production.host}/acme/server:latest`, world.creds.production.reader)).equals(image.raw)).toBe(true);
    expectNoSecretShown(run, [world.creds.staging.ci.password, world.creds.production.publisher.password]);
  });

  test('through HTTP_PROXY: the bundle loads its undici chunk, and every request, blobs included, goes by the proxy', async () => {
    const proxy = await startForwardProxy();
    try {
      const run = await promote({ destination: `${world.production.host}/acme/proxied`, tags: 'proxied' }, undefined, { HTTP_PROXY: proxy.url });
      expect(run.stderr).toBe('');
      expect(run.exitCode).toBe(0);
      const origins = new Set(proxy.log.map((line) => new URL(line.split(' ')[1]).origin));
      expect(origins).toEqual(
        new Set([world.staging.url, world.production.url, ...[world.staging, world.production].map((r) => new URL(r.tokenServer.realm).origin)]),
      );
      expect(proxy.log.some((line) => line.startsWith(`GET ${world.staging.url}/v2/acme/server/blobs/`))).toBe(true);
      expect((await inspectRaw(`docker://${world.production.host}/acme/proxied:proxied`, world.creds.production.reader)).equals(image.raw)).toBe(true);
    } finally {
      await proxy.stop();
    }
  });

  test('registry-auth alone carries the destination credentials: the bundle loads its YAML parser then, and masks the password', async () => {
    const { username, password } = world.creds.production.publisher;
    const run = await promote({
      destination: `${world.production.host}/acme/by-registry-auth`,
      tags: 'yaml',
      'destination-username': '',
      'destination-password': '',
      'registry-auth': `- registry: ${world.production.host}\n  username: ${username}\n  password: ${password}\n`,
    });
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(`::add-mask::${password}`);
    expect((await inspectRaw(`docker://${world.production.host}/acme/by-registry-auth:yaml`, world.creds.production.reader)).equals(image.raw)).toBe(true);
    expectNoSecretShown(run, [world.creds.staging.ci.password, password]);
  });

  test('dry-run prints the plan in the step log, a line per blob, manifest and tag, writes it to the job summary, and writes nothing', async () => {
    const run = await promote({ 'dry-run': 'true', destination: `${world.production.host}/acme/dry-server`, tags: '1.0.8' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs['dry-run']).toBe('true');
    const group = run.stdout.slice(run.stdout.indexOf('::group::Plan '), run.stdout.indexOf('::endgroup::'));
    const short = (digest: string) => digest.slice(0, 19);
    expect(group).toContain(`\n${world.production.host}/acme/dry-server:\n`);
    for (const m of image.manifests) {
      expect(group).toContain(`  manifest ${short(m.digest)} (${m.platform.os}/${m.platform.architecture}): push\n`);
      for (const blob of [m.configDigest, ...m.layers.map((l) => l.digest)]) expect(group).toMatch(new RegExp(`  blob ${short(blob)} \\([^)]+\\): copy\n`));
    }
    expect(group).toContain(`  manifest ${short(image.digest)} (index): push\n`);
    expect(group).toContain(`tags, set last:\n  ${world.production.host}/acme/dry-server tag 1.0.8 -> ${short(image.digest)}: tag (new)\n`);
    expect(group).toMatch(
      /\ntotal: blobs: \d+ to copy \([^)]+\), 0 to mount, 0 already there; manifests: \d+ to push, 0 already there; tags: 1 to set, 0 already there\n/,
    );
    expect(run.summary).toContain('promote-image plan');
    expect(run.summary).toContain(`<td>${world.production.host}/acme/dry-server</td><td>tag 1.0.8 -> ${short(image.digest)}</td><td>tag (new)</td>`);
    await expect(inspectRaw(`docker://${world.production.host}/acme/dry-server:1.0.8`, world.creds.production.reader)).rejects.toThrow();
    await expect(inspectRaw(`docker://${world.production.host}/acme/dry-server@${image.digest}`, world.creds.production.reader)).rejects.toThrow();
  });

  test('a wrong destination password fails the step, names the registry and user, shows no secret', async () => {
    const password = 'not-the-password-0123456789';
    const run = await promote({ 'destination-password': password, tags: 'wrong-pass' });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(`::error::input "destination-username/destination-password": ${world.production.host}: the token service`);
    expect(run.stdout).toContain('rejected the credentials of user "publisher"');
    expect(run.outputs).toEqual({});
    expectNoSecretShown(run, [password, Buffer.from(`publisher:${password}`).toString('base64'), world.creds.staging.ci.password]);
  });

  test('credentials that cannot push name the destination inputs and the registry answer; nothing tagged', async () => {
    const run = await promote({ 'destination-username': 'reader', 'destination-password': world.creds.production.reader.password, tags: 'reader-push' });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/::error::input "destination-username\/destination-password": .*HTTP 401 UNAUTHORIZED.*lack the permission/);
    await expect(inspectRaw(`docker://${world.production.host}/acme/server:reader-push`, world.creds.production.reader)).rejects.toThrow();
  });

  test.each([
    [
      { source: 'ghcr.io/Acme/server:1' },
      'input "source": "ghcr.io/Acme/server:1" is not a valid image reference: "Acme" is not a valid path component: repository names must be lowercase',
    ],
    [{ tags: '' }, 'input "destination": "127.0.0.1:PORT/acme/server" has no tag and the input "tags" is empty; give tags, or a tag in the destination'],
    [{ 'destination-password': '' }, 'input "destination-password": is empty while destination-username is set'],
    [{ platforms: 'arm64' }, 'input "platforms": "arm64" is not os/arch[/variant], e.g. linux/arm64'],
    [{ concurrency: '0' }, 'input "concurrency": expected at least 1, got 0'],
    [{ 'dry-run': 'yes' }, 'input "dry-run": expected true or false, got "yes"'],
  ])('bad input %j fails before any registry is touched', async (inputs, message) => {
    const before = world.production.tokenServer.requests.length;
    const run = await promote(inputs);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(`::error::${message.replace('127.0.0.1:PORT', world.production.host)}`);
    expect(world.production.tokenServer.requests.length).toBe(before);
  });
});

describe('dist/promote-image: record-file is written only inside the workspace or the runner temporary directory', () => {
  /** A runner's directories: <base>/checkout the workspace, <base>/temp RUNNER_TEMP, <base>/outside neither. */
  function runner() {
    const base = realpathSync(mkdtempSync(path.join(tmpdir(), 'runner-')));
    const dirs = { workspace: path.join(base, 'checkout'), temp: path.join(base, 'temp'), outside: path.join(base, 'outside') };
    for (const dir of Object.values(dirs)) mkdirSync(dir);
    return dirs;
  }

  test('runner.temp/promotion.json, as the stage gate gives it, holds the record', async () => {
    const dirs = runner();
    const run = await promote({ tags: 'recorded', 'record-file': path.join(dirs.temp, 'promotion.json') }, dirs.workspace, { RUNNER_TEMP: dirs.temp });
    expect(run.stdout).not.toContain('::error');
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(readFileSync(path.join(dirs.temp, 'promotion.json'), 'utf8'))).toMatchObject({ stagedDigest: image.digest, dryRun: false });
  });

  test.each([
    ['a path outside both', (dirs: Dirs) => path.join(dirs.outside, 'promotion.json'), 'OUTSIDE/promotion.json'],
    ['.. out of the workspace', () => '../outside/promotion.json', 'OUTSIDE/promotion.json'],
    [
      'a symlink in the workspace to a file outside',
      (dirs: Dirs) => (symlinkSync(path.join(dirs.outside, 'runner.env'), path.join(dirs.workspace, 'promotion.json')), 'promotion.json'),
      'OUTSIDE/runner.env',
    ],
  ])('%s is refused naming record-file, before any registry is touched; nothing is written there', async (_, given, resolved) => {
    const dirs = runner();
    writeFileSync(path.join(dirs.outside, 'runner.env'), 'KEEP=1\n');
    const file = given(dirs);
    const before = world.production.tokenServer.requests.length;
    const run = await promote({ tags: 'refused-record', 'record-file': file }, dirs.workspace, { RUNNER_TEMP: dirs.temp });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(
      `::error::input "record-file": "${file}" resolves to ${resolved.replace('OUTSIDE', dirs.outside)}, outside the workspace ${dirs.workspace} and the runner's temporary directory ${dirs.temp}; expected a path inside one of them`,
    );
    expect(world.production.tokenServer.requests.length).toBe(before);
    expect(readdirSync(dirs.outside)).toEqual(['runner.env']);
    expect(readFileSync(path.join(dirs.outside, 'runner.env'), 'utf8')).toBe('KEEP=1\n');
  });
});

describe('dist/promote-image: Docker Hub description', () => {
  let hub: DockerHubApi;
  // The checkout the step runs in, with the README it publishes.
  let workspace: string;
  beforeAll(async () => {
    hub = await startDockerHubApi(
      {
        publisher: { password: world.creds.production.publisher.password, admin: ['acme'] },
        reader: { password: world.creds.production.reader.password, admin: [] },
        // A Docker Hub user of its own, admin of the team namespace the publisher may not edit.
        'hub-admin': { password: 'hub-admin-password-0123', admin: ['team'] },
      },
      ['acme/server', 'other/server', 'team/server'],
    );
    workspace = path.join(mkdtempSync(path.join(tmpdir(), 'runner-')), 'checkout');
    mkdirSync(workspace);
    writeFileSync(path.join(workspace, 'README.md'), '# server\n\nThe WebAuthn server.\n');
    writeFileSync(path.join(workspace, '..', 'runner.env'), 'TOKEN=not-for-docker-hub\n');
  });
  afterAll(() => hub.stop());
  afterEach(() => {
    expect(hub.violations).toEqual([]);
  });

  const withHub = (inputs: Record<string, string>) =>
    promote(
      {
        'dockerhub-api-url': hub.url,
        'dockerhub-repository': 'acme/server',
        'dockerhub-readme-file': 'README.md',
        'dockerhub-description': 'WebAuthn server',
        ...inputs,
      },
      workspace,
    );

  test('sets the short and full description after the promotion', async () => {
    const run = await withHub({ tags: 'with-description' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs['description-updated']).toBe('true');
    expect(hub.repositories.get('acme/server')).toMatchObject({ description: 'WebAuthn server', full_description: '# server\n\nThe WebAuthn server.\n' });
  });

  test('bad Docker Hub credentials fail the step before anything is promoted, naming the inputs they came from', async () => {
    const run = await withHub({ tags: 'hub-bad-creds', 'destination-password': 'wrong-hub-password-42' });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(
      '::error::input "destination-username/destination-password": Docker Hub rejected the credentials of user "publisher" (HTTP 401: Incorrect authentication credentials)',
    );
    await expect(inspectRaw(`docker://${world.production.host}/acme/server:hub-bad-creds`, world.creds.production.reader)).rejects.toThrow();
    expectNoSecretShown(run, ['wrong-hub-password-42']);
  });

  test('a description Docker Hub refuses after the promotion warns: the images stand, description-updated is false', async () => {
    const run = await withHub({ tags: 'hub-no-admin', 'dockerhub-repository': 'other/server' });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(
      `::warning::the images are promoted, but the Docker Hub description of other/server was not updated: input "destination-username/destination-password": PATCH ${hub.url}/v2/repositories/other/server/: HTTP 403: You do not have permission to perform this action.; the user "publisher" needs admin rights on the repository`,
    );
    expect(run.outputs['description-updated']).toBe('false');
    expect(run.summary).toContain('<td>Docker Hub description of other/server</td>');
    expect(run.summary).toContain('not updated: input "destination-username/destination-password": PATCH');
    expect(hub.repositories.get('other/server')!.description).toBe('');
    expect((await inspectRaw(`docker://${world.production.host}/acme/server:hub-no-admin`, world.creds.production.reader)).equals(image.raw)).toBe(true);
  });

  test('with dockerhub-description-required, a refused description fails the step, naming the credential inputs', async () => {
    const run = await withHub({ tags: 'hub-required', 'dockerhub-repository': 'other/server', 'dockerhub-description-required': 'true' });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(
      `::error::input "destination-username/destination-password": PATCH ${hub.url}/v2/repositories/other/server/: HTTP 403: You do not have permission to perform this action.; the user "publisher" needs admin rights on the repository`,
    );
    expect(hub.repositories.get('other/server')!.description).toBe('');
  });

  test('dockerhub-username/dockerhub-password update the description; the destination credentials push', async () => {
    const run = await withHub({
      tags: 'hub-own-creds',
      'dockerhub-repository': 'team/server',
      'dockerhub-username': 'hub-admin',
      'dockerhub-password': 'hub-admin-password-0123',
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs['description-updated']).toBe('true');
    expect(hub.repositories.get('team/server')).toMatchObject({ description: 'WebAuthn server', full_description: '# server\n\nThe WebAuthn server.\n' });
    expect((await inspectRaw(`docker://${world.production.host}/acme/server:hub-own-creds`, world.creds.production.reader)).equals(image.raw)).toBe(true);
    expectNoSecretShown(run, ['hub-admin-password-0123']);
  });

  test('refused dockerhub-username/dockerhub-password are named as such, before anything is promoted', async () => {
    const run = await withHub({ tags: 'hub-own-bad', 'dockerhub-username': 'hub-admin', 'dockerhub-password': 'not-the-hub-password' });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('::error::input "dockerhub-username/dockerhub-password": Docker Hub rejected the credentials of user "hub-admin"');
    await expect(inspectRaw(`docker://${world.production.host}/acme/server:hub-own-bad`, world.creds.production.reader)).rejects.toThrow();
  });

  test("the README's relative links and images point into the repository at the commit built", async () => {
    mkdirSync(path.join(workspace, 'docker'), { recursive: true });
    writeFileSync(path.join(workspace, 'docker', 'README.md'), '![logo](logo.png) [license](../LICENSE) [usage](#usage) [site](https://acme.io)\n');
    const sha = 'c0ffee0000000000000000000000000000000042';
    const run = await promote(
      { 'dockerhub-api-url': hub.url, 'dockerhub-repository': 'acme/server', 'dockerhub-readme-file': 'docker/README.md', tags: 'hub-urls' },
      workspace,
      { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/server-src', GITHUB_SHA: sha },
    );
    expect(run.exitCode).toBe(0);
    expect(hub.repositories.get('acme/server')!.full_description).toBe(
      `![logo](https://github.com/acme/server-src/raw/${sha}/docker/logo.png) [license](https://github.com/acme/server-src/blob/${sha}/LICENSE) [usage](#usage) [site](https://acme.io)\n`,
    );
  });

  test('a short description over 100 bytes is refused before any request', async () => {
    const before = hub.requests.length;
    const run = await withHub({ 'dockerhub-description': 'x'.repeat(101) });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('::error::input "dockerhub-description": the short description has 101 bytes; Docker Hub takes at most 100 bytes');
    expect(hub.requests.length).toBe(before);
  });

  test.each([
    [
      '/proc/self/environ',
      /input "dockerhub-readme-file": "\/proc\/self\/environ" resolves to \/proc\/\d+\/environ, outside the workspace .*; expected a path inside the workspace/,
    ],
    [
      '../runner.env',
      /input "dockerhub-readme-file": "\.\.\/runner\.env" resolves to \/.*\/runner\.env, outside the workspace .*\/checkout; expected a path inside the workspace/,
    ],
    ['/dev/zero', /input "dockerhub-readme-file": "\/dev\/zero" resolves to \/dev\/zero, outside the workspace/],
  ])('dockerhub-readme-file %s fails naming the input; nothing is promoted, the Hub is not called', async (readmeFile, message) => {
    const hubRequests = hub.requests.length;
    const registryRequests = world.production.tokenServer.requests.length;
    const run = await withHub({ tags: 'readme-refused', 'dockerhub-readme-file': readmeFile });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`::error::${message.source}`));
    expect(run.outputs).toEqual({});
    expect(hub.requests.length).toBe(hubRequests);
    expect(world.production.tokenServer.requests.length).toBe(registryRequests);
    await expect(inspectRaw(`docker://${world.production.host}/acme/server:readme-refused`, world.creds.production.reader)).rejects.toThrow();
    expectNoSecretShown(run, [world.creds.production.publisher.password, world.creds.staging.ci.password]);
  });

  test('a README over what Docker Hub takes is refused with its limit, before any request', async () => {
    const hubRequests = hub.requests.length;
    writeFileSync(path.join(workspace, 'LONG.md'), 'x'.repeat(25_001));
    writeFileSync(path.join(workspace, 'HUGE.md'), 'x'.repeat(1024 * 1024));
    const long = await withHub({ 'dockerhub-readme-file': 'LONG.md' });
    const huge = await withHub({ 'dockerhub-readme-file': 'HUGE.md' });
    expect(long.stdout).toContain('::error::input "dockerhub-readme-file": the full description has 25001 bytes; Docker Hub takes at most 25000 bytes');
    expect(huge.stdout).toMatch(/::error::input "dockerhub-readme-file": "HUGE\.md" \(.*\/HUGE\.md\) has 1\.0 MB; expected at most 32\.4 KB/);
    expect(hub.requests.length).toBe(hubRequests);
  });
});
