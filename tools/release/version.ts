// The version a maintainer asks to release, and the tags that mark it.
import { formatVersion, type ReleaseVersion } from '@ci-actions/publishing/version/release-version.js';
import { ReleaseRefusal } from './errors.js';

/** Release tags are `v` + MAJOR.MINOR.PATCH, as users pin them: `uses: <owner>/ci-actions/<action>@v1.4.2`. */
export const TAG_PREFIX = 'v';

// Semver numeric identifiers: no leading zeros.
const NUMBER = '(0|[1-9][0-9]*)';
const RELEASE = new RegExp(`^v?${NUMBER}\\.${NUMBER}\\.${NUMBER}$`);

/**
 * `1.4.2` or `v1.4.2` (the tag name, as a workflow started by the tag passes it). Anything
 * else is refused: prereleases and build metadata are not releases of an action, whose
 * users follow the major tag.
 */
export function parseReleaseVersion(text: string): ReleaseVersion {
  const trimmed = text.trim();
  const match = RELEASE.exec(trimmed);
  const numbers = match?.slice(1).map(Number);
  if (!numbers || !numbers.every(Number.isSafeInteger)) {
    const hint = /^v?\d+\.\d+\.\d+[-+]/.test(trimmed)
      ? ' (prereleases and build metadata are not released: the suite is released as MAJOR.MINOR.PATCH only)'
      : /^v?\d+(\.\d+)?$/.test(trimmed)
        ? ' (all three numbers are needed, e.g. 1.4.0)'
        : '';
    throw new ReleaseRefusal(`"${text}" is not a release version: expected MAJOR.MINOR.PATCH such as 1.4.2 (or the tag v1.4.2)${hint}`);
  }
  return { major: numbers[0], minor: numbers[1], patch: numbers[2] };
}

export function releaseTagName(version: ReleaseVersion): string {
  return `${TAG_PREFIX}${formatVersion(version)}`;
}

/** The tag that follows the newest release of a major version: v1 for 1.4.2. */
export function majorTagName(version: ReleaseVersion): string {
  return `${TAG_PREFIX}${version.major}`;
}

/** The versions that directly follow `last`: its next patch, next minor and next major. */
export function nextVersions(last: ReleaseVersion): ReleaseVersion[] {
  return [
    { major: last.major, minor: last.minor, patch: last.patch + 1 },
    { major: last.major, minor: last.minor + 1, patch: 0 },
    { major: last.major + 1, minor: 0, patch: 0 },
  ];
}
