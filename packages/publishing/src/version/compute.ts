// The version of a build: a pure function of the request and the releases already tagged.
//
// The run number (plus the configured offset) is the patch. The run attempt is deliberately
// not part of the version: a re-run attempt rebuilds the same commit for the same run, so it
// must republish the same version (idempotently), never take a second number for one build.
// So a release is checked only against the releases in the history of its commit: those
// were there before its run started, whatever attempt this is. A release tagged since, on a
// later commit, changes what `latest` may do (it never moves back), not the version.
import type { Build } from './build.js';
import { VersionRegressionError } from './errors.js';
import type { VersionRequest } from './request.js';
import { commitIdentifier } from './prerelease.js';
import { compareVersions, formatVersion, type ReleaseTag, type ReleaseVersion } from './release-version.js';

export interface ReleaseHistory {
  /** The commit being built (full hash for releases, as the release tags' commits are). */
  commit: string;
  /** The repository's release tags; only releases are compared with them. */
  releases: ReleaseTag[];
  /**
   * The release tags whose commit is not in the history of `commit`: released after this
   * build's run started, or on a line it does not continue. Empty when that is unknown
   * (a shallow clone), so every release counts.
   */
  notInHistory: ReadonlySet<string>;
}

export interface VersionPlan {
  version: string;
  build: Build;
  /** The newest release: it takes Docker's and npm's `latest`. False for every prerelease. */
  latest: boolean;
  /** Docker tags MAJOR and MAJOR.MINOR that this release moves: the newest of their line only. */
  floatingTags: string[];
  npmDistTag: string;
  /** The release's git tag; undefined for prereleases, which are not tagged. */
  gitTag: string | undefined;
  /** The highest release tag, if any (a release must stay above the highest in its commit's history). */
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
    const [label, npmDistTag] =
      build.kind === 'pull-request' ? [`pr.${build.number}`, `pr-${build.number}`] : [build.label, `${build.namespace}-${build.label}`];
    const version = `${formatVersion(runVersion)}-${label}.${commitIdentifier(history.commit)}`;
    return { version, build, latest: false, floatingTags: [], npmDistTag, gitTag: undefined, lastRelease: undefined, bump: undefined };
  }

  // A later run of this same commit (a manual run of an unchanged branch) tagged it too, and says so.
  const laterRunHere = (r: ReleaseTag) => r.commit === history.commit && r.run !== undefined && r.run > request.runNumber;
  const earlier = history.releases.filter((r) => !history.notInHistory.has(r.tag) && !laterRunHere(r));
  const lastEarlier = highest(earlier);
  const lastRelease = highest(history.releases);
  const release = (version: ReleaseVersion, bump?: VersionPlan['bump']): VersionPlan => {
    // Against every release, later ones too: `latest` and the floating tags never move back.
    const newestOf = (line: (r: ReleaseVersion) => boolean) => history.releases.every((r) => !line(r.version) || compareVersions(version, r.version) >= 0);
    const latest = newestOf(() => true);
    const floatingTags = !request.floatingTags
      ? []
      : [
          ...(newestOf((r) => r.major === version.major) ? [`${version.major}`] : []),
          ...(newestOf((r) => r.major === version.major && r.minor === version.minor) ? [`${version.major}.${version.minor}`] : []),
        ];
    const npmDistTag = latest ? 'latest' : 'superseded';
    return {
      version: formatVersion(version),
      build,
      latest,
      floatingTags,
      npmDistTag,
      gitTag: `${request.tagPrefix}${formatVersion(version)}`,
      lastRelease,
      bump,
    };
  };

  // A re-run of a released build finds its own tag on its commit: the same version again.
  // The tag names its run; a tag without one (made by hand, or lightweight) is this run's
  // when it carries the run-number version, or a version above it (bumped).
  const onThisCommit = history.releases.filter((r) => r.commit === history.commit);
  const tagged =
    onThisCommit.find((r) => r.run === request.runNumber) ?? onThisCommit.find((r) => r.run === undefined && compareVersions(r.version, runVersion) === 0);
  if (tagged) return release(tagged.version);
  const bumpedEarlier = highest(onThisCommit.filter((r) => r.run === undefined && compareVersions(r.version, runVersion) > 0));
  if (bumpedEarlier) return release(bumpedEarlier.version);

  // Taken on a commit outside this history: publishing it again would clash in every registry.
  const taken = history.releases.find((r) => compareVersions(r.version, runVersion) === 0);
  const regression = lastEarlier !== undefined && compareVersions(runVersion, lastEarlier.version) <= 0;
  if (!taken && !regression) return release(runVersion);

  const above = regression ? lastEarlier : taken!;
  const bumped = nextFree({ ...above.version, patch: above.version.patch + 1 }, history.releases);
  const problem =
    `version ${formatVersion(runVersion)} (run number ${request.runNumber} + offset ${request.offset}) ` +
    (regression
      ? `is not above the last release ${lastEarlier.tag} (commit ${lastEarlier.commit.slice(0, 7)})` +
        (taken && taken !== lastEarlier ? `, and ${taken.tag} already exists on another commit (${taken.commit.slice(0, 7)})` : '')
      : `is released already: ${taken!.tag} is on commit ${taken!.commit.slice(0, 7)}, outside this commit's history`);
  const { cause, remedy, fix } = regressionAdvice(request, above);
  if (request.onRegression === 'bump') {
    const message = `${problem}: bumped to ${formatVersion(bumped)} (on-regression: bump). To return to run numbers, ${remedy}.`;
    return release(bumped, { from: formatVersion(runVersion), message });
  }
  throw new VersionRegressionError(
    `${problem}: releasing it ${regression ? 'would go backwards' : 'again would clash with it in every registry'}. ${cause} ` +
      `Either ${remedy}, or set versioning.on-regression to bump to release ${formatVersion(bumped)} instead.`,
    { kind: 'version-regression', remedy: fix },
  );
}

/** Why the version went backwards, and the change that brings it above `lastRelease` again (`fix` names what it changes). */
function regressionAdvice(request: VersionRequest, lastRelease: ReleaseTag): { cause: string; remedy: string; fix: 'offset' | 'base-version' } {
  const { major, minor, patch } = lastRelease.version;
  if (major === request.base.major && minor === request.base.minor) {
    return {
      cause: 'Run numbers restart when the workflow file is renamed or recreated.',
      remedy: `set versioning.offset to ${patch + 1 - request.runNumber} or more`,
      fix: 'offset',
    };
  }
  return {
    cause: `The base version ${request.base.major}.${request.base.minor} is below the released ${major}.${minor}.`,
    remedy: `raise versioning.base-version above ${major}.${minor}, e.g. to ${major}.${minor + 1}`,
    fix: 'base-version',
  };
}

/** `version`, or the first patch after it that no release has taken. */
function nextFree(version: ReleaseVersion, releases: ReleaseTag[]): ReleaseVersion {
  const taken = new Set(releases.map((r) => formatVersion(r.version)));
  let patch = version.patch;
  while (taken.has(formatVersion({ ...version, patch }))) patch++;
  return { ...version, patch };
}

function highest(releases: ReleaseTag[]): ReleaseTag | undefined {
  return releases.reduce<ReleaseTag | undefined>((best, r) => (!best || compareVersions(r.version, best.version) > 0 ? r : best), undefined);
}
