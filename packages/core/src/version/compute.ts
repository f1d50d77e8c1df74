// The version of a build: a pure function of the request and the releases already tagged.
//
// The run number (plus the configured offset) is the patch. The run attempt is deliberately
// not part of the version: a re-run attempt rebuilds the same commit for the same run, so it
// must republish the same version (idempotently), never take a second number for one build.
import type { Build } from './build.js';
import { VersionRegressionError } from './errors.js';
import type { VersionRequest } from './inputs.js';
import { commitIdentifier } from './prerelease.js';
import { compareVersions, formatVersion, type ReleaseTag, type ReleaseVersion } from './release-version.js';

export interface ReleaseHistory {
  /** The commit being built (full hash for releases, as the release tags' commits are). */
  commit: string;
  /** The repository's release tags; only releases are compared with them. */
  releases: ReleaseTag[];
}

export interface VersionPlan {
  version: string;
  build: Build;
  /** The newest release: it takes Docker's and npm's `latest`. False for every prerelease. */
  latest: boolean;
  npmDistTag: string;
  /** The release's git tag; undefined for prereleases, which are not tagged. */
  gitTag: string | undefined;
  /** The highest release tag, if any: what a release must stay above. */
  lastRelease: ReleaseTag | undefined;
  /** Set when on-regression: bump replaced the run-number version. */
  bump: { from: string; message: string } | undefined;
}

export function computeVersion(request: VersionRequest, history: ReleaseHistory): VersionPlan {
  const { base, build } = request;
  const runVersion: ReleaseVersion = { ...base, patch: request.runNumber + request.offset };
  if (build.kind !== 'release') {
    // Prereleases are not compared with the releases: a pull request re-run after a newer
    // release must still get its own version back, and `latest` never moves for them.
    // Each dist-tag namespace (pr-, branch-, tag-, ref-) is one no branch name can enter, and
    // none is `latest` or `superseded`: a dist-tag moves, so sharing one would move another
    // build's. None is a semver range either, which npm refuses as a tag.
    const [label, npmDistTag] = build.kind === 'pull-request' ? [`pr.${build.number}`, `pr-${build.number}`] : [build.label, `${build.namespace}-${build.label}`];
    const version = `${formatVersion(runVersion)}-${label}.${commitIdentifier(history.commit)}`;
    return { version, build, latest: false, npmDistTag, gitTag: undefined, lastRelease: undefined, bump: undefined };
  }

  const lastRelease = highest(history.releases);
  const release = (version: ReleaseVersion, bump?: VersionPlan['bump']): VersionPlan => {
    const latest = !lastRelease || compareVersions(version, lastRelease.version) >= 0;
    const npmDistTag = latest ? 'latest' : 'superseded';
    return { version: formatVersion(version), build, latest, npmDistTag, gitTag: `${request.tagPrefix}${formatVersion(version)}`, lastRelease, bump };
  };

  // A re-run of a released build finds its own tag on its commit: the same version again.
  const onThisCommit = history.releases.filter((r) => r.commit === history.commit);
  if (onThisCommit.some((r) => compareVersions(r.version, runVersion) === 0)) return release(runVersion);
  // A commit tagged above its run-number version was bumped by an earlier attempt of this build.
  const bumpedEarlier = highest(onThisCommit.filter((r) => compareVersions(r.version, runVersion) > 0));
  if (bumpedEarlier) return release(bumpedEarlier.version);
  if (!lastRelease || compareVersions(runVersion, lastRelease.version) > 0) return release(runVersion);

  const bumped = { ...lastRelease.version, patch: lastRelease.version.patch + 1 };
  const taken = history.releases.find((r) => compareVersions(r.version, runVersion) === 0);
  const problem =
    `version ${formatVersion(runVersion)} (run number ${request.runNumber} + offset ${request.offset}) is not above the last release ` +
    `${lastRelease.tag} (commit ${lastRelease.commit.slice(0, 7)})` +
    (taken && taken !== lastRelease ? `, and ${taken.tag} already exists on another commit (${taken.commit.slice(0, 7)})` : '');
  const { cause, remedy } = regressionAdvice(request, lastRelease);
  if (request.onRegression === 'bump') {
    const message = `${problem}: bumped to ${formatVersion(bumped)} (on-regression: bump). To return to run numbers, ${remedy}.`;
    return release(bumped, { from: formatVersion(runVersion), message });
  }
  throw new VersionRegressionError(
    `${problem}: releasing it would go backwards. ${cause} ` +
      `Either ${remedy}, or set versioning.on-regression to bump (input on-regression) to release ${formatVersion(bumped)} instead.`,
  );
}

function regressionAdvice(request: VersionRequest, lastRelease: ReleaseTag): { cause: string; remedy: string } {
  const { major, minor, patch } = lastRelease.version;
  if (major === request.base.major && minor === request.base.minor) {
    return {
      cause: 'Run numbers restart when the workflow file is renamed or recreated.',
      remedy: `set versioning.offset (input offset) to ${patch + 1 - request.runNumber} or more`,
    };
  }
  return {
    cause: `The base version ${request.base.major}.${request.base.minor} is below the released ${major}.${minor}.`,
    remedy: `raise versioning.base-version (input base-version) above ${major}.${minor}, e.g. to ${major}.${minor + 1}`,
  };
}

function highest(releases: ReleaseTag[]): ReleaseTag | undefined {
  return releases.reduce<ReleaseTag | undefined>((best, r) => (!best || compareVersions(r.version, best.version) > 0 ? r : best), undefined);
}
