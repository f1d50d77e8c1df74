// The step outputs of generate-version. Pure: the action writes them only once the version
// is decided (and the tag created, when asked), so a failure leaves no partial outputs.
import type { VersionPlan } from './compute.js';

/** Docker tags of the build: the version (semver without `+` metadata is a valid tag), and `latest` for the newest release. */
export function dockerTags(plan: VersionPlan): string[] {
  return plan.latest ? [plan.version, 'latest'] : [plan.version];
}

export function versionOutputs(plan: VersionPlan): Record<string, string> {
  return {
    version: plan.version,
    'is-prerelease': String(plan.build.kind !== 'release'),
    'is-latest': String(plan.latest),
    'npm-dist-tag': plan.npmDistTag,
    // Maven Central takes semver prereleases as they are and refuses -SNAPSHOT versions.
    'maven-version': plan.version,
    'docker-tags': dockerTags(plan).join('\n'),
    'git-tag': plan.gitTag ?? '',
  };
}
