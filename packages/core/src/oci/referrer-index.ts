// The referrers tag schema (OCI distribution 1.1 fallback): a `sha256-<hex>` tag holding
// an index of the artifacts that refer to that digest. Pure merge of what the destination
// already lists with what the source lists.
import { sha256Digest } from './digest.js';
import { MediaType, type ImageIndex, type RawManifest } from './types.js';

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
  const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.OciIndex, manifests: [...dst.manifests, ...missing] }));
  return { bytes, digest: sha256Digest(bytes), mediaType: MediaType.OciIndex };
}
