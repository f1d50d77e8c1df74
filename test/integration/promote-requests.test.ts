// How many requests a promotion makes when there is nothing to do, counted at the real
// registries (each behind a relay that records every request) and their token servers.
// A warm re-run (every tag already at the digest) is what a pipeline does on every retry
// and re-run; over a real network each request it makes in a row costs a round trip.
// The floor: each registry's login, then the source manifest and the destination tags at
// once, with the source's referrer bookkeeping beside them.
import { promoteImage } from '@ci-actions/publishing/oci/promote.js';
import { parseReference } from '@ci-actions/publishing/oci/reference.js';
import { startFaultProxy, type FaultProxy } from '../harness/fault-proxy.js';
import type { ImageLayout } from '../harness/oci-image.js';
import { stageImage, stageReferrer } from '../harness/staging.js';
import { startRegistries, stopWorld, type World } from '../harness/world.js';
import { captureLog } from '../support/capture-log.js';

let world: World;
let staging: FaultProxy;
let production: FaultProxy;
beforeAll(async () => {
  world = await startRegistries();
  [staging, production] = await Promise.all([startFaultProxy(world.staging.host), startFaultProxy(world.production.host)]);
}, 60_000);
afterAll(async () => {
  await Promise.all([staging?.stop(), production?.stop()]);
  await stopWorld(world);
});

const promote = (repository: string, image: ImageLayout) =>
  promoteImage({
    source: parseReference(`${staging.host}/${repository}@${image.digest}`),
    destinations: [parseReference(`${production.host}/${repository}:1.0.0`)],
    sourceCredentials: world.creds.staging.ci,
    destinationCredentials: world.creds.production.publisher,
    log: captureLog(),
  });

const sorted = (requests: string[]) => [...requests].sort();

/** What a promotion asked each registry and token server, each list sorted (what goes at once has no order). */
async function requestsOf(work: () => Promise<unknown>) {
  const from = { staging: staging.log.length, production: production.log.length };
  world.staging.tokenServer.clearRequests();
  world.production.tokenServer.clearRequests();
  await work();
  return {
    staging: sorted(staging.log.slice(from.staging)),
    production: sorted(production.log.slice(from.production)),
    tokens: world.staging.tokenServer.requests.length + world.production.tokenServer.requests.length,
  };
}

describe('a warm re-run', () => {
  test("of a two-platform image with attestations: 9 requests, each registry's login and then one round", async () => {
    const image = await stageImage(world.staging.host, 'acme/warm', 'build-1', world.creds.staging.ci, { attestations: true, layerSizes: [1000, 2000] });
    await promote('acme/warm', image);
    const requests = await requestsOf(() => promote('acme/warm', image));
    expect(requests).toEqual({
      staging: sorted([
        'GET /v2/',
        `GET /v2/acme/warm/manifests/${image.digest}`,
        `GET /v2/acme/warm/referrers/${image.digest}`,
        'GET /v2/acme/warm/tags/list?n=1000',
      ]),
      // The image by digest is asked beside its tag: a cold copy learns it lacks the image a round trip sooner.
      production: sorted(['GET /v2/', 'HEAD /v2/acme/warm/manifests/1.0.0', `HEAD /v2/acme/warm/manifests/${image.digest}`]),
      tokens: 2,
    });
  });

  test('of an image with an SBOM (fallback tag): the SBOM is read at the source, and found listed at the destination', async () => {
    const image = await stageImage(world.staging.host, 'acme/warm-sbom', 'build-1', world.creds.staging.ci, { attestations: true, layerSizes: [1000] });
    const sbom = await stageReferrer(world.staging, 'acme/warm-sbom', image.descriptor, world.creds.staging.ci);
    const fallbackTag = image.digest.replace(':', '-');
    await promote('acme/warm-sbom', image);
    const requests = await requestsOf(() => promote('acme/warm-sbom', image));
    expect(requests).toEqual({
      staging: sorted([
        'GET /v2/',
        `GET /v2/acme/warm-sbom/manifests/${fallbackTag}`,
        `GET /v2/acme/warm-sbom/manifests/${image.digest}`,
        `GET /v2/acme/warm-sbom/manifests/${sbom.digest}`,
        `GET /v2/acme/warm-sbom/referrers/${image.digest}`,
        'GET /v2/acme/warm-sbom/tags/list?n=1000',
      ]),
      production: sorted([
        'GET /v2/',
        `GET /v2/acme/warm-sbom/manifests/${fallbackTag}`,
        `GET /v2/acme/warm-sbom/referrers/${image.digest}`,
        'HEAD /v2/acme/warm-sbom/manifests/1.0.0',
        `HEAD /v2/acme/warm-sbom/manifests/${image.digest}`,
      ]),
      tokens: 2,
    });
  });
});
