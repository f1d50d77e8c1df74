// The referrers tag schema (OCI distribution 1.1 fallback): a `sha256-<hex>` tag holding
// an index of the artifacts that refer to that digest. Pure: the index made from a
// referrers API answer, and the merge of what the destination already lists with what
// the source lists.
import { sha256Digest } from './digest.js';
import { MediaType, type Descriptor, type ImageIndex, type RawManifest } from './types.js';

/** The fallback index listing `referrers`, as the referrers API would answer for their subject. */
export function referrerIndex(referrers: readonly Descriptor[]): RawManifest {
  const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.OciIndex, manifests: referrers }));
  return { bytes, digest: sha256Digest(bytes), mediaType: MediaType.OciIndex };
}

/**
 * A referrer's descriptor as the referrers API lists it (OCI distribution 1.1): its
 * artifactType, else its config's media type, and its annotations.
 */
export function referrerDescriptor(manifest: RawManifest): Descriptor {
  const json = JSON.parse(manifest.bytes.toString('utf8')) as { artifactType?: string; config?: { mediaType?: string }; annotations?: Record<string, string> };
  const artifactType = json.artifactType ?? json.config?.mediaType;
  return {
    mediaType: manifest.mediaType,
    digest: manifest.digest,
    size: manifest.bytes.length,
    ...(artifactType ? { artifactType } : {}),
    ...(json.annotations ? { annotations: json.annotations } : {}),
  };
}

/**
 * The index to store at the destination, or undefined when it already lists everything.
 * When the destination has none, the source's bytes are kept as they are.
 */
export function mergeReferrerIndex(source: RawManifest, destination: RawManifest | undefined): RawManifest | undefined {
  if (!destination) return source;
  const src = JSON.parse(source.bytes.toString('utf8')) as ImageIndex;
  const dst = JSON.parse(destination.bytes.toString('utf8')) as ImageIndex;
  const listed = new Set(dst.manifests.map((m) => m.digest));
  const missing = src.manifests.filter((m) => !listed.has(m.digest));
  if (missing.length === 0) return undefined;
  return referrerIndex([...dst.manifests, ...missing]);
}
