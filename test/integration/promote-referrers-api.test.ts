// Promotion where one side serves the OCI 1.1 referrers API (go-containerregistry's registry)
// and the other only the tag fallback (distribution): signatures and SBOMs must stay
// discoverable at the destination by the means that destination has. Outcomes are read
// back with skopeo and with plain HTTP requests to the referrers endpoint.
import { buildImage, type ImageLayout } from '../harness/oci-image.js';
import { buildReferrer, type ReferrerLayout } from '../harness/oci-artifact.js';
import { httpRequest } from '../harness/http.js';
import { startReferrersRegistry, type ReferrersRegistry } from '../harness/referrers-registry.js';
import { inspectRaw, listTags, pushLayout } from '../harness/skopeo.js';
import { stageImage, stageReferrer } from '../harness/staging.js';
import { startRegistries, stopWorld, type World } from '../harness/world.js';
import { promoteImage } from '@ci-actions/publishing/oci/promote.js';
import { parseReference } from '@ci-actions/publishing/oci/reference.js';
import { RegistryClient } from '@ci-actions/publishing/oci/registry-client.js';
import type { Descriptor } from '@ci-actions/publishing/oci/types.js';
import { captureLog } from '../support/capture-log.js';

const FAST_RETRY = { attempts: 3, baseDelayMs: 20, maxDelayMs: 200 };

let world: World;
let withApi: ReferrersRegistry;
let otherWithApi: ReferrersRegistry;
beforeAll(async () => {
  [world, withApi, otherWithApi] = await Promise.all([startRegistries(), startReferrersRegistry(), startReferrersRegistry()]);
}, 600_000);
afterAll(async () => {
  await Promise.all([stopWorld(world), withApi?.stop(), otherWithApi?.stop()]);
});

/** What GET /v2/<repository>/referrers/<digest> lists, by digest. */
async function listedByApi(registry: ReferrersRegistry, repository: string, digest: string): Promise<string[]> {
  const res = await httpRequest(`${registry.url}/v2/${repository}/referrers/${digest}`, { headers: { Accept: 'application/vnd.oci.image.index.v1+json' } });
  expect(res.status).toBe(200);
  return (JSON.parse(res.body.toString('utf8')) as { manifests: { digest: string }[] }).manifests.map((m) => m.digest);
}

/** An image and an SBOM about it in a registry with the referrers API: no fallback tag is written there. */
async function stageWithApi(registry: ReferrersRegistry, repository: string): Promise<{ image: ImageLayout; sbom: ReferrerLayout }> {
  const image = await buildImage({ name: repository, attestations: true });
  await pushLayout(image, `docker://${registry.host}/${repository}:build`);
  const sbom = await buildReferrer({ subject: image.descriptor, artifactType: 'application/spdx+json', payload: '{"spdxVersion":"SPDX-2.3"}' });
  await pushLayout(sbom, `docker://${registry.host}/${repository}:sbom-upload`);
  return { image, sbom };
}

const fallbackTag = (digest: string) => digest.replace(':', '-');

describe('the referrers API', () => {
  test('the registry client finds referrers through the API, and tells a registry without it from a repository it lacks', async () => {
    const { image, sbom } = await stageWithApi(withApi, 'acme/api-lookup');
    const client = new RegistryClient({ registry: withApi.host, scopes: [], log: captureLog(), retry: FAST_RETRY });
    expect((await client.referrersByApi('acme/api-lookup', image.digest)) as Descriptor[]).toMatchObject([{ digest: sbom.digest }]);
    // go-containerregistry answers 404 NAME_UNKNOWN for a repository it does not have: that
    // says nothing of the API, which the same registry serves.
    expect(await client.referrersByApi('acme/not-pushed-yet', image.digest)).toBe('no repository');
    // distribution has no such route: a plain 404.
    const distribution = new RegistryClient({
      registry: world.staging.host,
      credentials: world.creds.staging.ci,
      scopes: ['repository:acme/api-lookup:pull'],
      log: captureLog(),
      retry: FAST_RETRY,
    });
    expect(await distribution.referrersByApi('acme/api-lookup', image.digest)).toBe('no api');
  });

  test('from a source with the API to one without it, the SBOM arrives and a fallback tag lists it', async () => {
    const { image, sbom } = await stageWithApi(withApi, 'acme/from-api');
    const result = await promoteImage({
      source: parseReference(`${withApi.host}/acme/from-api@${image.digest}`),
      destinations: [parseReference(`${world.production.host}/acme/from-api:1.0.0`)],
      destinationCredentials: world.creds.production.publisher,
      log: captureLog(),
      retry: FAST_RETRY,
    });
    expect(result.digest).toBe(image.digest);
    const read = (ref: string) => inspectRaw(`docker://${world.production.host}/acme/from-api${ref}`, world.creds.production.reader);
    expect((await read(`@${sbom.digest}`)).equals(sbom.raw)).toBe(true);
    // Without the API, the tag schema is how a verifier finds the SBOM (OCI distribution 1.1).
    const index = JSON.parse((await read(`:${fallbackTag(image.digest)}`)).toString('utf8')) as { manifests: { digest: string; artifactType?: string }[] };
    expect(index.manifests.map((m) => [m.digest, m.artifactType])).toEqual([[sbom.digest, 'application/spdx+json']]);
  });

  test('from a source with only the fallback tag to one with the API, the API lists the SBOM', async () => {
    const image = await stageImage(world.staging.host, 'acme/to-api', 'build', world.creds.staging.ci);
    const sbom = await stageReferrer(world.staging, 'acme/to-api', image.descriptor, world.creds.staging.ci);
    await promoteImage({
      source: parseReference(`${world.staging.host}/acme/to-api@${image.digest}`),
      destinations: [parseReference(`${withApi.host}/acme/to-api:1.0.0`)],
      sourceCredentials: world.creds.staging.ci,
      log: captureLog(),
      retry: FAST_RETRY,
    });
    expect(await listedByApi(withApi, 'acme/to-api', image.digest)).toEqual([sbom.digest]);
    expect((await inspectRaw(`docker://${withApi.host}/acme/to-api:1.0.0`)).equals(image.raw)).toBe(true);
    // The registry answered OCI-Subject: the source's fallback tag has no use there.
    expect(await listTags(`docker://${withApi.host}/acme/to-api`)).toEqual(['1.0.0']);
  });

  test('between two registries with the API, the SBOM is listed at the destination and a re-run copies nothing', async () => {
    const { image, sbom } = await stageWithApi(withApi, 'acme/api-to-api');
    const promote = () =>
      promoteImage({
        source: parseReference(`${withApi.host}/acme/api-to-api@${image.digest}`),
        destinations: [parseReference(`${otherWithApi.host}/acme/api-to-api:1.0.0`)],
        log: captureLog(),
        retry: FAST_RETRY,
      });
    await promote();
    expect(await listedByApi(otherWithApi, 'acme/api-to-api', image.digest)).toEqual([sbom.digest]);
    expect(await listTags(`docker://${otherWithApi.host}/acme/api-to-api`)).toEqual(['1.0.0']);
    const again = await promote();
    expect(again.bytesCopied).toBe(0);
    expect(again.manifestsPushed).toBe(0);
  });
});
