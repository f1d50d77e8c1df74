// Every client of the suite through a forward proxy named by HTTP_PROXY/HTTPS_PROXY, and
// straight to its server for the hosts NO_PROXY names: the registries and their token
// services (promote-image, blobs included), GitHub's API through Octokit (cleanup-staging),
// the Central Portal and the npm CLI publishing to Verdaccio (publish-clients). The services
// are plain HTTP on 127.0.0.1, which undici's EnvHttpProxyAgent and npm proxy like any other
// host (loopback is not exempt), so the proxy sees them unless NO_PROXY names them.
// undici reads the proxy variables when the proxy-aware pool is first made, on the first
// request made with one set: they are set before this file makes any request. NO_PROXY,
// which undici reads on each request, is set per test.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ContainerPackages } from '@ci-actions/publishing/github/packages.js';
import { CentralPortal } from '@ci-actions/publishing/maven/portal.js';
import { promoteImage } from '@ci-actions/publishing/oci/promote.js';
import { parseReference } from '@ci-actions/publishing/oci/reference.js';
import { startCentralPortal, type CentralPortalStandIn } from '../central-portal/server.js';
import { FIXTURE_GROUP_ID } from '../central-portal/maven.js';
import { startGitHubApi, type GitHubApi } from '../github-api/emulator.js';
import { startForwardProxy, type ForwardProxy } from '../harness/forward-proxy.js';
import { inspectRaw } from '../harness/skopeo.js';
import { stageImage } from '../harness/staging.js';
import { startVerdaccio, stopVerdaccio, type Verdaccio } from '../harness/verdaccio.js';
import { startRegistries, stopWorld, type World } from '../harness/world.js';
import { captureLog } from '../support/capture-log.js';
import { releaseNpm } from '../support/npm-release.js';

const run = promisify(execFile);
const TOKEN = 'ghs_proxyTESTtoken000000000000000000';
const FAST_RETRY = { attempts: 2, baseDelayMs: 20, maxDelayMs: 200 };
const acme = { login: 'acme', kind: 'org' as const };

let proxy: ForwardProxy;
let world: World;
let api: GitHubApi;
let portal: CentralPortalStandIn;
let verdaccio: Verdaccio;

beforeAll(async () => {
  proxy = await startForwardProxy();
  // undici and npm prefer the lower-case names: a machine's own must not take over.
  for (const name of ['http_proxy', 'https_proxy', 'no_proxy', 'NO_PROXY']) delete process.env[name];
  process.env.HTTP_PROXY = proxy.url;
  process.env.HTTPS_PROXY = proxy.url;
  world = await startRegistries();
  api = await startGitHubApi({ registry: world.staging, credentials: world.creds.staging.ci, owners: { acme: 'Organization' }, tokens: { [TOKEN]: 'write' } });
  portal = await startCentralPortal({ users: { publisher: 'secret-password' }, namespaces: [FIXTURE_GROUP_ID], publicKeys: [] });
  verdaccio = await startVerdaccio();
}, 120_000);
afterAll(async () => {
  await stopVerdaccio(verdaccio);
  await portal?.stop();
  await api?.stop();
  await stopWorld(world);
  await proxy?.stop();
  for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY']) delete process.env[name];
});
beforeEach(() => {
  proxy.log.length = 0;
  delete process.env.NO_PROXY;
});

const origin = (url: string) => new URL(url).origin;
/** The requests the proxy forwarded to `url`'s origin. */
const proxiedTo = (url: string) => proxy.log.filter((line) => line.split(' ')[1]?.startsWith(`${origin(url)}/`));

async function promote(tag: string): Promise<string> {
  const image = await stageImage(world.staging.host, 'acme/proxied', tag, world.creds.staging.ci, { layerSizes: [2048, 1024] });
  await promoteImage({
    source: parseReference(`${world.staging.host}/acme/proxied@${image.digest}`),
    destinations: [parseReference(`${world.production.host}/acme/proxied:${tag}`)],
    sourceCredentials: world.creds.staging.ci,
    destinationCredentials: world.creds.production.publisher,
    log: captureLog(),
    retry: FAST_RETRY,
  });
  expect((await inspectRaw(`docker://${world.production.host}/acme/proxied:${tag}`, world.creds.production.reader)).equals(image.raw)).toBe(true);
  return image.digest;
}

/** publish-clients' npm release of the fixture client at `version` to Verdaccio, with the real npm CLI. */
async function publishNpm(version: string): Promise<void> {
  const results = await releaseNpm({
    packagePaths: ['test/fixtures/npm-client'],
    workspace: path.resolve('.'),
    version,
    distTag: 'latest',
    registry: verdaccio.url,
    scope: '@acme',
    access: 'public',
    provenance: false,
    staged: false,
    repository: 'acme/clients',
    token: verdaccio.token,
    tempRoot: mkdtempSync(path.join(tmpdir(), 'runner-temp-')),
    log: captureLog(),
  });
  expect(results).toEqual([{ name: '@acme/client', version, distTag: 'latest', outcome: 'published' }]);
}

/** The version a consumer's npm resolves `spec` to, asked straight (NO_PROXY names Verdaccio). */
async function resolvedVersion(spec: string): Promise<string> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'consumer-'));
  writeFileSync(path.join(cwd, '.npmrc'), `//${new URL(verdaccio.url).host}/:_authToken=${verdaccio.token}\n`);
  const env = { ...process.env, NO_PROXY: new URL(verdaccio.url).hostname };
  const { stdout } = await run('npm', ['view', spec, 'version', '--json', '--registry', verdaccio.url, '--userconfig', path.join(cwd, '.npmrc')], { cwd, env });
  return JSON.parse(stdout) as string;
}

describe('HTTP_PROXY and NO_PROXY', () => {
  test('promote-image reaches both registries and their token services through the proxy, blobs included', async () => {
    const digest = await promote('through');
    for (const registry of [world.staging, world.production]) {
      expect(proxiedTo(registry.url)).toContain(`GET ${registry.url}/v2/`);
      expect(proxiedTo(registry.tokenServer.realm).length).toBeGreaterThan(0);
    }
    expect(proxiedTo(world.staging.url)).toContain(`GET ${world.staging.url}/v2/acme/proxied/manifests/${digest}`);
    expect(proxiedTo(world.staging.url).some((line) => line.startsWith(`GET ${world.staging.url}/v2/acme/proxied/blobs/`))).toBe(true);
    expect(proxiedTo(world.production.url).some((line) => line.startsWith(`PUT ${world.production.url}/v2/acme/proxied/blobs/uploads/`))).toBe(true);
  });

  test('promote-image goes straight to the registry NO_PROXY names, and through the proxy to the other', async () => {
    process.env.NO_PROXY = `example.com, ${world.production.host}`;
    await promote('bypass');
    expect(proxiedTo(world.production.url)).toEqual([]);
    expect(proxiedTo(world.staging.url).length).toBeGreaterThan(0);
  });

  test("cleanup-staging lists and deletes versions through GitHub's API by the proxy, and straight when NO_PROXY names it", async () => {
    const first = await stageImage(world.staging.host, 'acme/swept', 'pr-1', world.creds.staging.ci, { layerSizes: [512] });
    const second = await stageImage(world.staging.host, 'acme/swept', 'pr-2', world.creds.staging.ci, { layerSizes: [256] });
    // GitHub refuses to delete a package's last tagged version: this one stays.
    await stageImage(world.staging.host, 'acme/swept', 'pr-3', world.creds.staging.ci, { layerSizes: [128] });
    const github = new ContainerPackages({ token: TOKEN, apiUrl: api.url, log: captureLog(), retry: FAST_RETRY });
    const byDigest = async (digest: string) => (await github.listVersions(acme, 'swept')).find((v) => v.digest === digest);

    proxy.log.length = 0;
    expect(await github.deleteVersion(acme, 'swept', (await byDigest(first.digest))!)).toBe('deleted');
    expect(await byDigest(first.digest)).toBeUndefined();
    expect(proxiedTo(api.url).some((line) => line.startsWith(`GET ${api.url}/orgs/acme/packages/container/swept/versions`))).toBe(true);
    expect(proxiedTo(api.url).some((line) => line.startsWith(`DELETE ${api.url}/orgs/acme/packages/container/swept/versions/`))).toBe(true);

    proxy.log.length = 0;
    process.env.NO_PROXY = new URL(api.url).host;
    expect(await github.deleteVersion(acme, 'swept', (await byDigest(second.digest))!)).toBe('deleted');
    expect(await byDigest(second.digest)).toBeUndefined();
    expect(proxiedTo(api.url)).toEqual([]);
  });

  test('publish-clients reaches the Central Portal through the proxy, and straight when NO_PROXY names it', async () => {
    const central = new CentralPortal({ url: portal.url, username: 'publisher', password: 'secret-password', log: captureLog(), retry: FAST_RETRY });
    const component = { groupId: FIXTURE_GROUP_ID, artifactId: 'proxied', version: '1.0.0' };
    expect(await central.isPublished(component)).toBe(false);
    expect(proxiedTo(portal.url)).toEqual([`GET ${origin(portal.url)}/api/v1/publisher/published`]);

    proxy.log.length = 0;
    process.env.NO_PROXY = new URL(portal.url).hostname;
    expect(await central.isPublished(component)).toBe(false);
    expect(proxiedTo(portal.url)).toEqual([]);
  });

  test('publish-clients publishes to npm through the proxy, and straight when NO_PROXY names the registry', async () => {
    await publishNpm('1.0.0');
    expect(proxiedTo(verdaccio.url).some((line) => line.startsWith(`PUT ${origin(verdaccio.url)}/@acme%2fclient`))).toBe(true);
    expect(await resolvedVersion('@acme/client@1.0.0')).toBe('1.0.0');

    proxy.log.length = 0;
    // npm matches NO_PROXY by host name only (@npmcli/agent), undici by name and port.
    process.env.NO_PROXY = new URL(verdaccio.url).hostname;
    await publishNpm('1.0.1');
    expect(proxiedTo(verdaccio.url)).toEqual([]);
    expect(await resolvedVersion('@acme/client@1.0.1')).toBe('1.0.1');
  });
});
