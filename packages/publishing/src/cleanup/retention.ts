// The retention strategy's selection: which images of a package a GHCR retention policy
// deletes, under dataaxiom/ghcr-cleanup-action's input names, so moving from it is a
// change of `uses:`. Pure: the table in test/unit/cleanup-plan.test.ts is its
// specification; plan.ts then keeps everything a kept image lists or is referred to by.
//
// In order, first rule wins, for each image (plan.ts: a version nothing lists, or tagged):
//   1. exclude-tags matches one of its tags or its digest: kept;
//   2. younger than older-than: kept (older-than narrows every selection below);
//   3. broken (broken.ts) and its delete-* option set: deleted; a broken image is not
//      otherwise special: a ghost tagged `latest` is still a tagged image below;
//   4. an orphaned referrer (tags only sha256-<hex>...): kept unless delete-orphaned-images;
//   5. tagged: with delete-tags, images whose every tag it matches are selected; an image
//      with another tag too is kept, and the tags delete-tags matches are removed from it
//      (untag.ts: GitHub's API deletes versions, not tags); with keep-n-tagged, the newest
//      N selected stay; selected by neither: kept;
//   6. untagged: keep-n-untagged keeps the newest N and deletes the rest; otherwise
//      delete-untagged deletes them all.
import type { PackageVersion } from '../github/container-package.js';
import { referrerTagSubject } from '../oci/referrer-tags.js';
import { shortDigest } from '../util/format.js';
import type { BrokenImage } from './broken.js';

/** Whether a tag (or a digest) is one a pattern input names. */
export type TagMatcher = (text: string) => boolean;

export interface RetentionRules {
  deleteTags?: TagMatcher;
  excludeTags?: TagMatcher;
  keepNTagged?: number;
  keepNUntagged?: number;
  deleteUntagged: boolean;
  deleteGhostImages: boolean;
  deletePartialImages: boolean;
  deleteOrphanedImages: boolean;
  /** Only images older than this many milliseconds are deleted. */
  olderThanMs?: number;
  /** older-than as written, for reasons. */
  olderThan?: string;
}

export interface RetentionSplit {
  candidates: Map<string, string>;
  kept: Map<string, string>;
  /** Kept images' tags that delete-tags matches: removed, the image kept under its other tags. */
  untag: Map<string, string[]>;
}

export function selectForRetention(
  rules: RetentionRules,
  images: readonly PackageVersion[],
  broken: ReadonlyMap<string, BrokenImage>,
  now: number,
): RetentionSplit {
  const candidates = new Map<string, string>();
  const kept = new Map<string, string>();
  const untag = new Map<string, string[]>();
  const tagged: PackageVersion[] = [];
  const untagged: PackageVersion[] = [];
  for (const image of newestFirst(images)) {
    const own = ownTags(image);
    const excluded = rules.excludeTags && [...image.tags, image.digest].find(rules.excludeTags);
    if (excluded) kept.set(image.digest, `${excluded} matches exclude-tags`);
    else if (rules.olderThanMs !== undefined && now - image.createdAt < rules.olderThanMs)
      kept.set(image.digest, `younger than ${rules.olderThan} (older-than)`);
    else if (deletesBroken(rules, broken.get(image.digest))) candidates.set(image.digest, describeBroken(broken.get(image.digest)!));
    else if (own.length === 0 && image.tags.length > 0) {
      kept.set(image.digest, `${describeBroken(broken.get(image.digest) ?? { kind: 'orphaned', missing: [] })}; delete-orphaned-images is off`);
    } else if (own.length > 0) tagged.push(image);
    else untagged.push(image);
  }

  const selected = rules.deleteTags
    ? tagged.filter((image) => selectsEveryTag(rules.deleteTags!, image, kept, untag))
    : rules.keepNTagged !== undefined
      ? tagged
      : [];
  if (!rules.deleteTags && rules.keepNTagged === undefined) {
    for (const image of tagged) kept.set(image.digest, `tagged ${ownTags(image).join(', ')}; neither delete-tags nor keep-n-tagged selects tagged images`);
  }
  selected.forEach((image, rank) => {
    if (rules.keepNTagged !== undefined && rank < rules.keepNTagged)
      kept.set(image.digest, `one of the newest ${rules.keepNTagged} tagged images (keep-n-tagged)`);
    else if (rules.deleteTags) candidates.set(image.digest, `every tag (${ownTags(image).join(', ')}) matches delete-tags`);
    else candidates.set(image.digest, `older than the newest ${rules.keepNTagged} tagged images (keep-n-tagged)`);
  });

  untagged.forEach((image, rank) => {
    if (rules.keepNUntagged !== undefined) {
      if (rank < rules.keepNUntagged) kept.set(image.digest, `one of the newest ${rules.keepNUntagged} untagged images (keep-n-untagged)`);
      else candidates.set(image.digest, `older than the newest ${rules.keepNUntagged} untagged images (keep-n-untagged)`);
    } else if (rules.deleteUntagged) candidates.set(image.digest, 'untagged (delete-untagged)');
    else kept.set(image.digest, 'untagged; delete-untagged is off');
  });
  return { candidates, kept, untag };
}

/**
 * An image delete-tags selects: every tag of its own matches. One with another tag is kept
 * under it, and the tags that do match are to be removed from it.
 */
function selectsEveryTag(deleteTags: TagMatcher, image: PackageVersion, kept: Map<string, string>, untag: Map<string, string[]>): boolean {
  const own = ownTags(image);
  const matched = own.filter(deleteTags);
  if (matched.length === own.length || deleteTags(image.digest)) return true;
  const unmatched = own.filter((t) => !deleteTags(t));
  if (matched.length === 0) kept.set(image.digest, `tagged ${own.join(', ')}, which delete-tags does not match`);
  else {
    kept.set(image.digest, `also tagged ${unmatched.join(', ')}, which delete-tags does not match`);
    untag.set(image.digest, matched);
  }
  return false;
}

function deletesBroken(rules: RetentionRules, broken: BrokenImage | undefined): boolean {
  if (!broken) return false;
  return { ghost: rules.deleteGhostImages, partial: rules.deletePartialImages, orphaned: rules.deleteOrphanedImages }[broken.kind];
}

export function describeBroken(broken: BrokenImage): string {
  const missing = broken.missing.map(shortDigest).join(', ');
  switch (broken.kind) {
    case 'ghost':
      return `ghost image: every platform manifest it lists is gone (${missing})`;
    case 'partial':
      return `partial image: platform manifests it lists are gone (${missing})`;
    case 'orphaned':
      return `orphaned: what it refers to is gone${missing ? ` (${missing})` : ''}`;
  }
}

/** Tags a person gave the image: not the sha256-<hex> tags of referrers and signatures. */
function ownTags(image: PackageVersion): string[] {
  return image.tags.filter((t) => referrerTagSubject(t) === undefined);
}

function newestFirst(images: readonly PackageVersion[]): PackageVersion[] {
  return [...images].sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);
}

/** The retention inputs as given: each undefined when the workflow left it empty. */
export interface RetentionInputs {
  deleteTags?: TagMatcher;
  excludeTags?: TagMatcher;
  keepNTagged?: number;
  keepNUntagged?: number;
  deleteUntagged?: boolean;
  deleteGhostImages?: boolean;
  deletePartialImages?: boolean;
  deleteOrphanedImages?: boolean;
  olderThanMs?: number;
  olderThan?: string;
}

/**
 * The rules the inputs mean. As in dataaxiom/ghcr-cleanup-action, a run that names nothing
 * to delete or keep (exclude-tags, older-than and validate only narrow or report)
 * deletes untagged images: the usual reason to run it.
 */
export function retentionRules(given: RetentionInputs): RetentionRules {
  const selects = [
    given.deleteTags,
    given.keepNTagged,
    given.keepNUntagged,
    given.deleteUntagged,
    given.deleteGhostImages,
    given.deletePartialImages,
    given.deleteOrphanedImages,
  ].some((v) => v !== undefined);
  return {
    ...given,
    deleteUntagged: given.deleteUntagged ?? !selects,
    deleteGhostImages: given.deleteGhostImages ?? false,
    deletePartialImages: given.deletePartialImages ?? false,
    deleteOrphanedImages: given.deleteOrphanedImages ?? false,
  };
}
