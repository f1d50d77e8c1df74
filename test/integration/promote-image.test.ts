// promote-image's core against two real registries (staging = GHCR stand-in, production
// = Docker Hub stand-in), every outcome cross-checked with skopeo.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parsePromotionRecords } from '@ci-actions/publishing/gate/promotion-record.js';
import { sha256Digest } from '@ci-actions/publishing/oci/digest.js';
import { DockerHubClient } from '@ci-actions/publishing/dockerhub/description.js';
import { promoteImage, type PromoteOptions } from '@ci-actions/publishing/oci/promote.js';
import { SMALL_BLOB_BYTES } from '@ci-actions/publishing/oci/promote-execute.js';
import { parseReference } from '@ci-actions/publishing/oci/reference.js';
import { run as runPromoteAction } from '../../actions/promote-image/main.js';
import { onNth, startFaultProxy, type FaultAction, type FaultProxy } from '../harness/fault-proxy.js';
import type { ImageLayout } from '../harness/oci-image.js';
import { freePort } from '../harness/ports.js';
import { copy, inspectRaw, SkopeoError } from '../harness/skopeo.js';
import { startDockerHubApi } from '../dockerhub-api/server.js';
import { stageCosignTag, stageImage, stageReferrer } from '../harness/staging.js';
import { startRegistries, stopWorld, type World } from '../harness/world.js';
import { captureLog } from '../support/capture-log.js';
import { failureMessage, runActionInProcess } from '../support/in-process-action.js';

let world: World;
beforeAll(async () => {
  world = await startRegistries();
}, 60_000);
afterAll(() => stopWorld(world));

const FAST_RETRY = { attempts: 3, baseDelayMs: 20, maxDelayMs: 200 };

function promote(source: string, destinations: string[], extra: Partial<PromoteOptions> = {}) {
  return promoteImage({
    source: parseReference(source),
    destinations: destinations.map(parseReference),
    sourceCredentials: world.creds.staging.ci,
    destinationCredentials: world.creds.production.publisher,
    log: captureLog(),
    retry: FAST_RETRY,
    ...extra,
  });
}

const prod = (ref: string) => `docker://${world.production.host}/${ref}`;
const stg = (ref: string) => `docker://${world.staging.host}/${ref}`;
const readProd = (ref: string) => inspectRaw(prod(ref), world.creds.production.reader);
const readStg = (ref: string) => inspectRaw(stg(ref), world.creds.staging.ci);

async function missingInProduction(ref: string): Promise<boolean> {
  try {
    await readProd(ref);
    return false;
  } catch (err) {
    if (err instanceof SkopeoError) return true;
    throw err;
  }
}

/** Whether production's storage holds a blob (read from disk, not through any client). */
function productionStoresBlob(digest: string): boolean {
  const hex = digest.replace('sha256:', '');
  return existsSync(path.join(world.production.storageDir, 'docker/registry/v2/blobs/sha256', hex.slice(0, 2), hex, 'data'));
}

describe('promote-image core', () => {
  let image: ImageLayout;
  let referrerDigest: string;

  beforeAll(async () => {
    image = await stageImage(world.staging.host, 'acme/app', 'build-1', world.creds.staging.ci, { attestations: true, layerSizes: [300_000, 1_200_000] });
    referrerDigest = (await stageReferrer(world.staging, 'acme/app', image.descriptor, world.creds.staging.ci)).digest;
  }, 60_000);

  test('cold copy of a multi-arch image with attestations and a referrer is byte-identical', async () => {
    const result = await promote(`${world.staging.host}/acme/app:build-1`, [
      `${world.production.host}/acme/app:1.0.1`,
      `${world.production.host}/acme/app:latest`,
    ]);
    expect(result.digest).toBe(image.digest);
    expect(result.sourceDigest).toBe(image.digest);
    expect(result.refs).toEqual([`${world.production.host}/acme/app:1.0.1`, `${world.production.host}/acme/app:latest`]);
    expect(result.previousDigests).toEqual({ [`${world.production.host}/acme/app:1.0.1`]: '', [`${world.production.host}/acme/app:latest`]: '' });
    expect(result.blobsCopied).toBeGreaterThanOrEqual(image.blobs.length - 1 - image.manifests.length - image.attestations.length);
    expect(result.blobsMounted).toBe(0);
    expect(result.bytesCopied).toBeGreaterThan(2 * 1_500_000);

    for (const tag of ['1.0.1', 'latest']) expect((await readProd(`acme/app:${tag}`)).equals(image.raw)).toBe(true);
    for (const m of [...image.manifests, ...image.attestations]) {
      expect((await readProd(`acme/app@${m.digest}`)).equals(await readStg(`acme/app@${m.digest}`))).toBe(true);
    }
    // The referrer and its fallback tag reached production too.
    expect((await readProd(`acme/app@${referrerDigest}`)).equals(await readStg(`acme/app@${referrerDigest}`))).toBe(true);
    const fallback = JSON.parse((await readProd(`acme/app:${image.digest.replace(':', '-')}`)).toString()) as { manifests: { digest: string }[] };
    expect(fallback.manifests.map((m) => m.digest)).toEqual([referrerDigest]);
    // An independent client pulls the whole image from production.
    await copy(prod('acme/app:1.0.1'), `oci:${mkdtempSync(path.join(tmpdir(), 'pull-'))}:x`, { srcCreds: world.creds.production.reader });
  });

  test('a warm re-run moves no bytes and reports the tags as unchanged', async () => {
    const result = await promote(`${world.staging.host}/acme/app@${image.digest}`, [`${world.production.host}/acme/app:1.0.1`]);
    expect(result.bytesCopied).toBe(0);
    expect(result.blobsCopied).toBe(0);
    expect(result.blobsSkipped).toBe(result.blobs.length);
    expect(result.manifestsPushed).toBe(0);
    expect(result.unchangedTags).toEqual([`${world.production.host}/acme/app:1.0.1`]);
    expect(result.previousDigests[`${world.production.host}/acme/app:1.0.1`]).toBe(image.digest);
  });

  test('within one registry every blob is mounted, none streamed', async () => {
    const result = await promote(`${world.staging.host}/acme/app@${image.digest}`, [`${world.staging.host}/acme/app-release:1.0.1`], {
      destinationCredentials: world.creds.staging.ci,
    });
    expect(result.blobsMounted).toBe(result.blobs.length);
    expect(result.bytesCopied).toBe(0);
    expect((await readStg('acme/app-release:1.0.1')).equals(image.raw)).toBe(true);
    await copy(stg('acme/app-release:1.0.1'), `oci:${mkdtempSync(path.join(tmpdir(), 'pull-'))}:x`, { srcCreds: world.creds.staging.ci });
  });

  test('two repositories of another registry at once: the first gets copies, the second mounts each blob once it is there', async () => {
    // Uploads to the first are slow: the second's mounts must wait for them, or the
    // registry declines them and the blobs are streamed a second time.
    const proxy = await startFaultProxy(world.production.host);
    proxy.setRules([
      (r) =>
        r.method === 'PUT' && r.path.startsWith('/v2/acme/twin-a/blobs/uploads/')
          ? { kind: 'before', run: () => new Promise((done) => setTimeout(done, 1000)) }
          : undefined,
    ]);
    try {
      const result = await promote(`${world.staging.host}/acme/app@${image.digest}`, [`${proxy.host}/acme/twin-a:1.0.1`, `${proxy.host}/acme/twin-b:1.0.1`]);
      const of = (repository: string) => result.blobs.filter((b) => b.destination === `${proxy.host}/${repository}`);
      expect(of('acme/twin-a').every((b) => b.action === 'copy')).toBe(true);
      expect(of('acme/twin-b').map((b) => `${b.action} from ${b.from}`)).toEqual(of('acme/twin-a').map(() => 'mount from acme/twin-a'));
      expect(result.blobsMounted).toBe(of('acme/twin-b').length);
      expect(result.blobsCopied).toBe(of('acme/twin-a').length);
    } finally {
      await proxy.stop();
    }
    for (const repository of ['acme/twin-a', 'acme/twin-b']) {
      expect((await readProd(`${repository}:1.0.1`)).equals(image.raw)).toBe(true);
      await copy(prod(`${repository}:1.0.1`), `oci:${mkdtempSync(path.join(tmpdir(), 'pull-'))}:x`, { srcCreds: world.creds.production.reader });
    }
  });

  test('dry run plans and writes nothing', async () => {
    const result = await promote(`${world.staging.host}/acme/app@${image.digest}`, [`${world.production.host}/acme/dry:1.0.1`], { dryRun: true });
    expect(result.dryRun).toBe(true);
    expect(result.blobs.every((b) => b.action === 'copy')).toBe(true);
    expect(result.bytesCopied).toBe(0);
    expect(await missingInProduction('acme/dry:1.0.1')).toBe(true);
    expect(await missingInProduction(`acme/dry@${image.manifests[0].digest}`)).toBe(true);
  });

  test('a platform filter promotes a new index of those platforms, children unchanged', async () => {
    const result = await promote(`${world.staging.host}/acme/app@${image.digest}`, [`${world.production.host}/acme/arm:1.0.1`], { platforms: ['linux/arm64'] });
    expect(result.digest).not.toBe(image.digest);
    const index = JSON.parse((await readProd('acme/arm:1.0.1')).toString()) as { manifests: { digest: string }[] };
    const arm = image.manifests.find((m) => m.platform.architecture === 'arm64')!;
    const amd = image.manifests.find((m) => m.platform.architecture === 'amd64')!;
    expect(index.manifests.map((m) => m.digest)).toEqual([arm.digest, image.attestations.find((a) => a.subject === arm.digest)!.digest]);
    expect((await readProd(`acme/arm@${arm.digest}`)).equals(await readStg(`acme/app@${arm.digest}`))).toBe(true);
    expect(await missingInProduction(`acme/arm@${amd.digest}`)).toBe(true);
    await expect(
      promote(`${world.staging.host}/acme/app@${image.digest}`, [`${world.production.host}/acme/arm:x`], { platforms: ['linux/s390x'] }),
    ).rejects.toThrow('platform(s) linux/s390x not in the image; it has linux/amd64, linux/arm64');
  });

  test('rollback: putting the previous digest back on a tag moves no blob', async () => {
    const next = await stageImage(world.staging.host, 'acme/app', 'build-2', world.creds.staging.ci, { layerSizes: [1000] });
    const forward = await promote(`${world.staging.host}/acme/app:build-2`, [`${world.production.host}/acme/app:latest`]);
    expect(forward.previousDigests[`${world.production.host}/acme/app:latest`]).toBe(image.digest);
    const back = await promote(`${world.production.host}/acme/app@${image.digest}`, [`${world.production.host}/acme/app:latest`], {
      sourceCredentials: world.creds.production.publisher,
    });
    expect(back.previousDigests[`${world.production.host}/acme/app:latest`]).toBe(next.digest);
    expect(back.bytesCopied).toBe(0);
    expect((await readProd('acme/app:latest')).equals(image.raw)).toBe(true);
  });
});

describe('promote-image core: cosign signature tags', () => {
  let image: ImageLayout;
  let signature: Awaited<ReturnType<typeof stageCosignTag>>;
  let attestation: Awaited<ReturnType<typeof stageCosignTag>>;

  beforeAll(async () => {
    image = await stageImage(world.staging.host, 'acme/signed', 'build-1', world.creds.staging.ci, { attestations: true, layerSizes: [2048] });
    // cosign's default storage: a signature of the index, an attestation of one platform manifest.
    signature = await stageCosignTag(world.staging.host, 'acme/signed', image.descriptor, world.creds.staging.ci, 'sig');
    const platform = image.manifests[0];
    attestation = await stageCosignTag(
      world.staging.host,
      'acme/signed',
      { digest: platform.digest, size: platform.size, mediaType: platform.mediaType },
      world.creds.staging.ci,
      'att',
    );
  }, 60_000);

  test('the sha256-<hex>.sig and .att tags reach production byte for byte, and a re-run leaves them be', async () => {
    const log = captureLog();
    await promote(`${world.staging.host}/acme/signed:build-1`, [`${world.production.host}/acme/signed:1.0.0`], { log });
    for (const artifact of [signature, attestation]) {
      expect((await readProd(`acme/signed:${artifact.cosignTag}`)).equals(artifact.raw)).toBe(true);
      expect(log.lines).toContain(`tagged ${world.production.host}/acme/signed:${artifact.cosignTag} -> ${artifact.digest.slice(0, 19)}`);
    }
    expect((await readProd('acme/signed:1.0.0')).equals(image.raw)).toBe(true);

    const again = captureLog();
    const rerun = await promote(`${world.staging.host}/acme/signed@${image.digest}`, [`${world.production.host}/acme/signed:1.0.0`], { log: again });
    expect(rerun.bytesCopied).toBe(0);
    expect(again.lines.filter((l) => l.includes('.sig') || l.includes('.att')).filter((l) => l.startsWith('tagged'))).toEqual([]);
  });

  test('a signature tag the destination already holds with other contents is left as it is, with a warning', async () => {
    const theirs = await stageCosignTag(
      world.production.host,
      'acme/signed-elsewhere',
      image.descriptor,
      world.creds.production.publisher,
      'sig',
      'signed at the destination',
    );
    const log = captureLog();
    await promote(`${world.staging.host}/acme/signed@${image.digest}`, [`${world.production.host}/acme/signed-elsewhere:1.0.0`], { log });
    expect((await readProd(`acme/signed-elsewhere:${signature.cosignTag}`)).equals(theirs.raw)).toBe(true);
    expect(
      log.lines.some((l) => l.startsWith(`warning: ${world.production.host}/acme/signed-elsewhere:${signature.cosignTag} already holds other contents`)),
    ).toBe(true);
    // The attestation tag, absent there, is promoted.
    expect((await readProd(`acme/signed-elsewhere:${attestation.cosignTag}`)).equals(attestation.raw)).toBe(true);
  });

  test('referrers: false leaves the cosign tags behind', async () => {
    await promote(`${world.staging.host}/acme/signed@${image.digest}`, [`${world.production.host}/acme/signed-bare:1.0.0`], { referrers: false });
    expect((await readProd('acme/signed-bare:1.0.0')).equals(image.raw)).toBe(true);
    expect(await missingInProduction(`acme/signed-bare:${signature.cosignTag}`)).toBe(true);
  });
});

describe('promote-image core: single-platform image', () => {
  test('a plain image manifest is copied byte for byte', async () => {
    const image = await stageImage(world.staging.host, 'acme/single', 'b1', world.creds.staging.ci, {
      platforms: [{ os: 'linux', architecture: 'amd64' }],
      layerSizes: [5000, 7000],
    });
    const result = await promote(`${world.staging.host}/acme/single:b1`, [`${world.production.host}/acme/single:1.0.0`]);
    expect(result.digest).toBe(image.digest);
    expect(result.platforms).toBe('single platform');
    expect((await readProd('acme/single:1.0.0')).equals(image.raw)).toBe(true);
    expect(result.blobsCopied).toBe(3);
  });
});

describe('promote-image core: faults', () => {
  let proxy: FaultProxy | undefined;
  afterEach(async () => {
    await proxy?.stop();
    proxy = undefined;
    if (!world.production.running) await world.production.start();
  });

  test('a tag moved during the run does not change what is promoted', async () => {
    const first = await stageImage(world.staging.host, 'acme/moving', 'candidate', world.creds.staging.ci);
    proxy = await startFaultProxy(world.staging.host);
    let moved = '';
    proxy.setRules([
      // After the tag was resolved, before the first child manifest is fetched, the tag moves.
      (r) =>
        r.method === 'GET' && r.path.includes('/manifests/sha256:') && !moved
          ? {
              kind: 'before',
              run: async () => void (moved = (await stageImage(world.staging.host, 'acme/moving', 'candidate', world.creds.staging.ci)).digest),
            }
          : undefined,
    ]);
    const result = await promote(`${proxy.host}/acme/moving:candidate`, [`${world.production.host}/acme/moving:1.0.0`]);
    expect(moved).not.toBe('');
    expect((await readStg('acme/moving:candidate')).equals(first.raw)).toBe(false);
    expect(result.digest).toBe(first.digest);
    expect((await readProd('acme/moving:1.0.0')).equals(first.raw)).toBe(true);
  });

  test('429 with Retry-After and 503s are retried, and the copy completes', async () => {
    const image = await stageImage(world.staging.host, 'acme/flaky', 'b1', world.creds.staging.ci);
    proxy = await startFaultProxy(world.production.host);
    proxy.setRules([
      onNth(1, (r) => r.method === 'HEAD' && r.path.includes('/blobs/'), { kind: 'respond', status: 429, headers: { 'Retry-After': '1' } }),
      onNth(1, (r) => r.method === 'PUT' && r.path.includes('/manifests/'), { kind: 'respond', status: 503, body: 'busy' }),
      onNth(1, (r) => r.method === 'PUT' && r.path.includes('/blobs/uploads/'), { kind: 'respond', status: 502 }),
    ]);
    const log = captureLog();
    const result = await promote(`${world.staging.host}/acme/flaky:b1`, [`${proxy.host}/acme/flaky:1.0.0`], { log, insecureRegistries: [] });
    expect(result.digest).toBe(image.digest);
    expect(log.lines.filter((l) => l.startsWith('warning: ') && l.includes('attempt 2 of 3')).length).toBeGreaterThanOrEqual(3);
    expect(log.lines.some((l) => l.includes('HTTP 429'))).toBe(true);
    expect((await readProd('acme/flaky:1.0.0')).equals(image.raw)).toBe(true);
  });

  test('production stopped mid-copy: the run fails without a tag, a re-run converges', async () => {
    // Layers over the small-blob size move one at a time (concurrency 1), the configs beside
    // the first; the last layer's upload finds production gone, so the others are there.
    const image = await stageImage(world.staging.host, 'acme/outage', 'b1', world.creds.staging.ci, { layerSizes: [300_000, 400_000] });
    const layers = image.blobs.filter((b) => b.size > SMALL_BLOB_BYTES).map((b) => encodeURIComponent(b.digest));
    proxy = await startFaultProxy(world.production.host);
    const isLayerUpload = (r: { method: string; path: string }) => r.method === 'PUT' && layers.some((digest) => r.path.includes(`digest=${digest}`));
    proxy.setRules([onNth(layers.length, isLayerUpload, { kind: 'before', run: () => world.production.stop() })]);
    await expect(promote(`${world.staging.host}/acme/outage:b1`, [`${proxy.host}/acme/outage:1.0.0`], { concurrency: 1 })).rejects.toThrow(
      /HTTP 502|ECONNREFUSED|socket hang up/,
    );
    await world.production.start();
    expect(await missingInProduction('acme/outage:1.0.0')).toBe(true);
    const rerun = await promote(`${world.staging.host}/acme/outage:b1`, [`${world.production.host}/acme/outage:1.0.0`]);
    expect(rerun.blobsSkipped).toBeGreaterThan(0);
    expect((await readProd('acme/outage:1.0.0')).equals(image.raw)).toBe(true);
  });

  test('a registry that refuses every connection fails naming the registry, the request and the attempts', async () => {
    const closed = `127.0.0.1:${await freePort()}`;
    await expect(promote(`${closed}/acme/nowhere:1.0`, [`${world.production.host}/acme/nowhere:1.0`])).rejects.toThrow(
      `GET ${closed}/acme/nowhere manifest 1.0: GET http://${closed}/v2/: connect ECONNREFUSED ${closed}; gave up after 3 attempts`,
    );
  });

  test('Docker Hub asking for a longer wait than allowed fails at once, naming the wait and the limit', async () => {
    const hub = await startDockerHubApi({ publisher: { password: 'hub-password', admin: ['acme'] } }, ['acme/app']);
    proxy = await startFaultProxy(new URL(hub.url).host);
    proxy.setRules([() => ({ kind: 'respond', status: 429, headers: { 'Retry-After': '120' } })]);
    try {
      const client = new DockerHubClient(`http://${proxy.host}`, 'publisher', 'hub-password', captureLog(), { ...FAST_RETRY, maxRetryWaitMs: 60_000 });
      await expect(client.login()).rejects.toThrow(
        `Docker Hub API: POST http://${proxy.host}/v2/auth/token: HTTP 429; the server asked to wait 120s before another attempt, longer than the longest wait allowed (60s); gave up after 1 attempt`,
      );
      expect(hub.requests).toEqual([]);
    } finally {
      await hub.stop();
    }
  });

  test('a corrupt blob fails the promotion: nothing tagged, the blob not stored', async () => {
    const image = await stageImage(world.staging.host, 'acme/corrupt', 'b1', world.creds.staging.ci, {
      platforms: [{ os: 'linux', architecture: 'amd64' }],
      layerSizes: [100_000],
    });
    const layer = image.manifests[0].layers[0];
    proxy = await startFaultProxy(world.staging.host);
    proxy.setRules([(r) => (r.method === 'GET' && r.path.endsWith(`/blobs/${layer.digest}`) ? { kind: 'corrupt' } : undefined)]);
    await expect(promote(`${proxy.host}/acme/corrupt:b1`, [`${world.production.host}/acme/corrupt:1.0.0`])).rejects.toThrow(
      `blob ${layer.digest}: the bytes received hash to sha256:`,
    );
    expect(await missingInProduction('acme/corrupt:1.0.0')).toBe(true);
    expect(productionStoresBlob(layer.digest)).toBe(false);
    expect(productionStoresBlob(image.manifests[0].configDigest)).toBe(true);
  });
});

describe('promote-image core: credentials', () => {
  let image: ImageLayout;
  beforeAll(async () => {
    image = await stageImage(world.staging.host, 'acme/auth', 'b1', world.creds.staging.ci, { layerSizes: [1000] });
  }, 60_000);

  test('a wrong password fails clearly and never shows the password', async () => {
    const wrong = { username: 'publisher', password: `wrong-${Date.now()}-secret` };
    const log = captureLog();
    const error = await promote(`${world.staging.host}/acme/auth:b1`, [`${world.production.host}/acme/auth:1.0.0`], {
      destinationCredentials: wrong,
      log,
    }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(`rejected the credentials of user "publisher" (HTTP 401`);
    const everything = [(error as Error).message, (error as Error).stack ?? '', ...log.lines].join('\n');
    for (const secret of [wrong.password, Buffer.from(`publisher:${wrong.password}`).toString('base64'), world.creds.staging.ci.password]) {
      expect(everything).not.toContain(secret);
    }
    expect(await missingInProduction('acme/auth:1.0.0')).toBe(true);
  });

  test('credentials without push permission are refused with the registry answer, nothing tagged', async () => {
    await expect(
      promote(`${world.staging.host}/acme/auth:b1`, [`${world.production.host}/acme/auth:1.0.0`], { destinationCredentials: world.creds.production.reader }),
    ).rejects.toThrow(/HTTP 401 UNAUTHORIZED.*lack the permission/);
    expect(await missingInProduction('acme/auth:1.0.0')).toBe(true);
    expect(image.digest).toMatch(/^sha256:/);
  });

  test('an unknown source is named', async () => {
    await expect(promote(`${world.staging.host}/acme/auth:nope`, [`${world.production.host}/acme/auth:1.0.0`])).rejects.toThrow(
      `source ${world.staging.host}/acme/auth:nope not found in ${world.staging.host}`,
    );
  });
});

describe('promote-image: the token service', () => {
  let image: ImageLayout;
  let tokenRequest: string;
  beforeAll(async () => {
    image = await stageImage(world.staging.host, 'acme/tokens', 'b1', world.creds.staging.ci, {
      platforms: [{ os: 'linux', architecture: 'amd64' }],
      layerSizes: [1000],
    });
    tokenRequest = `GET ${world.production.tokenServer.url}/token`;
  }, 60_000);
  afterEach(() => world.production.tokenServer.setFaults([]));

  /** The promote-image action itself, so that errors are attributed to inputs as in a workflow. */
  const promoteAction = (tag: string) =>
    runActionInProcess('promote-image', runPromoteAction, {
      source: `${world.staging.host}/acme/tokens@${image.digest}`,
      destination: `${world.production.host}/acme/tokens:${tag}`,
      'source-username': world.creds.staging.ci.username,
      'source-password': world.creds.staging.ci.password,
      'destination-username': world.creds.production.publisher.username,
      'destination-password': world.creds.production.publisher.password,
    });

  test.each([
    ['HTTP 500', { kind: 'respond', status: 500, body: 'token store unavailable' }],
    ['HTTP 429 with Retry-After', { kind: 'respond', status: 429, headers: { 'Retry-After': '1' } }],
    ['a dropped connection', { kind: 'reset' }],
  ] as [string, FaultAction][])('%s from the token service, twice, is retried and the promotion succeeds', async (_fault, fault) => {
    world.production.tokenServer.setFaults([(r) => (r.seen < 2 ? fault : undefined)]);
    const log = captureLog();
    const result = await promote(`${world.staging.host}/acme/tokens@${image.digest}`, [`${world.production.host}/acme/tokens:retried`], { log });
    expect(result.digest).toBe(image.digest);
    const retries = log.lines.filter((l) => l.startsWith(`warning: ${world.production.host}: the token service: ${tokenRequest}`));
    expect(retries.map((l) => / attempt \d of 3 /.exec(l)?.[0])).toEqual([' attempt 2 of 3 ', ' attempt 3 of 3 ']);
    expect((await readProd('acme/tokens:retried')).equals(image.raw)).toBe(true);
  });

  test('a token service that keeps failing fails the run naming the registry, the token request and the attempts, not the credentials', async () => {
    world.production.tokenServer.setFaults([() => ({ kind: 'respond', status: 503, headers: { 'Retry-After': '0' }, body: 'down for maintenance' })]);
    const run = await promoteAction('unreachable');
    expect(run.exitCode).toBe(1);
    expect(failureMessage(run)).toBe(`${world.production.host}: the token service: ${tokenRequest}: HTTP 503: down for maintenance; gave up after 5 attempts`);
    expect(await missingInProduction('acme/tokens:unreachable')).toBe(true);
  });

  test('a 401 from the token service names the credential inputs', async () => {
    world.production.tokenServer.setFaults([() => ({ kind: 'respond', status: 401, body: '{"details":"incorrect username or password"}' })]);
    const run = await promoteAction('refused');
    expect(run.exitCode).toBe(1);
    expect(failureMessage(run)).toBe(
      `input "destination-username/destination-password": ${world.production.host}: the token service (${tokenRequest}) rejected the credentials of user "publisher" (HTTP 401: incorrect username or password)`,
    );
  });
});

describe('promote-image: max-retry-wait', () => {
  let image: ImageLayout;
  let proxy: FaultProxy;
  beforeAll(async () => {
    image = await stageImage(world.staging.host, 'acme/patient', 'b1', world.creds.staging.ci, {
      platforms: [{ os: 'linux', architecture: 'amd64' }],
      layerSizes: [1000],
    });
    proxy = await startFaultProxy(world.production.host);
  }, 60_000);
  afterAll(() => proxy.stop());

  const promoteAction = (tag: string, maxRetryWait: string) => {
    // Production asks, once, to come back in 2 s.
    proxy.setRules([onNth(1, (r) => r.method === 'HEAD', { kind: 'respond', status: 429, headers: { 'Retry-After': '2' } })]);
    return runActionInProcess('promote-image', runPromoteAction, {
      source: `${world.staging.host}/acme/patient@${image.digest}`,
      destination: `${proxy.host}/acme/patient:${tag}`,
      'source-username': world.creds.staging.ci.username,
      'source-password': world.creds.staging.ci.password,
      'destination-username': world.creds.production.publisher.username,
      'destination-password': world.creds.production.publisher.password,
      'max-retry-wait': maxRetryWait,
    });
  };

  test('a wait longer than max-retry-wait fails the run, naming the wait asked for and the input', async () => {
    const run = await promoteAction('impatient', '1');
    expect(run.exitCode).toBe(1);
    expect(failureMessage(run)).toMatch(
      /^input "max-retry-wait": .*: HTTP 429; the server asked to wait 2s before another attempt, longer than the longest wait allowed \(1s\)/,
    );
    expect(await missingInProduction('acme/patient:impatient')).toBe(true);
  });

  test('a wait within max-retry-wait is waited for, and the promotion succeeds', async () => {
    const run = await promoteAction('patient', '5');
    expect(failureMessage(run)).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/::warning::.*HTTP 429; attempt 2 of 5 in 2\.0s/);
    expect((await readProd('acme/patient:patient')).equals(image.raw)).toBe(true);
  });
});

describe('promote-image core: token lifetime', () => {
  let shortLived: World;
  beforeAll(async () => {
    shortLived = await startRegistries({ tokenLifetimeSeconds: 2, compensateRegistryLeeway: true });
  }, 60_000);
  afterAll(() => stopWorld(shortLived));

  test('an expiring token is renewed mid-copy and the copy completes', async () => {
    const image = await stageImage(shortLived.staging.host, 'acme/slow', 'b1', shortLived.creds.staging.ci, { layerSizes: [2000, 3000] });
    const proxy = await startFaultProxy(shortLived.production.host);
    // One upload stalls past the token's lifetime.
    proxy.setRules([
      onNth(2, (r) => r.method === 'PUT' && r.path.includes('/blobs/uploads/'), { kind: 'before', run: () => new Promise((r) => setTimeout(r, 2600)) }),
    ]);
    shortLived.production.tokenServer.clearRequests();
    try {
      const result = await promoteImage({
        source: parseReference(`${shortLived.staging.host}/acme/slow:b1`),
        destinations: [parseReference(`${proxy.host}/acme/slow:1.0.0`)],
        sourceCredentials: shortLived.creds.staging.ci,
        destinationCredentials: shortLived.creds.production.publisher,
        log: captureLog(),
        retry: FAST_RETRY,
        concurrency: 1,
      });
      expect(result.digest).toBe(image.digest);
    } finally {
      await proxy.stop();
    }
    const tokenRequests = shortLived.production.tokenServer.requests.filter((r) => r.status === 200).length;
    expect(tokenRequests).toBeGreaterThanOrEqual(2);
    // Cached in between: far fewer tokens than registry requests.
    expect(tokenRequests).toBeLessThan(proxy.log.length / 3);
    expect((await inspectRaw(`docker://${shortLived.production.host}/acme/slow:1.0.0`, shortLived.creds.production.reader)).equals(image.raw)).toBe(true);
  });
});

describe('promote-image action: record-file', () => {
  test('records what the promotion produced: with a platform filter, the new index digest production serves', async () => {
    const image = await stageImage(world.staging.host, 'acme/recorded', 'build-1', world.creds.staging.ci, { attestations: true, layerSizes: [700] });
    // Where the stage gate writes it: the runner's temporary directory.
    const temp = mkdtempSync(path.join(tmpdir(), 'promotion-record-'));
    const file = path.join(temp, 'promotion.json');
    const runnerTemp = process.env.RUNNER_TEMP;
    process.env.RUNNER_TEMP = temp;
    const run = await runActionInProcess('promote-image', runPromoteAction, {
      source: `${world.staging.host}/acme/recorded:build-1`,
      destination: `${world.production.host}/acme/recorded`,
      tags: '1.0.1,latest',
      platforms: 'linux/arm64',
      'source-username': world.creds.staging.ci.username,
      'source-password': world.creds.staging.ci.password,
      'destination-username': world.creds.production.publisher.username,
      'destination-password': world.creds.production.publisher.password,
      'record-file': file,
    }).finally(() => (runnerTemp === undefined ? delete process.env.RUNNER_TEMP : (process.env.RUNNER_TEMP = runnerTemp)));
    expect(failureMessage(run)).toBe('');
    const [record] = parsePromotionRecords(readFileSync(file, 'utf8'), file);
    const served = sha256Digest(await readProd('acme/recorded:1.0.1'));
    expect(record).toMatchObject({
      staging: `${world.staging.host}/acme/recorded`,
      stagedDigest: image.digest,
      digest: served,
      repositories: [`${world.production.host}/acme/recorded`],
      references: [`${world.production.host}/acme/recorded:1.0.1`, `${world.production.host}/acme/recorded:latest`],
      dryRun: false,
    });
    expect(served).not.toBe(image.digest);
    expect(record.bytesCopied).toBeGreaterThan(700);
    expect(Date.parse(record.finishedAt)).toBeGreaterThanOrEqual(Date.parse(record.startedAt));
  });
});
