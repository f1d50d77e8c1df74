// What a promotion must move, found on the source by digest only, so a tag moved while
// we look cannot change what is promoted. An image is a tree: a top manifest (an index
// or an image manifest), the manifests it lists, and the blobs they reference. Artifacts
// that refer to the image (signatures, SBOMs) are trees of their own, found through the
// referrers API or its tag fallback.
import { mapLimit } from '../util/concurrency.js';
import { sha256Digest } from './digest.js';
import { selectManifests } from './platforms.js';
import { referrerDescriptor, referrerIndex } from './referrer-index.js';
import { cosignTagSubject } from './referrer-tags.js';
import type { RegistryClient } from './registry-client.js';
import { isIndexMediaType, platformString, type Descriptor, type ImageIndex, type ImageManifest, type RawManifest } from './types.js';
import { DomainError } from '../errors.js';

export class UnknownManifestError extends DomainError {}

export interface ImageTree {
  top: RawManifest;
  /** Every manifest of the tree, children before the manifests that list them; top last. */
  manifests: RawManifest[];
  /** Every distributable blob of the tree, once. */
  blobs: Descriptor[];
}

/**
 * The root to promote. With a platform filter an index is rewritten to list only those
 * platforms (and their attestations): a new index, new digest; children stay as they are.
 */
export function selectRoot(root: RawManifest, platforms: readonly string[], attestations: boolean): { root: RawManifest; dropped: Descriptor[] } {
  if (!isIndexMediaType(root.mediaType) || (platforms.length === 0 && attestations)) return { root, dropped: [] };
  const index = JSON.parse(root.bytes.toString('utf8')) as ImageIndex;
  const selection = selectManifests(index.manifests, platforms, attestations);
  if (selection.unmatched.length > 0) {
    const available = index.manifests.filter((m) => m.platform && m.platform.os !== 'unknown').map((m) => platformString(m.platform));
    throw new UnknownManifestError(`platform(s) ${selection.unmatched.join(', ')} not in the image; it has ${available.join(', ')}`);
  }
  if (selection.dropped.length === 0) return { root, dropped: [] };
  const bytes = Buffer.from(JSON.stringify({ ...index, manifests: selection.keep }));
  return { root: { bytes, digest: sha256Digest(bytes), mediaType: root.mediaType }, dropped: selection.dropped };
}

/** The manifests an index lists (none for an image manifest). */
export function childDescriptors(manifest: RawManifest): Descriptor[] {
  return isIndexMediaType(manifest.mediaType) ? (JSON.parse(manifest.bytes.toString('utf8')) as ImageIndex).manifests : [];
}

/** The digest a referring artifact is about (its `subject`), if it has one. */
export function subjectOf(manifest: RawManifest): string | undefined {
  return (JSON.parse(manifest.bytes.toString('utf8')) as { subject?: { digest?: string } }).subject?.digest;
}

export async function walkTree(client: RegistryClient, repository: string, top: RawManifest, concurrency: number): Promise<ImageTree> {
  const manifests: RawManifest[] = [];
  const seen = new Set<string>();
  const blobs = new Map<string, Descriptor>();
  const visit = async (node: RawManifest): Promise<void> => {
    seen.add(node.digest);
    const children = childDescriptors(node).filter((d) => !seen.has(d.digest));
    const fetched = await mapLimit(children, concurrency, (d) => fetchManifest(client, repository, d.digest));
    for (const child of fetched) if (!seen.has(child.digest)) await visit(child);
    if (!isIndexMediaType(node.mediaType)) {
      const manifest = JSON.parse(node.bytes.toString('utf8')) as ImageManifest;
      for (const blob of [manifest.config, ...(manifest.layers ?? [])]) if (blob && isDistributable(blob)) blobs.set(blob.digest, blob);
    }
    manifests.push(node);
  };
  await visit(top);
  return { top, manifests, blobs: [...blobs.values()] };
}

/**
 * The tree's manifests in levels to push: each level lists only blobs and manifests of
 * earlier levels, so a level's manifests can go to a registry at once; the top is last.
 */
export function manifestLevels(tree: Pick<ImageTree, 'manifests'>): RawManifest[][] {
  const levelOf = new Map<string, number>();
  const levels: RawManifest[][] = [];
  for (const manifest of tree.manifests) {
    const below = childDescriptors(manifest).map((d) => levelOf.get(d.digest) ?? -1);
    const level = Math.max(-1, ...below) + 1;
    levelOf.set(manifest.digest, level);
    (levels[level] ??= []).push(manifest);
  }
  return levels;
}

export interface Referrers {
  /** Top manifests of the referring artifacts (referrers of referrers included). */
  manifests: RawManifest[];
  /**
   * By subject digest, the `sha256-<hex>` fallback index a destination without the referrers
   * API needs: the source's own, byte for byte, where it has one; else one made from what
   * the source's referrers API listed, so the artifacts stay discoverable there too.
   */
  fallbackIndexes: Map<string, RawManifest>;
}

/** What refers to one subject: the descriptors listed, and the fallback index they came from, if any. */
export type ReferrerLookup = (subject: string) => Promise<{ manifests: Descriptor[]; fallbackIndex?: RawManifest }>;

/**
 * Artifacts referring to any of `subjects`, and artifacts referring to those in turn.
 * `lookup` asks the registry about one subject (its referrers API, or its fallback tag).
 */
export async function findReferrers(
  client: RegistryClient,
  repository: string,
  subjects: string[],
  concurrency: number,
  lookup: ReferrerLookup,
): Promise<Referrers> {
  const fetched = new Map<string, RawManifest>();
  const fallbackIndexes = new Map<string, RawManifest>();
  const seen = new Set(subjects);
  let pending = subjects;
  while (pending.length > 0) {
    const found = await mapLimit(pending, concurrency, async (subject) => ({ subject, ...(await lookup(subject)) }));
    const next: string[] = [];
    for (const { subject, manifests: refs, fallbackIndex } of found) {
      for (const ref of refs) {
        if (seen.has(ref.digest)) continue;
        seen.add(ref.digest);
        fetched.set(ref.digest, await fetchManifest(client, repository, ref.digest));
        next.push(ref.digest);
      }
      if (fallbackIndex) fallbackIndexes.set(subject, fallbackIndex);
      // Described from the manifests themselves, as the spec defines the API's answer: some
      // registries put the config's media type where the artifact's type belongs.
      else if (refs.length > 0) fallbackIndexes.set(subject, referrerIndex(refs.map((r) => referrerDescriptor(fetched.get(r.digest)!))));
    }
    pending = next;
  }
  return { manifests: [...fetched.values()], fallbackIndexes };
}

async function fetchManifest(client: RegistryClient, repository: string, digest: string): Promise<RawManifest> {
  const raw = await client.getManifest(repository, digest);
  if (!raw) throw new UnknownManifestError(`${client.registry}/${repository}@${digest} is listed by the image but missing from the registry`);
  return raw;
}

/** Foreign (non-distributable) layers live outside registries and are never copied. */
function isDistributable(d: Descriptor): boolean {
  return !/nondistributable|foreign/.test(d.mediaType);
}

export interface TaggedArtifact {
  tag: string;
  manifest: RawManifest;
}

/**
 * cosign's signature, attestation and SBOM tags (`sha256-<hex>.sig`, ...) about any of
 * `subjects`, with what they hold, found among the repository's `tags`.
 */
export async function findCosignTags(
  client: RegistryClient,
  repository: string,
  subjects: string[],
  repositoryTags: readonly string[],
  concurrency: number,
): Promise<TaggedArtifact[]> {
  const wanted = new Set(subjects);
  const tags = repositoryTags.filter((tag) => wanted.has(cosignTagSubject(tag) ?? ''));
  const manifests = await mapLimit(tags, concurrency, (tag) => client.getManifest(repository, tag));
  // A tag removed between the listing and the read is left out.
  return tags.flatMap((tag, i) => (manifests[i] ? [{ tag, manifest: manifests[i] }] : []));
}
