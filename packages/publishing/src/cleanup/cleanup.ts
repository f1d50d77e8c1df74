// cleanup-staging: deletes staging package versions only when nothing still needs them.
// For each package: list its versions (GitHub API), learn how they relate (manifests
// from the staging registry), prove promotions in production when the strategy says
// so, plan (plan.ts), then delete wave by wave at bounded concurrency. Everything that
// can refuse (listing, reading, verifying) happens for every package before the first
// delete, so a bad input or an unreachable registry deletes nothing. All I/O goes
// through io.ts, so test/unit/cleanup-properties.test.ts runs this very code on fakes.
//
// With a rate-limit budget (packages.ts), a request the budget does not allow is not
// sent: the run stops there without failing. Stopped while planning, it deletes nothing;
// stopped while deleting, it stops after the requests in flight. Either way what is left
// (packages not looked at, planned deletions not sent) is reported for the next run;
// parents go before children, so what a stop leaves behind are orphans (untagged images
// for the next run), never a broken image.
import { BudgetExhaustedError } from '../github/errors.js';
import type { PackageOwner, PackageVersion } from '../github/container-package.js';
import type { RateLimitState } from '../github/rate-budget.js';
import type { RetryPolicy } from '../http/retry.js';
import type { Log } from '../log.js';
import type { RegistryCredentials } from '../oci/auth.js';
import { formatReference, type ImageReference } from '../oci/reference.js';
import { mapLimit } from '../util/concurrency.js';
import { shortDigest } from '../util/format.js';
import { findBrokenImages } from './broken.js';
import { dependentsOf, type Dependent } from './dependents.js';
import type { PromotionRecord } from '../gate/promotion-record.js';
import { registryIO, type CleanupIO, type ManifestReader, type PackageApi } from './io.js';
import { describeVersion, planCleanup, type CleanupPlan, type VersionDecision } from './plan.js';
import { unprovenInProduction } from './production-proof.js';
import { readManifestLinks } from './read-links.js';
import { describeBroken, type RetentionRules, type TagMatcher } from './retention.js';
import { matchSelectors, type ImageSelector } from './selectors.js';
import { removeTags } from './untag.js';
import type { StrategyDecision } from './strategy.js';

export interface CleanupOptions {
  decision: StrategyDecision;
  /** Organization or user owning the packages. */
  owner: string;
  packages: string[];
  /** expand-packages: every container package of the owner whose name this matches is cleaned too. */
  packagePattern?: TagMatcher;
  staged: ImageSelector[];
  protected: ImageSelector[];
  keepLast: number;
  maxAgeDays: number;
  graceHours: number;
  /** The retention strategy's rules (retention.ts). */
  retention?: RetentionRules;
  /** Report every ghost, partial and orphaned image (broken.ts) of the packages read. */
  validate?: boolean;
  /** Share of the hour's primary rate limit the run may spend; undefined: no budget. */
  rateLimitBudget?: number;
  stagingRegistry: string;
  stagingCredentials?: RegistryCredentials;
  /**
   * What promote-image recorded of each promotion (the stage gate passes them): the digest
   * post-production-cleanup verifies in production in place of the staged one.
   */
  promotions?: PromotionRecord[];
  /** Production repository of each package, for post-production-cleanup. */
  productionRepositories: Map<string, ImageReference>;
  productionCredentials?: RegistryCredentials;
  token: string;
  apiUrl: string;
  concurrency: number;
  dryRun: boolean;
  log: Log;
  retry?: RetryPolicy;
  now?: () => number;
}

export interface CleanupEntry {
  package: string;
  digest: string;
  tags: string[];
  reason: string;
}

export interface CleanupResult {
  strategy: StrategyDecision['strategy'];
  reason: string;
  dryRun: boolean;
  /** Deleted (or, in a dry run, would be), parents before what belongs to them. */
  deleted: CleanupEntry[];
  kept: CleanupEntry[];
  /** Staged entries no package lists: deleted before, or never pushed. */
  notFound: string[];
  /** Promoted images production does not provably serve: kept, and the step fails. */
  unverified: CleanupEntry[];
  /** Ghost, partial and orphaned images found (with validate), whether deleted or kept. */
  invalid: CleanupEntry[];
  /** The rate-limit budget ran out: what is left below is for the next run. */
  budgetExhausted: boolean;
  /** Planned deletions not sent because the budget ran out. */
  left: CleanupEntry[];
  /** Packages not looked at because the budget ran out. */
  packagesLeft: string[];
  /** Kept images that delete-tags' tags were removed from (or, in a dry run, would be), `tags` those removed. */
  untagged: CleanupEntry[];
  /** GitHub's primary rate limit as it last told it. */
  rateLimit?: RateLimitState;
}

interface PackagePlan {
  name: string;
  plan: CleanupPlan;
  dependents: ReadonlyMap<string, readonly Dependent[]>;
}

export async function cleanupStaging(options: CleanupOptions, io: CleanupIO = registryIO(options)): Promise<CleanupResult> {
  const { decision, log } = options;
  const result: CleanupResult = {
    strategy: decision.strategy,
    reason: decision.reason,
    dryRun: options.dryRun,
    deleted: [],
    kept: [],
    notFound: [],
    unverified: [],
    invalid: [],
    budgetExhausted: false,
    left: [],
    packagesLeft: [],
    untagged: [],
  };
  const packageWide = decision.strategy === 'conditional-preserve' || decision.strategy === 'scheduled-sweep' || decision.strategy === 'retention';
  // These strategies act on this run's images only; with none staged (the build failed
  // before pushing) there is nothing to look at, so nothing is asked of the API either.
  if (options.staged.length === 0 && !packageWide) {
    log.info(`${decision.strategy}: no staged images were given, so there is nothing of this run to delete`);
    return result;
  }
  const now = options.now?.() ?? Date.now();
  const github = io.packages;
  try {
    await planAndDelete(options, io, result, now, packageWide);
  } catch (err) {
    if (!(err instanceof BudgetExhaustedError)) throw err;
    result.budgetExhausted = true;
    log.warning(`${err.message}: stopping here; the rest is left for the next run`);
  }
  const rate = github.rateLimit();
  if (rate) result.rateLimit = rate;
  return result;
}

async function planAndDelete(options: CleanupOptions, io: CleanupIO, result: CleanupResult, now: number, packageWide: boolean): Promise<void> {
  const { decision, log } = options;
  const github = io.packages;
  // Until every package is planned, nothing is deleted: running out of budget leaves them all.
  result.packagesLeft = [...options.packages];
  const owner = await github.owner(options.owner);
  const packages = options.packagePattern ? await expandPackages(github, owner, options.packages, options.packagePattern, log) : options.packages;
  result.packagesLeft = [...packages];
  const repository = (name: string) => `${owner.login.toLowerCase()}/${name}`;
  const staging = io.staging(packages.map(repository));
  const production = productionReaders(options, io);

  const matched = new Set<ImageSelector>();
  const plans: PackagePlan[] = [];
  for (const name of packages) {
    const versions = await github.listVersions(owner, name);
    log.info(`${options.stagingRegistry}/${repository(name)}: ${versions.length} version(s)`);
    const staged = matchSelectors(options.staged, name, versions);
    staged.matched.forEach((s) => matched.add(s));
    const guarded = new Map([...matchSelectors(options.protected, name, versions).digests.keys()].map((d) => [d, 'listed in the protected input']));

    if (decision.strategy === 'post-production-cleanup' && staged.digests.size > 0) {
      const target = options.productionRepositories.get(name)!;
      const reader = production.get(target.registry)!;
      const stagingRepository = formatReference({ registry: options.stagingRegistry, repository: repository(name) });
      const digests = [...staged.digests.keys()];
      const unproven = await mapLimit(digests, options.concurrency * 2, (digest) =>
        productionProof(options, reader, target, promotionOf(options.promotions, stagingRepository, digest), digest),
      );
      digests.forEach((digest, i) => {
        const why = unproven[i];
        if (why === undefined) return;
        guarded.set(digest, why);
        result.unverified.push(
          entry(
            name,
            versions.find((v) => v.digest === digest)!,
            why,
          ),
        );
      });
    }

    // Only the package-wide strategies, and runs with images to delete, need the relations.
    const needsRelations = packageWide || (decision.strategy !== 'preserve-for-debug' && staged.digests.size > 0);
    const reading = needsRelations
      ? await readManifestLinks(
          staging,
          repository(name),
          versions,
          options.concurrency * 2,
          log,
          async () => new Set((await github.listVersions(owner, name)).map((v) => v.digest)),
        )
      : { links: new Map(), unreadable: new Map<string, string>() };
    const dependents = dependentsOf(versions, reading.links);
    const broken = findBrokenImages(versions, reading.links);
    if (options.validate) {
      for (const [digest, found] of broken) {
        const version = versions.find((v) => v.digest === digest)!;
        log.warning(`${name}@${describeVersion(version)}: ${describeBroken(found)}`);
        result.invalid.push(entry(name, version, describeBroken(found)));
      }
    }
    const plan = planCleanup({
      strategy: decision.strategy,
      reason: decision.reason,
      versions,
      dependents,
      staged: staged.digests,
      protected: guarded,
      keepLast: options.keepLast,
      maxAgeDays: options.maxAgeDays,
      graceHours: options.graceHours,
      now,
      ...(options.retention ? { retention: { rules: options.retention, broken } } : {}),
    });
    plans.push({ name, plan: reading.unreadable.size > 0 ? keepAll(name, plan, versions, reading.unreadable, log) : plan, dependents });
  }
  result.packagesLeft = [];
  result.notFound = options.staged.filter((s) => !matched.has(s)).map((s) => s.text);
  for (const text of result.notFound) log.warning(`staged image ${text} is not a version of ${packages.join(', ')}: deleted already, or never pushed`);

  for (const { name, plan, dependents } of plans) {
    for (const k of plan.kept) {
      if (k.warning) log.warning(`kept ${name}@${describeVersion(k.version)}: ${k.reason}`);
      else log.info(`keep ${name}@${describeVersion(k.version)}: ${k.reason}`);
      result.kept.push(entry(name, k.version, k.reason));
    }
    // What GitHub refused to delete, and what belongs to it: kept whole, whatever later waves planned.
    const held = new Map<string, string>();
    for (const wave of plan.waves) {
      if (options.dryRun) {
        for (const d of wave) log.info(`would delete ${name}@${describeVersion(d.version)}: ${d.reason}`);
        result.deleted.push(...wave.map((d) => entry(name, d.version, d.reason)));
        continue;
      }
      for (const d of wave.filter((d) => held.has(d.version.digest))) {
        const reason = held.get(d.version.digest)!;
        log.warning(`kept ${name}@${describeVersion(d.version)}: ${reason}`);
        result.kept.push(entry(name, d.version, reason));
      }
      const rest = wave.filter((d) => !held.has(d.version.digest));
      if (result.budgetExhausted) {
        result.left.push(...rest.map((d) => leftEntry(name, d)));
        continue;
      }
      const refused = await deleteWave(github, owner, name, rest, options.concurrency, log, result);
      for (const version of refused) holdWhatBelongsTo(version, dependents, held);
    }
    if (plan.untag.length > 0 && !result.budgetExhausted) await untag(options, io, owner, name, repository(name), plan, result);
  }
}

/** Removes the tags delete-tags matches from the images kept for their other tags. */
async function untag(options: CleanupOptions, io: CleanupIO, owner: PackageOwner, name: string, repository: string, plan: CleanupPlan, result: CleanupResult) {
  const reason = 'these tags match delete-tags; the image stays for its other tags';
  if (options.dryRun) {
    for (const u of plan.untag) {
      options.log.info(`would remove ${u.tags.join(', ')} from ${name}@${describeVersion(u.version)}`);
      result.untagged.push({ ...entry(name, u.version, reason), tags: u.tags });
    }
    return;
  }
  const outcomes = await removeTags(io.packages, owner, name, repository, io.stagingWriter([repository]), plan.untag, options.log);
  for (const { decision, removed, gone } of outcomes) {
    if (removed.length === 0) continue;
    const why = gone ? `${reason} (already gone: the image was deleted meanwhile)` : reason;
    options.log.info(`removed ${removed.join(', ')} from ${name}@${describeVersion(decision.version)}${gone ? ' (already gone)' : ''}`);
    result.untagged.push({ ...entry(name, decision.version, why), tags: removed });
  }
}

function leftEntry(name: string, d: VersionDecision): CleanupEntry {
  return entry(name, d.version, `${d.reason} (left for the next run: the rate-limit budget is spent)`);
}

/** The packages named, and every container package of the owner the pattern matches. */
async function expandPackages(github: PackageApi, owner: PackageOwner, named: readonly string[], pattern: TagMatcher, log: Log): Promise<string[]> {
  const matched = (await github.listPackages(owner)).filter(pattern);
  log.info(`expand-packages: ${matched.length > 0 ? matched.join(', ') : 'no container package'} of ${owner.login} matches`);
  return [...new Set([...named, ...matched])];
}

/**
 * A package with a listed version the registry would not serve: that version may be an
 * index listing any manifest of the package, so nothing the plan would delete is deleted.
 */
function keepAll(name: string, plan: CleanupPlan, versions: readonly PackageVersion[], unreadable: ReadonlyMap<string, string>, log: Log): CleanupPlan {
  const named = [...unreadable].map(([digest, why]) => `${shortDigest(digest)} (${why})`).join(', ');
  const reason = `GitHub lists ${named} but the staging registry cannot read it, so anything of ${name} may belong to it: nothing is deleted`;
  log.warning(`${name}: ${reason}`);
  const kept = new Map(plan.kept.map((k) => [k.version.digest, k]));
  for (const d of plan.waves.flat()) kept.set(d.version.digest, { version: d.version, reason });
  for (const v of versions) if (unreadable.has(v.digest) && !kept.has(v.digest)) kept.set(v.digest, { version: v, reason });
  return { waves: [], kept: [...kept.values()], untag: [] };
}

/** Marks everything that belongs to a version GitHub refused to delete as held, with why. */
function holdWhatBelongsTo(root: PackageVersion, dependents: ReadonlyMap<string, readonly Dependent[]>, held: Map<string, string>): void {
  const queue = [root.digest];
  for (let node = queue.pop(); node !== undefined; node = queue.pop()) {
    for (const d of dependents.get(node) ?? []) {
      if (held.has(d.digest)) continue;
      held.set(d.digest, `${d.kind} of ${shortDigest(root.digest)}, which GitHub refused to delete`);
      queue.push(d.digest);
    }
  }
}

const REFUSALS = {
  'last-tagged-version': 'GitHub refuses to delete the last tagged version of a package; delete the package itself to remove it',
  'downloaded-public-version': 'GitHub refuses to delete a version of a public package downloaded more than 5,000 times; only GitHub support can delete it',
} as const;

/** Deletes one wave; returns the versions GitHub refused (kept, with a warning, and not a failure: no re-run could pass). */
async function deleteWave(
  github: PackageApi,
  owner: PackageOwner,
  name: string,
  wave: VersionDecision[],
  concurrency: number,
  log: Log,
  result: CleanupResult,
): Promise<PackageVersion[]> {
  let overBudget: BudgetExhaustedError | undefined;
  // Once one delete is refused for the budget, the rest of the wave is not even asked.
  const outcomes = await mapLimit(wave, concurrency, async (d) =>
    overBudget
      ? ('over-budget' as const)
      : github.deleteVersion(owner, name, d.version).catch((err: unknown) => {
          if (!(err instanceof BudgetExhaustedError)) throw err;
          overBudget = err;
          return 'over-budget' as const;
        }),
  );
  if (overBudget) {
    result.budgetExhausted = true;
    log.warning(`${overBudget.message}: stopping here; the rest is left for the next run`);
  }
  const refused: PackageVersion[] = [];
  wave.forEach((d, i) => {
    const outcome = outcomes[i];
    if (outcome === 'over-budget') return void result.left.push(leftEntry(name, d));
    if (outcome === 'last-tagged-version' || outcome === 'downloaded-public-version') {
      const reason = `${REFUSALS[outcome]} (planned: ${d.reason})`;
      log.warning(`kept ${name}@${describeVersion(d.version)}: ${reason}`);
      result.kept.push(entry(name, d.version, reason));
      refused.push(d.version);
      return;
    }
    const reason = outcome === 'already-gone' ? `${d.reason} (already gone)` : d.reason;
    log.info(`deleted ${name}@${describeVersion(d.version)}: ${reason}`);
    result.deleted.push(entry(name, d.version, reason));
  });
  return refused;
}

/** The promotion of a staged image, when the pipeline passed what promote-image recorded. */
function promotionOf(promotions: readonly PromotionRecord[] | undefined, staging: string, digest: string): PromotionRecord | undefined {
  return promotions?.find((p) => p.staging === staging && p.stagedDigest === digest);
}

/**
 * Why the staging copy of an image cannot go yet, or undefined when production provably
 * serves what its promotion produced: the staged digest itself, or the digest promote-image
 * recorded (a platform filter makes a new index, so the staged digest is never in production).
 */
async function productionProof(
  options: CleanupOptions,
  reader: ManifestReader,
  target: ImageReference,
  promotion: PromotionRecord | undefined,
  digest: string,
): Promise<string | undefined> {
  const { log } = options;
  const promoted = promotion?.digest ?? digest;
  const as = promoted === digest ? '' : ` (promoted as ${shortDigest(promoted)})`;
  if (promotion?.dryRun) {
    if (!options.dryRun) return `its promotion was a dry run: production ${formatReference(target)} was not written`;
    log.info(
      `${shortDigest(digest)}${as}: promoted in a dry run; a real run deletes it once production ${formatReference(target)} serves ${shortDigest(promoted)} whole`,
    );
    return undefined;
  }
  const why = await unprovenInProduction(reader, target.repository, promoted);
  if (why === undefined) {
    log.info(`${shortDigest(digest)}${as} is served whole by production ${formatReference(target)}`);
    return undefined;
  }
  return `not proven in production ${formatReference(target)}${as} (${why}): its promotion is not verified`;
}

/** One reader per production registry, with pull scope on every repository it holds. */
function productionReaders(options: CleanupOptions, io: CleanupIO) {
  const scopes = new Map<string, string[]>();
  for (const ref of options.productionRepositories.values()) scopes.set(ref.registry, [...(scopes.get(ref.registry) ?? []), ref.repository]);
  return new Map([...scopes].map(([registry, repositories]) => [registry, io.production(registry, repositories)]));
}

function entry(name: string, version: PackageVersion, reason: string): CleanupEntry {
  return { package: name, digest: version.digest, tags: version.tags, reason };
}
