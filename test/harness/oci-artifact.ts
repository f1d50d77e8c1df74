// An OCI 1.1 referrer artifact (e.g. an SBOM) whose `subject` points at an image
// manifest or index, written into an OCI layout so it can be pushed on its own.
// Uses the image-spec 1.1 shape: `artifactType` set, empty config descriptor.
import { MEDIA_TYPES, OciLayout, type Descriptor } from './oci-layout.js';

export interface BuildReferrerOptions {
  /** What the artifact refers to (its digest, size and media type). */
  subject: Pick<Descriptor, 'mediaType' | 'digest' | 'size'>;
  /** e.g. "application/spdx+json". */
  artifactType: string;
  /** The artifact's single layer. */
  payload: Buffer | string;
  /** Media type of the payload layer; default = artifactType. */
  payloadMediaType?: string;
  /** org.opencontainers.image.title of the payload layer. */
  fileName?: string;
  annotations?: Record<string, string>;
  layoutDir?: string;
  /** Tag in the layout's index.json; default "referrer". */
  tag?: string;
}

export interface ReferrerLayout {
  layoutDir: string;
  tag: string;
  ociRef: string;
  digest: string;
  size: number;
  mediaType: string;
  artifactType: string;
  raw: Buffer;
  subject: string;
  blobs: { digest: string; size: number; mediaType: string }[];
}

export async function buildReferrer(options: BuildReferrerOptions): Promise<ReferrerLayout> {
  const layout = await OciLayout.open(options.layoutDir);
  const tag = options.tag ?? 'referrer';
  const payloadMediaType = options.payloadMediaType ?? options.artifactType;
  const empty = await layout.writeBlob(Buffer.from('{}'));
  const payload = await layout.writeBlob(Buffer.from(options.payload));
  const manifest = await layout.writeJson({
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.manifest,
    artifactType: options.artifactType,
    config: { mediaType: MEDIA_TYPES.empty, digest: empty.digest, size: empty.size },
    layers: [
      {
        mediaType: payloadMediaType,
        digest: payload.digest,
        size: payload.size,
        annotations: { 'org.opencontainers.image.title': options.fileName ?? 'payload' },
      },
    ],
    subject: { mediaType: options.subject.mediaType, digest: options.subject.digest, size: options.subject.size },
    annotations: { 'org.opencontainers.image.created': '2024-01-01T00:00:00Z', ...options.annotations },
  });
  await layout.tag({ mediaType: MEDIA_TYPES.manifest, digest: manifest.digest, size: manifest.size, artifactType: options.artifactType }, tag);
  return {
    layoutDir: layout.dir,
    tag,
    ociRef: layout.ref(tag),
    digest: manifest.digest,
    size: manifest.size,
    mediaType: MEDIA_TYPES.manifest,
    artifactType: options.artifactType,
    raw: manifest.bytes,
    subject: options.subject.digest,
    blobs: [
      { digest: empty.digest, size: empty.size, mediaType: MEDIA_TYPES.empty },
      { digest: payload.digest, size: payload.size, mediaType: payloadMediaType },
      { digest: manifest.digest, size: manifest.size, mediaType: MEDIA_TYPES.manifest },
    ],
  };
}
