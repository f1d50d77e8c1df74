// Everything a promotion must move, found by walking the source from one digest: the
// root manifest, its children (platform and attestation manifests), the blobs they
// reference, and the artifacts that refer to them (signatures, SBOMs). Fetched by digest
// only, so a tag moved while we walk cannot change what is promoted.
import { mapLimit } from '../util/concurrency.js';
import { sha256Digest } from './digest.js';
import { selectManifests } from './platforms.js';
import type { RegistryClient } from './registry-client.js';
import { isIndexMediaType, type Descriptor, type ImageIndex, type ImageManifest, type RawManifest } from './types.js';

export interface ImageGraph {
  /** What gets tagged at the destination (a new index when platforms were filtered). */
  root: RawManifest;
  /** Every manifest to push, children before the manifests that list them. */
  manifests: RawManifest[];
  /** Every distributable blob, once. */
  blobs: Descriptor[];
  /** Referrer fallback indexes of the source (`sha256-<hex>` tags), by subject digest. */
  referrerIndexes: Map<string, RawManifest>;
  /** Index entries left out by the platform filter. */
  dropped: Descriptor[];
}

export interface WalkOptions {
  platforms: readonly string[];
  attestations: boolean;
  referrers: boolean;
  concurrency: number;
}

export class UnknownManifestError extends Error {}

export async function walkImage(client: RegistryClient, repository: string, root: RawManifest, options: WalkOptions): Promise<ImageGraph> {
  const ordered: RawManifest[] = [];
  const seen = new Set<string>();
  const blobs = new Map<string, Descriptor>();
  const referrerIndexes = new Map<string, RawManifest>();
  let dropped: Descriptor[] = [];

  const fetch = async (d: Descriptor): Promise<RawManifest> => {
    const raw = await client.getManifest(repository, d.digest);
    if (!raw) throw new UnknownManifestError(`${client.registry}/${repository}@${d.digest} is listed by the image but missing from the registry`);
    return raw;
  };

  const visit = async (raw: RawManifest, filter: boolean): Promise<RawManifest> => {
    let node = raw;
    if (isIndexMediaType(raw.mediaType)) {
      const index = JSON.parse(raw.bytes.toString('utf8')) as ImageIndex;
      let children = index.manifests;
      if (filter) {
        const selection = selectManifests(children, options.platforms, options.attestations);
        if (selection.unmatched.length > 0) {
          throw new UnknownManifestError(`platform(s) ${selection.unmatched.join(', ')} not in the image; it has ${children.filter((c) => c.platform).map((c) => [c.platform!.os, c.platform!.architecture, c.platform!.variant].filter(Boolean).join('/')).join(', ')}`);
        }
        dropped = selection.dropped;
        children = selection.keep;
        if (selection.dropped.length > 0) {
          const bytes = Buffer.from(JSON.stringify({ ...index, manifests: children }));
          node = { bytes, digest: sha256Digest(bytes), mediaType: raw.mediaType };
        }
      }
      const fetched = await mapLimit(children, options.concurrency, fetch);
      for (const child of fetched) if (!seen.has(child.digest)) await visit(child, false);
    } else {
      const manifest = JSON.parse(raw.bytes.toString('utf8')) as ImageManifest;
      for (const blob of [manifest.config, ...(manifest.layers ?? [])]) {
        if (blob && isDistributable(blob)) blobs.set(blob.digest, blob);
      }
    }
    if (!seen.has(node.digest)) {
      seen.add(node.digest);
      ordered.push(node);
    }
    return node;
  };

  const top = await visit(root, true);

  if (options.referrers) {
    // Referrers of the image and of each platform manifest; then theirs (a signature of an SBOM).
    let subjects = ordered.map((m) => m.digest);
    const visitedSubjects = new Set<string>();
    while (subjects.length > 0) {
      subjects.forEach((s) => visitedSubjects.add(s));
      const found = await mapLimit(subjects, options.concurrency, async (subject) => ({ subject, refs: await client.referrers(repository, subject) }));
      const next: string[] = [];
      for (const { subject, refs } of found) {
        if (refs.fallbackIndex) referrerIndexes.set(subject, refs.fallbackIndex);
        for (const ref of refs.manifests) {
          if (seen.has(ref.digest)) continue;
          await visit(await fetch(ref), false);
          if (!visitedSubjects.has(ref.digest)) next.push(ref.digest);
        }
      }
      subjects = next;
    }
  }

  return { root: top, manifests: ordered, blobs: [...blobs.values()], referrerIndexes, dropped };
}

/** Foreign (non-distributable) layers live outside registries and are never copied. */
function isDistributable(d: Descriptor): boolean {
  return !/nondistributable|foreign/.test(d.mediaType);
}
