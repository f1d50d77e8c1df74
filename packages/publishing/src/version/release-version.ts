// Release versions (MAJOR.MINOR.PATCH, no prerelease part) and the git tags that mark them.

export interface ReleaseVersion {
  major: number;
  minor: number;
  patch: number;
}

/** A git tag `<prefix>MAJOR.MINOR.PATCH` and the commit it points to (peeled). */
export interface ReleaseTag {
  tag: string;
  version: ReleaseVersion;
  commit: string;
  /** The workflow run that made the tag, when generate-version did (it says so in the message). */
  run?: number;
}

// Semver numeric identifiers: no leading zeros, so `v1.02.3` is not taken for a release.
const NUMBER = '(0|[1-9][0-9]*)';

export function formatVersion(v: ReleaseVersion): string {
  return `${v.major}.${v.minor}.${v.patch}`;
}

export function compareVersions(a: ReleaseVersion, b: ReleaseVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** `MAJOR.MINOR`, as the configuration's versioning.base-version; undefined when it is not. */
export function parseBaseVersion(text: string): Pick<ReleaseVersion, 'major' | 'minor'> | undefined {
  const numbers = parseNumbers(text, new RegExp(`^${NUMBER}\\.${NUMBER}$`));
  return numbers && { major: numbers[0], minor: numbers[1] };
}

/**
 * The release tags among a repository's tags: exactly `<prefix>MAJOR.MINOR.PATCH`. Prerelease
 * tags, other prefixes and tags that do not point at a commit are not releases.
 */
export function releaseTags(tags: { name: string; commit: string | undefined; subject?: string }[], prefix: string): ReleaseTag[] {
  const pattern = new RegExp(`^${escapeRegExp(prefix)}${NUMBER}\\.${NUMBER}\\.${NUMBER}$`);
  const releases: ReleaseTag[] = [];
  for (const { name, commit, subject } of tags) {
    const numbers = parseNumbers(name, pattern);
    if (!numbers || !commit) continue;
    const run = RUN_IN_MESSAGE.exec(subject ?? '')?.[1];
    releases.push({ tag: name, version: { major: numbers[0], minor: numbers[1], patch: numbers[2] }, commit, ...(run && { run: Number(run) }) });
  }
  return releases;
}

/** The message of a release tag; it names the run, so a re-run of that run finds its version again. */
export function releaseTagMessage(version: string, run: number, attempt: number): string {
  return `Release ${version} (workflow run ${run}, attempt ${attempt})`;
}

const RUN_IN_MESSAGE = /^Release \S+ \(workflow run ([1-9][0-9]{0,15}), attempt [0-9]+\)$/;

// Numbers past 2^53 would compare wrongly; no real version has them, so they do not match.
function parseNumbers(text: string, pattern: RegExp): number[] | undefined {
  const match = pattern.exec(text);
  const numbers = match?.slice(1).map(Number);
  return numbers?.every(Number.isSafeInteger) ? numbers : undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
