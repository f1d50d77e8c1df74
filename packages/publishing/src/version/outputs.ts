// The step outputs of generate-version. Pure: the action writes them only once the version
// is decided (and the tag created, when asked), so a failure leaves no partial outputs.
import type { VersionPlan } from './compute.js';

/**
 * Docker tags of the build: the version (semver without `+` metadata is a valid tag), the
 * floating MAJOR and MAJOR.MINOR this release moves, and `latest` for the newest release.
 */
export function dockerTags(plan: VersionPlan): string[] {
  return [plan.version, ...plan.floatingTags, ...(plan.latest ? ['latest'] : [])];
}

/**
 * The version as Maven orders it. Maven's ComparableVersion sorts an unknown qualifier
 * (`1.0.42-pr.7…`) above the release `1.0.42`, so a range like [1.0,2.0) would take a branch
 * build over the release. `alpha` is the lowest qualifier it knows: `1.0.42-alpha-pr.7…`
 * sorts below 1.0.42 and above 1.0.41, like the semver version does. Not -SNAPSHOT: a
 * snapshot is one moving version per base, which publish-clients makes of a prerelease only
 * when asked (maven-snapshots), for the portal's snapshot repository.
 */
export function mavenVersion(version: string): string {
  const dash = version.indexOf('-');
  return dash < 0 ? version : `${version.slice(0, dash)}-alpha-${version.slice(dash + 1)}`;
}

export function versionOutputs(plan: VersionPlan): Record<string, string> {
  return {
    version: plan.version,
    'is-prerelease': String(plan.build.kind !== 'release'),
    'is-latest': String(plan.latest),
    'npm-dist-tag': plan.npmDistTag,
    'maven-version': mavenVersion(plan.version),
    'docker-tags': dockerTags(plan).join('\n'),
    'git-tag': plan.gitTag ?? '',
  };
}
