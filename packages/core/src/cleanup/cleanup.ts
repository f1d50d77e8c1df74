// cleanup-staging: deletes staging package versions only when nothing still needs them.
// For each package: list its versions (GitHub API), learn how they relate (manifests
// from the staging registry), verify promotions in production when the strategy says
// so, plan (plan.ts), then delete wave by wave at bounded concurrency. Everything that
// can refuse (listing, reading, verifying) happens for every package before the first
// delete, so a bad input or an unreachable registry deletes nothing.
import { ContainerPackages, type PackageOwner, type PackageVersion } from '../github/packages.js';
import type { RetryPolicy } from '../http/retry.js';
import type { Log } from '../log.js';
import type { RegistryCredentials } from '../oci/auth.js';
import { formatReference, type ImageReference } from '../oci/reference.js';
import { RegistryClient } from '../oci/registry-client.js';
import { mapLimit } from '../util/concurrency.js';
import { shortDigest } from '../util/format.js';
import { dependentsOf } from './dependents.js';
import { describeVersion, planCleanup, type CleanupPlan, type VersionDecision } from './plan.js';
import { readManifestLinks } from './read-links.js';
import { matchSelectors, type ImageSelector } from './selectors.js';
import type { StrategyDecision } from './strategy.js';

export interface CleanupOptions {
  decision: StrategyDecision;
  /** Organization or user owning the packages. */
  owner: string;
  packages: string[];
  staged: ImageSelector[];
  protected: ImageSelector[];
  keepLast: number;
  maxAgeDays: number;
  graceHours: number;
  stagingRegistry: string;
  stagingCredentials?: RegistryCredentials;
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
  /** Promoted images production does not have: kept, and the step fails. */
  unverified: CleanupEntry[];
}

interface PackagePlan {
  name: string;
  plan: CleanupPlan;
}

export async function cleanupStaging(options: CleanupOptions): Promise<CleanupResult> {
  const { decision, log } = options;
  const result: CleanupResult = { strategy: decision.strategy, reason: decision.reason, dryRun: options.dryRun, deleted: [], kept: [], notFound: [], unverified: [] };
  // These strategies act on this run's images only; with none staged (the build failed
  // before pushing) there is nothing to look at, so nothing is asked of the API either.
  if (options.staged.length === 0 && decision.strategy !== 'conditional-preserve' && decision.strategy !== 'scheduled-sweep') {
    log.info(`${decision.strategy}: no staged images were given, so there is nothing of this run to delete`);
    return result;
  }
  const now = options.now?.() ?? Date.now();
  const retry = options.retry ? { retry: options.retry } : {};
  const github = new ContainerPackages({ token: options.token, apiUrl: options.apiUrl, log, ...retry });
  const owner = await github.owner(options.owner);
  const repository = (name: string) => `${owner.login.toLowerCase()}/${name}`;
  const staging = new RegistryClient({
    registry: options.stagingRegistry,
    scopes: options.packages.map((name) => `repository:${repository(name)}:pull`),
    log,
    ...(options.stagingCredentials ? { credentials: options.stagingCredentials } : {}),
    ...retry,
  });
  const production = productionClients(options);

  const matched = new Set<ImageSelector>();
  const plans: PackagePlan[] = [];
  for (const name of options.packages) {
    const versions = await github.listVersions(owner, name);
    log.info(`${options.stagingRegistry}/${repository(name)}: ${versions.length} version(s)`);
    const staged = matchSelectors(options.staged, name, versions);
    staged.matched.forEach((s) => matched.add(s));
    const guarded = new Map([...matchSelectors(options.protected, name, versions).digests.keys()].map((d) => [d, 'listed in the protected input']));

    if (decision.strategy === 'post-production-cleanup' && staged.digests.size > 0) {
      const target = options.productionRepositories.get(name)!;
      const client = production.get(target.registry)!;
      const digests = [...staged.digests.keys()];
      const present = await mapLimit(digests, options.concurrency * 2, (digest) => client.resolveDigest(target.repository, digest));
      digests.forEach((digest, i) => {
        if (present[i] === digest) return log.info(`${shortDigest(digest)} is in production ${formatReference(target)}`);
        const reason = `not found in production ${formatReference(target)}: its promotion is not verified`;
        guarded.set(digest, reason);
        result.unverified.push(entry(name, versions.find((v) => v.digest === digest)!, reason));
      });
    }

    // Only the package-wide strategies, and runs with images to delete, need the relations.
    const needsRelations = decision.strategy === 'conditional-preserve' || decision.strategy === 'scheduled-sweep' || (decision.strategy !== 'preserve-for-debug' && staged.digests.size > 0);
    const links = needsRelations ? await readManifestLinks(staging, repository(name), versions, options.concurrency * 2, log) : new Map();
    const plan = planCleanup({
      strategy: decision.strategy,
      reason: decision.reason,
      versions,
      dependents: dependentsOf(versions, links),
      staged: staged.digests,
      protected: guarded,
      keepLast: options.keepLast,
      maxAgeDays: options.maxAgeDays,
      graceHours: options.graceHours,
      now,
    });
    plans.push({ name, plan });
  }
  result.notFound = options.staged.filter((s) => !matched.has(s)).map((s) => s.text);
  for (const text of result.notFound) log.warning(`staged image ${text} is not a version of ${options.packages.join(', ')}: deleted already, or never pushed`);

  for (const { name, plan } of plans) {
    for (const k of plan.kept) {
      log.info(`keep ${name}@${describeVersion(k.version)}: ${k.reason}`);
      result.kept.push(entry(name, k.version, k.reason));
    }
    for (const wave of plan.waves) {
      if (options.dryRun) {
        for (const d of wave) log.info(`would delete ${name}@${describeVersion(d.version)}: ${d.reason}`);
        result.deleted.push(...wave.map((d) => entry(name, d.version, d.reason)));
        continue;
      }
      await deleteWave(github, owner, name, wave, options.concurrency, log, result);
    }
  }
  return result;
}

async function deleteWave(github: ContainerPackages, owner: PackageOwner, name: string, wave: VersionDecision[], concurrency: number, log: Log, result: CleanupResult): Promise<void> {
  const outcomes = await mapLimit(wave, concurrency, (d) => github.deleteVersion(owner, name, d.version));
  wave.forEach((d, i) => {
    const outcome = outcomes[i]!;
    if (outcome === 'last-version') {
      const reason = `GitHub refuses to delete the last version of a package (planned: ${d.reason}); delete the package itself to remove it`;
      log.warning(`kept ${name}@${describeVersion(d.version)}: ${reason}`);
      result.kept.push(entry(name, d.version, reason));
      return;
    }
    const reason = outcome === 'already-gone' ? `${d.reason} (already gone)` : d.reason;
    log.info(`deleted ${name}@${describeVersion(d.version)}: ${reason}`);
    result.deleted.push(entry(name, d.version, reason));
  });
}

/** One client per production registry, with pull scope on every repository it holds. */
function productionClients(options: CleanupOptions): Map<string, RegistryClient> {
  const scopes = new Map<string, string[]>();
  for (const ref of options.productionRepositories.values()) {
    scopes.set(ref.registry, [...(scopes.get(ref.registry) ?? []), `repository:${ref.repository}:pull`]);
  }
  return new Map(
    [...scopes].map(([registry, list]) => [
      registry,
      new RegistryClient({
        registry,
        scopes: list,
        log: options.log,
        ...(options.productionCredentials ? { credentials: options.productionCredentials } : {}),
        ...(options.retry ? { retry: options.retry } : {}),
      }),
    ]),
  );
}

function entry(name: string, version: PackageVersion, reason: string): CleanupEntry {
  return { package: name, digest: version.digest, tags: version.tags, reason };
}
