// Every client of the suite through a forward proxy named by HTTP_PROXY/HTTPS_PROXY, and
// straight to its server for the hosts NO_PROXY names: the registries and their token
// services (promote-image), GitHub's API through Octokit (cleanup-staging) and the Central
// Portal (publish-clients). The services are plain HTTP on 127.0.0.1, which undici's
// EnvHttpProxyAgent proxies like any other host (loopback is not exempt; see
// packages/core/src/http/dispatcher.ts), so the proxy sees them unless NO_PROXY names them.
// The proxy variables are read when the suite's one pool is first made: they are set
// before this file makes any request, and NO_PROXY, which undici reads on each request,
// per test.
import { ContainerPackages } from '../../packages/core/src/github/packages.js';
import { CentralPortal } from '../../packages/core/src/maven/portal.js';
import { promoteImage } from '../../packages/core/src/oci/promote.js';
import { parseReference } from '../../packages/core/src/oci/reference.js';
import { startCentralPortal, type CentralPortalStandIn } from '../central-portal/server.js';
import { FIXTURE_GROUP_ID } from '../central-portal/maven.js';
import { startGitHubApi, type GitHubApi } from '../github-api/emulator.js';
import { startForwardProxy, type ForwardProxy } from '../harness/forward-proxy.js';
import { inspectRaw } from '../harness/skopeo.js';
import { stageImage } from '../harness/staging.js';
import { startRegistries, stopWorld, type World } from '../harness/world.js';
import { captureLog } from '../support/capture-log.js';

const TOKEN = 'ghs_proxyTESTtoken000000000000000000';
const FAST_RETRY = { attempts: 2, baseDelayMs: 20, maxDelayMs: 200 };

let proxy: ForwardProxy;
let world: World;
let api: GitHubApi;
let portal: CentralPortalStandIn;

beforeAll(async () => {
  proxy = await startForwardProxy();
  // undici prefers the lower-case names: a machine's own must not take over.
  for (const name of ['http_proxy', 'https_proxy', 'no_proxy', 'NO_PROXY']) delete process.env[name];
  process.env.HTTP_PROXY = proxy.url;
  process.env.HTTPS_PROXY = proxy.url;
  world = await startRegistries();
  api = await startGitHubApi({ registry: world.staging, credentials: world.creds.staging.ci, owners: { acme: 'Organization' }, tokens: { [TOKEN]: 'write' } });
  portal = await startCentralPortal({ users: { publisher: 'secret-password' }, namespaces: [FIXTURE_GROUP_ID], publicKeys: [] });
}, 60_000);
afterAll(async () => {
  await portal?.stop();
  await api?.stop();
  await stopWorld(world);
  await proxy?.stop();
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

  test("cleanup-staging reaches GitHub's API through the proxy, and straight when NO_PROXY names it", async () => {
    await stageImage(world.staging.host, 'acme/swept', 'pr-1', world.creds.staging.ci, { layerSizes: [512] });
    const github = new ContainerPackages({ token: TOKEN, apiUrl: api.url, log: captureLog(), retry: FAST_RETRY });
    const versions = await github.listVersions({ login: 'acme', kind: 'org' }, 'swept');
    expect(versions.map((v) => v.tags)).toContainEqual(['pr-1']);
    expect(proxiedTo(api.url).some((line) => line.startsWith(`GET ${api.url}/orgs/acme/packages/container/swept/versions`))).toBe(true);

    proxy.log.length = 0;
    process.env.NO_PROXY = new URL(api.url).host;
    expect(await github.listVersions({ login: 'acme', kind: 'org' }, 'swept')).toEqual(versions);
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
});
