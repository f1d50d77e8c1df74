// The plan of a promotion: a pure function from what was found on the source and at each
// destination (promote-resolve.ts) to what must be done there, item by item. Nothing
// here touches a registry: table-driven tests check it, dry-run prints it, and
// promote-execute.ts carries it out.
import { manifestLevels, type ImageTree, type TaggedArtifact } from './image-graph.js';
import { isAttestationManifest } from './platforms.js';
import { mergeReferrerIndex } from './referrer-index.js';
import { referrersTag } from './registry-client.js';
import { isIndexMediaType, platformString, type Descriptor, type ImageIndex, type RawManifest } from './types.js';

/** What was found on the source, by digest only. */
export interface SourceState {
  registry: string;
  repository: string;
  /** The source reference as given, for people. */
  reference: string;
  /** The digest the source reference resolved to. */
  digest: string;
  /** What is promoted: the source's top manifest, or a new index of the platforms kept. */
  root: RawManifest;
  platforms: string;
  /** Top manifests of the artifacts referring to the image (signatures, SBOMs), referrers of referrers included. */
  referrers: readonly RawManifest[];
  /** By subject digest, the fallback index (`sha256-<hex>` tag) a destination without the referrers API needs. */
  referrerIndexes: ReadonlyMap<string, RawManifest>;
  cosignTags: readonly TaggedArtifact[];
  /** The tree of each top manifest some destination lacks, by the top's digest. */
  trees: ReadonlyMap<string, ImageTree>;
}

/** What one destination repository holds now, of what the promotion needs. */
export interface DestinationState {
  registry: string;
  repository: string;
  /** Manifests asked about, by digest: whether the repository has them. */
  manifests: ReadonlyMap<string, boolean>;
  /** Blobs asked about, by digest: whether the repository has them. */
  blobs: ReadonlyMap<string, boolean>;
  /**
   * Whether the registry serves the referrers API, asked only when something refers to the
   * image; undefined when that was not asked, or could not be told (a new repository).
   */
  referrersApi?: boolean;
  /** Unless it serves the referrers API: by subject, the fallback index the repository holds now (undefined: none). */
  referrerIndexes: ReadonlyMap<string, RawManifest | undefined>;
  /** By cosign tag: the digest it points at here now (undefined: no such tag). */
  cosignTags: ReadonlyMap<string, string | undefined>;
}

/** A destination as given: a repository and a tag (none: the image is promoted by digest only). */
export interface TagState {
  registry: string;
  repository: string;
  tag?: string;
  /** The digest the tag points at now; undefined when it does not exist. */
  current?: string;
}

export interface ResolvedPromotion {
  source: SourceState;
  /** Each destination repository once, in the order given. */
  destinations: readonly DestinationState[];
  /** Each destination in the order given. */
  tags: readonly TagState[];
}

export type BlobAction = 'skip' | 'mount' | 'copy';

export interface PlannedBlob {
  /** registry/repository */
  destination: string;
  digest: string;
  size: number;
  action: BlobAction;
  /** For a mount: the repository of the same registry it is mounted from. */
  from?: string;
}

export interface PlannedManifest {
  manifest: RawManifest;
  /** What it is, for people: index, linux/arm64, attestation, referrer, cosign sig. */
  what: string;
  action: 'skip' | 'push';
}

export interface PlannedReferrerIndex {
  subject: string;
  tag: string;
  /**
   * push: the fallback tag is written; skip: it lists every artifact already; indexed: the
   * registry's referrers API lists them, no tag is needed; unless-indexed: whether the
   * registry has the API is learned when the artifacts are pushed (it answers OCI-Subject),
   * and the tag is written if it does not.
   */
  action: 'push' | 'skip' | 'indexed' | 'unless-indexed';
  /** What the tag is to hold: the source's index, or the destination's with the source's artifacts added. */
  index: RawManifest;
  /** How many artifacts the index lists. */
  listed: number;
}

export interface PlannedCosignTag {
  tag: string;
  manifest: RawManifest;
  /** What the tag points at now at the destination. */
  current?: string;
  /** keep: the tag holds other contents there (signed there too), and is left as it is. */
  action: 'push' | 'skip' | 'keep';
}

export interface DestinationPlan {
  registry: string;
  repository: string;
  /** Largest first, the order they are moved in. */
  blobs: PlannedBlob[];
  /** Top manifests the repository holds already, with everything they list: nothing under them is looked at. */
  present: PlannedManifest[];
  /** In levels: a level lists only blobs and manifests of earlier levels, so each level's pushes go at once. */
  manifestLevels: PlannedManifest[][];
  referrerIndexes: PlannedReferrerIndex[];
  cosignTags: PlannedCosignTag[];
}

export interface PlannedTag {
  registry: string;
  repository: string;
  tag: string;
  /** registry/repository:tag */
  ref: string;
  /** The digest the tag points at now, '' when it does not exist. */
  previous: string;
  action: 'set' | 'skip';
}

export interface PromotionPlan {
  source: string;
  sourceDigest: string;
  root: RawManifest;
  platforms: string;
  destinations: DestinationPlan[];
  /** Set last, once every destination holds the whole image. */
  tags: PlannedTag[];
  /** registry/repository:tag for each destination (registry/repository@digest if untagged), in the order given. */
  refs: string[];
}

export function planPromotion(resolved: ResolvedPromotion): PromotionPlan {
  const { source } = resolved;
  const whats = describeManifests(source);
  const tops = [...new Map([source.root, ...source.referrers, ...source.cosignTags.map((t) => t.manifest)].map((m) => [m.digest, m])).values()];
  // Where each blob is, or will be once the destinations before have been carried out, per
  // registry: a later repository of that registry mounts it from there.
  const holders = new Map<string, string>();
  const holderKey = (registry: string, digest: string) => `${registry}|${digest}`;

  const destinations = resolved.destinations.map((dest): DestinationPlan => {
    const where = `${dest.registry}/${dest.repository}`;
    const planned = (manifest: RawManifest, action: PlannedManifest['action']): PlannedManifest => ({
      manifest,
      what: whats.get(manifest.digest) ?? 'manifest',
      action,
    });
    const absent = tops.filter((top) => !dest.manifests.get(top.digest));
    const trees = absent.map((top) => {
      const tree = source.trees.get(top.digest);
      if (!tree) throw new Error(`the plan needs the tree of ${top.digest}, which was not walked`);
      return tree;
    });

    const levels: PlannedManifest[][] = [];
    const placed = new Set<string>();
    for (const tree of trees) {
      manifestLevels(tree).forEach((level, i) => {
        for (const manifest of level) {
          if (placed.has(manifest.digest)) continue;
          placed.add(manifest.digest);
          const held = manifest.digest !== tree.top.digest && dest.manifests.get(manifest.digest) === true;
          (levels[i] ??= []).push(planned(manifest, held ? 'skip' : 'push'));
        }
      });
    }

    const needed = [...new Map(trees.flatMap((t) => t.blobs).map((b) => [b.digest, b])).values()].sort((a, b) => b.size - a.size);
    const blobs = needed.map((blob): PlannedBlob => {
      const base = { destination: where, digest: blob.digest, size: blob.size };
      if (dest.blobs.get(blob.digest)) return { ...base, action: 'skip' };
      const holder = dest.registry === source.registry ? source.repository : holders.get(holderKey(dest.registry, blob.digest));
      return holder && holder !== dest.repository ? { ...base, action: 'mount', from: holder } : { ...base, action: 'copy' };
    });
    for (const blob of needed) if (!holders.has(holderKey(dest.registry, blob.digest))) holders.set(holderKey(dest.registry, blob.digest), dest.repository);

    return {
      registry: dest.registry,
      repository: dest.repository,
      blobs,
      present: tops.filter((top) => dest.manifests.get(top.digest)).map((top) => planned(top, 'skip')),
      manifestLevels: levels.filter(Boolean),
      referrerIndexes: [...source.referrerIndexes].map(([subject, index]) => planReferrerIndex(subject, index, dest)),
      cosignTags: source.cosignTags.map(({ tag, manifest }): PlannedCosignTag => {
        const current = dest.cosignTags.get(tag);
        const action = current === manifest.digest ? 'skip' : current ? 'keep' : 'push';
        return { tag, manifest, action, ...(current ? { current } : {}) };
      }),
    };
  });

  const tags = resolved.tags.flatMap((t): PlannedTag[] => {
    if (!t.tag) return [];
    const previous = t.current ?? '';
    const ref = `${t.registry}/${t.repository}:${t.tag}`;
    return [{ registry: t.registry, repository: t.repository, tag: t.tag, ref, previous, action: previous === source.root.digest ? 'skip' : 'set' }];
  });

  return {
    source: source.reference,
    sourceDigest: source.digest,
    root: source.root,
    platforms: source.platforms,
    destinations,
    tags,
    refs: resolved.tags.map((t) => (t.tag ? `${t.registry}/${t.repository}:${t.tag}` : `${t.registry}/${t.repository}@${source.root.digest}`)),
  };
}

/**
 * A destination with the referrers API indexes each artifact it is given (OCI distribution
 * 1.1); one without finds them through the fallback tag, which keeps whatever it listed
 * already.
 */
function planReferrerIndex(subject: string, index: RawManifest, dest: DestinationState): PlannedReferrerIndex {
  const tag = referrersTag(subject);
  const listed = (m: RawManifest) => (JSON.parse(m.bytes.toString('utf8')) as ImageIndex).manifests.length;
  if (dest.referrersApi) return { subject, tag, action: 'indexed', index, listed: listed(index) };
  const current = dest.referrerIndexes.get(subject);
  const merged = mergeReferrerIndex(index, current);
  if (!merged) return { subject, tag, action: 'skip', index: current!, listed: listed(current!) };
  return { subject, tag, action: dest.referrersApi === undefined ? 'unless-indexed' : 'push', index: merged, listed: listed(merged) };
}

/** What each manifest of the promotion is, for people, by digest. */
function describeManifests(source: SourceState): Map<string, string> {
  const whats = new Map<string, string>();
  for (const tree of source.trees.values()) {
    for (const manifest of tree.manifests) {
      if (!isIndexMediaType(manifest.mediaType)) continue;
      for (const child of (JSON.parse(manifest.bytes.toString('utf8')) as ImageIndex).manifests) whats.set(child.digest, describeChild(child));
    }
  }
  for (const referrer of source.referrers) whats.set(referrer.digest, 'referrer');
  for (const { tag, manifest } of source.cosignTags) whats.set(manifest.digest, `cosign ${tag.slice(tag.lastIndexOf('.') + 1)}`);
  whats.set(source.root.digest, isIndexMediaType(source.root.mediaType) ? 'index' : 'image');
  return whats;
}

function describeChild(d: Descriptor): string {
  if (isAttestationManifest(d)) return 'attestation';
  return d.platform ? platformString(d.platform) : 'manifest';
}

export interface PlanTotals {
  blobsToCopy: number;
  bytesToCopy: number;
  blobsToMount: number;
  blobsPresent: number;
  manifestsToPush: number;
  manifestsPresent: number;
  tagsToSet: number;
  tagsUnchanged: number;
}

export function planTotals(plan: PromotionPlan): PlanTotals {
  const blobs = plan.destinations.flatMap((d) => d.blobs);
  const manifests = plan.destinations.flatMap((d) => [...d.present, ...d.manifestLevels.flat()]);
  const copies = blobs.filter((b) => b.action === 'copy');
  return {
    blobsToCopy: copies.length,
    bytesToCopy: copies.reduce((n, b) => n + b.size, 0),
    blobsToMount: blobs.filter((b) => b.action === 'mount').length,
    blobsPresent: blobs.filter((b) => b.action === 'skip').length,
    manifestsToPush: manifests.filter((m) => m.action === 'push').length,
    manifestsPresent: manifests.filter((m) => m.action === 'skip').length,
    tagsToSet: plan.tags.filter((t) => t.action === 'set').length,
    tagsUnchanged: plan.tags.filter((t) => t.action === 'skip').length,
  };
}
