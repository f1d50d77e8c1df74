// What a cleanup deletes from one package and what it keeps, and why. Pure and linear in
// versions + relations, so it plans a package of 10,000 versions in milliseconds
// (bench/cleanup). The table in test/unit/cleanup-plan.test.ts is its specification.
//
// 1. Images are the versions nothing else lists (plus any version with a tag of its own:
//    a tag is a promise that someone may pull it).
// 2. The strategy splits images into candidates and kept ones.
// 3. Everything kept, everything listed as protected, and everything that belongs to
//    either (children, attestations, referrers, transitively) is protected.
// 4. Candidates and what belongs to them are deleted, unless protected: a platform
//    manifest shared with a kept index stays; deleting it would break that image.
// 5. GitHub refuses to delete a package's last tagged version. When the deletions would
//    take every tagged version, the newest image among them stays whole, with that reason:
//    a dry run then lists exactly what the real run deletes.
import type { PackageVersion } from '../github/container-package.js';
import { shortDigest } from '../util/format.js';
import { referrerTagSubject } from '../oci/referrer-tags.js';
import type { BrokenImage } from './broken.js';
import type { Dependent } from './dependents.js';
import { selectForRetention, type RetentionRules, type RetentionSplit } from './retention.js';
import type { Strategy } from './strategy.js';

export interface PlanInput {
  strategy: Strategy;
  /** Why the strategy was chosen; preserve-for-debug reports it for each image kept. */
  reason: string;
  versions: readonly PackageVersion[];
  dependents: ReadonlyMap<string, readonly Dependent[]>;
  /** This run's images: digest -> the tags the run named it by ([] when named by digest alone). */
  staged: ReadonlyMap<string, readonly string[]>;
  /** Digests that must stay, with why (the protected input, promotions production lacks). */
  protected: ReadonlyMap<string, string>;
  keepLast: number;
  maxAgeDays: number;
  graceHours: number;
  now: number;
  /** The retention strategy's rules, and the package's broken images (broken.ts). */
  retention?: { rules: RetentionRules; broken: ReadonlyMap<string, BrokenImage> };
}

export interface VersionDecision {
  version: PackageVersion;
  reason: string;
  /** Kept against the strategy's choice, for a rule of GitHub's: the run warns. */
  warning?: boolean;
}

export interface CleanupPlan {
  /**
   * Deletions in order: a wave starts only after the one before it is done, and a parent
   * is always in an earlier wave than what belongs to it. If a run dies halfway, what is
   * left are orphans (unlisted manifests the sweep removes later), never an index or a
   * tag pointing at a manifest that is gone.
   */
  waves: VersionDecision[][];
  /** What this cleanup considered and keeps. */
  kept: VersionDecision[];
  /** Kept images some tags of which go (retention's delete-tags), each with those tags. */
  untag: UntagDecision[];
}

export interface UntagDecision {
  version: PackageVersion;
  tags: string[];
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export function planCleanup(input: PlanInput): CleanupPlan {
  const byDigest = new Map(input.versions.map((v) => [v.digest, v]));
  // Only relations between versions of this package matter: the rest is already gone.
  const dependents = new Map<string, Dependent[]>();
  const listed = new Set<string>();
  for (const [parent, list] of input.dependents) {
    if (!byDigest.has(parent)) continue;
    const present = list.filter((d) => byDigest.has(d.digest));
    dependents.set(parent, present);
    for (const d of present) listed.add(d.digest);
  }
  const images = input.versions.filter((v) => !listed.has(v.digest) || v.tags.some((t) => referrerTagSubject(t) === undefined));
  const { candidates, kept, untag = new Map<string, string[]>() } = split(input, images, byDigest);

  const protectedBy = new Map<string, string>();
  const protect = (root: string, reason: string): void => {
    if (protectedBy.has(root)) return;
    protectedBy.set(root, reason);
    const queue = [root];
    for (let node = queue.pop(); node !== undefined; node = queue.pop()) {
      for (const d of dependents.get(node) ?? []) {
        if (protectedBy.has(d.digest)) continue;
        protectedBy.set(d.digest, `${d.kind} of kept ${describeVersion(byDigest.get(node)!)}`);
        queue.push(d.digest);
      }
    }
  };
  for (const [digest, why] of input.protected) if (byDigest.has(digest)) protect(digest, `protected: ${why}`);
  for (const [digest, why] of kept) protect(digest, why);
  for (const image of images) {
    if (!candidates.has(image.digest))
      protect(image.digest, image.tags.length > 0 ? `tagged ${image.tags.join(', ')}, not staged by this run` : 'not staged by this run');
  }

  const doomed = new Map<string, string>();
  const keptReport = new Map(kept);
  const queue: string[] = [];
  const consider = (digest: string, reason: string): void => {
    if (doomed.has(digest)) return;
    const guard = protectedBy.get(digest);
    if (guard !== undefined) keptReport.set(digest, guard);
    else {
      doomed.set(digest, reason);
      queue.push(digest);
    }
  };
  for (const [digest, reason] of candidates) consider(digest, reason);
  for (let node = queue.pop(); node !== undefined; node = queue.pop()) {
    for (const d of dependents.get(node) ?? []) consider(d.digest, `${d.kind} of ${describeVersion(byDigest.get(node)!)}`);
  }

  const lastTagged = keepLastTaggedImage(input.versions, candidates, doomed, dependents, byDigest);
  for (const [digest, reason] of lastTagged) keptReport.set(digest, reason);

  const decision = (digest: string, reason: string): VersionDecision => ({ version: byDigest.get(digest)!, reason });
  return {
    waves: waves(doomed, dependents).map((wave) => wave.map((digest) => decision(digest, doomed.get(digest)!))),
    kept: [...keptReport].map(([digest, reason]) => ({ ...decision(digest, reason), ...(lastTagged.has(digest) ? { warning: true } : {}) })),
    // A protected image keeps every tag too.
    untag: [...untag].filter(([digest]) => !input.protected.has(digest)).map(([digest, tags]) => ({ version: byDigest.get(digest)!, tags })),
  };
}

export const LAST_TAGGED_VERSION = 'GitHub refuses to delete the last tagged version of a package';

/**
 * When `doomed` holds every tagged version of the package, GitHub would refuse the last of
 * them: the newest candidate image with a tagged version in it leaves `doomed` whole, its
 * children too (a child deleted under a kept index would break it). Returns what it keeps, with why.
 */
function keepLastTaggedImage(
  versions: readonly PackageVersion[],
  candidates: ReadonlyMap<string, string>,
  doomed: Map<string, string>,
  dependents: ReadonlyMap<string, readonly Dependent[]>,
  byDigest: ReadonlyMap<string, PackageVersion>,
): Map<string, string> {
  const tagged = versions.filter((v) => v.tags.length > 0);
  if (tagged.length === 0 || tagged.some((v) => !doomed.has(v.digest))) return new Map();
  const newestFirst = [...candidates.keys()]
    .filter((digest) => doomed.has(digest))
    .map((digest) => byDigest.get(digest)!)
    .sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);
  for (const root of newestFirst) {
    const image = doomedClosure(root.digest, doomed, dependents);
    if (!image.some((digest) => byDigest.get(digest)!.tags.length > 0)) continue;
    const kept = new Map<string, string>([
      [root.digest, `${LAST_TAGGED_VERSION}, and this cleanup would delete every other tagged version (planned: ${doomed.get(root.digest)!})`],
    ]);
    for (const digest of image.slice(1)) kept.set(digest, `${doomed.get(digest)!}, kept whole with it as the last tagged image`);
    for (const digest of image) doomed.delete(digest);
    return kept;
  }
  return new Map();
}

/** `root` and every doomed version that belongs to it, root first. */
function doomedClosure(root: string, doomed: ReadonlyMap<string, string>, dependents: ReadonlyMap<string, readonly Dependent[]>): string[] {
  const seen = new Set([root]);
  const queue = [root];
  for (let node = queue.pop(); node !== undefined; node = queue.pop()) {
    for (const d of dependents.get(node) ?? []) {
      if (seen.has(d.digest) || !doomed.has(d.digest)) continue;
      seen.add(d.digest);
      queue.push(d.digest);
    }
  }
  return [...seen];
}

/** The strategy's choice among images: candidates for deletion and images it keeps, each with why. */
function split(
  input: PlanInput,
  images: readonly PackageVersion[],
  byDigest: ReadonlyMap<string, PackageVersion>,
): Omit<RetentionSplit, 'untag'> & Partial<RetentionSplit> {
  if (input.strategy === 'retention') {
    if (!input.retention) throw new Error('the retention strategy needs its rules');
    return selectForRetention(input.retention.rules, images, input.retention.broken, input.now);
  }
  const candidates = new Map<string, string>();
  const kept = new Map<string, string>();
  switch (input.strategy) {
    case 'preserve-for-debug':
      for (const digest of input.staged.keys()) kept.set(digest, `preserve-for-debug: ${input.reason}`);
      break;
    case 'immediate-cleanup':
    case 'post-production-cleanup':
      for (const [digest, named] of input.staged) {
        // A tag this run did not name may be another pipeline's (a rebuild of the same commit,
        // a reproducible build: one digest, one version), which may still need the image.
        // Named by digest alone, none of its tags is known to be this run's.
        const foreign = byDigest.get(digest)!.tags.filter((t) => !named.includes(t));
        if (foreign.length === 0) candidates.set(digest, 'staged by this run');
        else if (named.length > 0) kept.set(digest, `also tagged ${foreign.join(', ')}, which this run did not stage`);
        else kept.set(digest, `tagged ${foreign.join(', ')}, which this run did not name (staged by digest alone; stage it as repository:tag@digest)`);
      }
      break;
    case 'conditional-preserve':
    case 'scheduled-sweep': {
      const sweep = input.strategy === 'scheduled-sweep';
      const minAgeMs = sweep ? input.maxAgeDays * DAY_MS : input.graceHours * HOUR_MS;
      const newestFirst = [...images].sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);
      newestFirst.forEach((image, rank) => {
        if (rank < input.keepLast) kept.set(image.digest, `one of the newest ${input.keepLast} images`);
        else if (input.now - image.createdAt < minAgeMs) {
          kept.set(
            image.digest,
            sweep ? `younger than ${input.maxAgeDays} days` : `younger than ${input.graceHours} h: it may belong to a pipeline still running`,
          );
        } else candidates.set(image.digest, sweep ? `older than ${input.maxAgeDays} days` : `older than the newest ${input.keepLast} images`);
      });
      break;
    }
  }
  return { candidates, kept };
}

/** Kahn's algorithm over the doomed versions: each wave holds what no remaining doomed version lists. */
function waves(doomed: ReadonlyMap<string, string>, dependents: ReadonlyMap<string, readonly Dependent[]>): string[][] {
  const parents = new Map<string, number>();
  for (const digest of doomed.keys()) {
    for (const d of dependents.get(digest) ?? []) if (doomed.has(d.digest)) parents.set(d.digest, (parents.get(d.digest) ?? 0) + 1);
  }
  const result: string[][] = [];
  let current = [...doomed.keys()].filter((digest) => !parents.has(digest));
  while (current.length > 0) {
    result.push(current);
    const next: string[] = [];
    for (const digest of current) {
      for (const d of dependents.get(digest) ?? []) {
        if (!doomed.has(d.digest)) continue;
        const left = parents.get(d.digest)! - 1;
        parents.set(d.digest, left);
        if (left === 0) next.push(d.digest);
      }
    }
    current = next;
  }
  return result;
}

export function describeVersion(version: PackageVersion): string {
  return `${shortDigest(version.digest)}${version.tags.length > 0 ? ` (${version.tags.join(', ')})` : ''}`;
}
