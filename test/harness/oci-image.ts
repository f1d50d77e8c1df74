// Images built in code, no Docker: a single-platform manifest or a multi-arch index
// (optionally with buildx-style attestation manifests), written as an OCI layout that
// skopeo pushes byte for byte (`copy --all --preserve-digests`).
import { MEDIA_TYPES, OciLayout, type Descriptor, type Platform, type WrittenBlob } from './oci-layout.js';
import { writeRandomLayer, type LayerBlob } from './random-layer.js';

export const DEFAULT_PLATFORMS: Platform[] = [
  { os: 'linux', architecture: 'amd64' },
  { os: 'linux', architecture: 'arm64' },
];

export const PREDICATE_TYPES = {
  slsaProvenance: 'https://slsa.dev/provenance/v0.2',
  spdx: 'https://spdx.dev/Document',
} as const;

const CREATED = '2024-01-01T00:00:00Z';

export interface BuildImageOptions {
  /** Layout dir to write into (created or added to); default a fresh temp dir. */
  layoutDir?: string;
  /** Tag in the layout's index.json; default "latest". */
  tag?: string;
  /** Default linux/amd64 + linux/arm64. */
  platforms?: Platform[];
  /** Force an image index even for one platform (default: only when needed). */
  index?: boolean;
  /** Uncompressed content size of each layer, per platform; default [1024, 4096]. */
  layerSizes?: number[];
  /** Add an attestation manifest per platform, as `docker buildx --provenance --sbom` does. */
  attestations?: boolean;
  /** Reproducible content: same seed and options, same digests. Default: random. */
  seed?: string;
  gzipLevel?: number;
  /** Image config labels. */
  labels?: Record<string, string>;
  /** Name used in attestation subjects, e.g. "acme/app". */
  name?: string;
}

export interface PlatformManifest {
  digest: string;
  size: number;
  mediaType: string;
  platform: Platform;
  configDigest: string;
  layers: LayerBlob[];
}

export interface AttestationManifest {
  digest: string;
  size: number;
  mediaType: string;
  /** Digest of the platform manifest it attests (vnd.docker.reference.digest). */
  subject: string;
  predicateTypes: string[];
}

export interface BlobRecord {
  digest: string;
  size: number;
  mediaType: string;
}

export interface ImageLayout {
  layoutDir: string;
  tag: string;
  /** `oci:<layoutDir>:<tag>`, a skopeo source reference. */
  ociRef: string;
  /** Digest of the top-level manifest or index. */
  digest: string;
  mediaType: string;
  size: number;
  /** The exact bytes of the top-level manifest or index. */
  raw: Buffer;
  /** Platform manifests (for a single-platform image: the one manifest). */
  manifests: PlatformManifest[];
  attestations: AttestationManifest[];
  /** Every blob of the image, top-level manifest included, each once. */
  blobs: BlobRecord[];
  totalBytes: number;
  descriptor: Descriptor;
}

export async function buildImage(options: BuildImageOptions = {}): Promise<ImageLayout> {
  const layout = await OciLayout.open(options.layoutDir);
  const tag = options.tag ?? 'latest';
  const platforms = options.platforms ?? DEFAULT_PLATFORMS;
  if (platforms.length === 0) throw new Error('buildImage: at least one platform');
  const blobs = new Map<string, BlobRecord>();
  const record = (digest: string, size: number, mediaType: string): void => {
    blobs.set(digest, { digest, size, mediaType });
  };

  const manifests: PlatformManifest[] = [];
  for (const [p, platform] of platforms.entries()) {
    const layers: LayerBlob[] = [];
    for (const [l, contentSize] of (options.layerSizes ?? [1024, 4096]).entries()) {
      const layer = await writeRandomLayer(layout, {
        contentSize,
        fileName: `layer-${p}-${l}-${platformString(platform).replace(/\//g, '-')}.bin`,
        seed: options.seed === undefined ? undefined : `${options.seed}\n${tag}`,
        gzipLevel: options.gzipLevel,
      });
      record(layer.digest, layer.size, MEDIA_TYPES.layerGzip);
      layers.push(layer);
    }
    const config = await layout.writeJson({
      created: CREATED,
      architecture: platform.architecture,
      os: platform.os,
      ...(platform.variant ? { variant: platform.variant } : {}),
      config: { Env: ['PATH=/usr/local/bin:/usr/bin:/bin'], Labels: options.labels ?? {} },
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
      history: layers.map(() => ({ created: CREATED, created_by: 'ci-actions test harness' })),
    });
    record(config.digest, config.size, MEDIA_TYPES.config);
    const manifest = await layout.writeJson({
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.manifest,
      config: { mediaType: MEDIA_TYPES.config, digest: config.digest, size: config.size },
      layers: layers.map((l) => ({ mediaType: MEDIA_TYPES.layerGzip, digest: l.digest, size: l.size })),
    });
    record(manifest.digest, manifest.size, MEDIA_TYPES.manifest);
    manifests.push({
      digest: manifest.digest,
      size: manifest.size,
      mediaType: MEDIA_TYPES.manifest,
      platform,
      configDigest: config.digest,
      layers,
    });
  }

  const attestations: AttestationManifest[] = [];
  if (options.attestations) {
    for (const m of manifests) attestations.push(await writeAttestation(layout, m, options.name ?? 'acme/app', tag, record));
  }

  const useIndex = options.index ?? (platforms.length > 1 || attestations.length > 0);
  let top: WrittenBlob;
  let mediaType: string;
  if (useIndex) {
    mediaType = MEDIA_TYPES.index;
    top = await layout.writeJson({
      schemaVersion: 2,
      mediaType,
      manifests: [
        ...manifests.map((m) => ({ mediaType: m.mediaType, digest: m.digest, size: m.size, platform: m.platform })),
        ...attestations.map((a) => ({
          mediaType: a.mediaType,
          digest: a.digest,
          size: a.size,
          annotations: { 'vnd.docker.reference.digest': a.subject, 'vnd.docker.reference.type': 'attestation-manifest' },
          platform: { architecture: 'unknown', os: 'unknown' },
        })),
      ],
    });
    record(top.digest, top.size, mediaType);
  } else {
    mediaType = MEDIA_TYPES.manifest;
    top = { digest: manifests[0].digest, size: manifests[0].size, bytes: await layout.readBlob(manifests[0].digest) };
  }
  const descriptor: Descriptor = { mediaType, digest: top.digest, size: top.size };
  await layout.tag(descriptor, tag);
  const all = [...blobs.values()];
  return {
    layoutDir: layout.dir,
    tag,
    ociRef: layout.ref(tag),
    digest: top.digest,
    mediaType,
    size: top.size,
    raw: top.bytes,
    manifests,
    attestations,
    blobs: all,
    totalBytes: all.reduce((sum, b) => sum + b.size, 0),
    descriptor,
  };
}

export function platformString(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

async function writeAttestation(
  layout: OciLayout,
  subject: PlatformManifest,
  name: string,
  tag: string,
  record: (digest: string, size: number, mediaType: string) => void,
): Promise<AttestationManifest> {
  const purl = `pkg:docker/${name}@${tag}?platform=${encodeURIComponent(platformString(subject.platform))}`;
  const statement = (predicateType: string, predicate: unknown): unknown => ({
    _type: 'https://in-toto.io/Statement/v0.1',
    predicateType,
    subject: [{ name: purl, digest: { sha256: subject.digest.slice('sha256:'.length) } }],
    predicate,
  });
  const statements = [
    { type: PREDICATE_TYPES.slsaProvenance, predicate: { builder: { id: 'ci-actions-test-harness' }, buildType: 'https://mobyproject.org/buildkit@v1' } },
    { type: PREDICATE_TYPES.spdx, predicate: { spdxVersion: 'SPDX-2.3', SPDXID: 'SPDXRef-DOCUMENT', name: purl, packages: [] } },
  ];
  const layers: { blob: WrittenBlob; predicateType: string }[] = [];
  for (const s of statements) {
    const blob = await layout.writeJson(statement(s.type, s.predicate));
    record(blob.digest, blob.size, MEDIA_TYPES.inToto);
    layers.push({ blob, predicateType: s.type });
  }
  // buildx writes an image config with unknown/unknown and the in-toto blobs as
  // (uncompressed) layers, so diff_ids equal the layer digests.
  const config = await layout.writeJson({
    architecture: 'unknown',
    os: 'unknown',
    config: {},
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.blob.digest) },
  });
  record(config.digest, config.size, MEDIA_TYPES.config);
  const manifest = await layout.writeJson({
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.manifest,
    config: { mediaType: MEDIA_TYPES.config, digest: config.digest, size: config.size },
    layers: layers.map((l) => ({
      mediaType: MEDIA_TYPES.inToto,
      digest: l.blob.digest,
      size: l.blob.size,
      annotations: { 'in-toto.io/predicate-type': l.predicateType },
    })),
  });
  record(manifest.digest, manifest.size, MEDIA_TYPES.manifest);
  return {
    digest: manifest.digest,
    size: manifest.size,
    mediaType: MEDIA_TYPES.manifest,
    subject: subject.digest,
    predicateTypes: layers.map((l) => l.predicateType),
  };
}
