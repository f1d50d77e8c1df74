// Many small multi-arch images pushed straight through the registry API (no skopeo, no
// layout on disk), for tests and benchmarks that need hundreds of versions in one
// package. Each image is an index of `platforms` platform manifests, and with
// `attestations` one buildx-style attestation manifest per platform. All share one
// config and one layer blob and are told apart by an annotation, so every manifest has a
// digest of its own while the registry stores a few hundred bytes per manifest.
import { gzipSync } from 'node:zlib';
import { MEDIA_TYPES, type Descriptor } from './oci-layout.js';
import type { Registry } from './registry.js';
import { RegistrySession } from './registry-session.js';
import type { Credentials } from './skopeo.js';
import { sha256Digest as sha256 } from './oci-layout.js';

export interface SyntheticImageOptions {
  count: number;
  /** Image i is tagged `<tagPrefix>-<i>`. */
  tagPrefix: string;
  platforms?: number;
  attestations?: boolean;
  /** Manifest pushes in flight at once (default 8). */
  concurrency?: number;
  /** Push each index by digest only, as `docker buildx build --push` without a tag does. */
  untagged?: boolean;
}

export interface SyntheticImage {
  /** The tag it was pushed under; '' when untagged. */
  tag: string;
  digest: string;
  platformManifests: string[];
  attestations: string[];
}

export async function pushSyntheticImages(
  registry: Registry,
  repository: string,
  creds: Credentials,
  options: SyntheticImageOptions,
): Promise<SyntheticImage[]> {
  const session = new RegistrySession(registry, creds);
  const tar = Buffer.alloc(1024, `${options.tagPrefix}\n`);
  const layer = await pushBlob(session, repository, gzipSync(tar), MEDIA_TYPES.layerGzip);
  const config = await pushBlob(
    session,
    repository,
    Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [sha256(tar)] } })),
    MEDIA_TYPES.config,
  );
  const manifest = (label: string): Buffer =>
    Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPES.manifest, config, layers: [layer], annotations: { 'org.example.synthetic': label } }),
    );

  const pushImage = async (i: number): Promise<SyntheticImage> => {
    const tag = `${options.tagPrefix}-${i}`;
    const entries: Descriptor[] = [];
    const platformManifests: string[] = [];
    const attestations: string[] = [];
    for (let p = 0; p < (options.platforms ?? 2); p++) {
      const platform = await pushManifest(session, repository, manifest(`${tag}/platform-${p}`));
      platformManifests.push(platform.digest);
      entries.push({ ...platform, platform: { os: 'linux', architecture: `arch${p}` } });
      if (!options.attestations) continue;
      const attestation = await pushManifest(session, repository, manifest(`${tag}/attestation-${p}`));
      attestations.push(attestation.digest);
      entries.push({
        ...attestation,
        platform: { os: 'unknown', architecture: 'unknown' },
        annotations: { 'vnd.docker.reference.digest': platform.digest, 'vnd.docker.reference.type': 'attestation-manifest' },
      });
    }
    // Attestations after the platform manifests, as buildx lists them.
    entries.sort((a, b) => Number(a.platform?.os === 'unknown') - Number(b.platform?.os === 'unknown'));
    const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPES.index, manifests: entries }));
    const { digest } = await pushManifest(session, repository, index, options.untagged ? undefined : tag, MEDIA_TYPES.index);
    return { tag: options.untagged ? '' : tag, digest, platformManifests, attestations };
  };

  const images = new Array<SyntheticImage>(options.count);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < options.count; i = next++) images[i] = await pushImage(i);
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 8, options.count) }, worker));
  return images;
}

export async function pushBlob(session: RegistrySession, repository: string, bytes: Buffer, mediaType: string): Promise<Descriptor> {
  const digest = sha256(bytes);
  const start = await session.request('POST', repository, 'blobs/uploads/', { actions: 'pull,push', headers: { 'Content-Length': '0' } });
  const location = start.headers.location;
  if (start.status !== 202 || typeof location !== 'string')
    throw new Error(`upload of ${digest} to ${repository}: HTTP ${start.status} ${start.body.toString()}`);
  const url = new URL(location, session.registry.url);
  url.searchParams.set('digest', digest);
  const put = await session.request('PUT', repository, url.toString(), {
    actions: 'pull,push',
    headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(bytes.length) },
    body: bytes,
  });
  if (put.status !== 201) throw new Error(`upload of ${digest} to ${repository}: HTTP ${put.status} ${put.body.toString()}`);
  return { mediaType, digest, size: bytes.length };
}

export async function pushManifest(
  session: RegistrySession,
  repository: string,
  bytes: Buffer,
  tag?: string,
  mediaType: string = MEDIA_TYPES.manifest,
): Promise<Descriptor> {
  const digest = sha256(bytes);
  const res = await session.request('PUT', repository, `manifests/${tag ?? digest}`, {
    actions: 'pull,push',
    headers: { 'Content-Type': mediaType },
    body: bytes,
  });
  if (res.status !== 201) throw new Error(`PUT ${repository}:${tag ?? digest}: HTTP ${res.status} ${res.body.toString()}`);
  return { mediaType, digest, size: bytes.length };
}
