// What npm accepts as a version and as a dist-tag, checked before anything is packed so a bad
// value fails the step naming its input, with nothing published.

// semver.org's expression for a version: no leading `v`, no range, no leading zeros.
const IDENTIFIER = '(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)';
const SEMVER = new RegExp(
  `^(?:0|[1-9][0-9]*)\\.(?:0|[1-9][0-9]*)\\.(?:0|[1-9][0-9]*)(?:-${IDENTIFIER}(?:\\.${IDENTIFIER})*)?(?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?$`,
);

// The strings made of tag characters that semver's validRange accepts: v*, then x or a number,
// up to three parts, a prerelease only after the third (node-semver's XRANGEPLAIN).
const X_RANGE_PART = '(?:x|X|0|[1-9][0-9]*)';
const X_RANGE = new RegExp(`^v*${X_RANGE_PART}(?:\\.${X_RANGE_PART}(?:\\.${X_RANGE_PART}(?:-[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?)?)?$`);

export function isNpmVersion(version: string): boolean {
  return SEMVER.test(version);
}

/** A version with a prerelease part (`1.0.42-pr.7.g1a2b3c4`). */
export function isPrerelease(version: string): boolean {
  return version.split('+')[0].includes('-');
}

/**
 * Why npm would refuse `tag` as the dist-tag of `version`, or undefined when it is fine.
 * Dist-tags are URL path segments, so only letters, digits and . _ - are taken.
 */
export function distTagProblem(tag: string, version: string): string | undefined {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(tag))
    return `"${tag}" is not a dist-tag: use letters, digits and . _ - (starting with a letter or digit), e.g. next or pr-7`;
  // npm publish: "Tag name must not be a valid SemVer range", since `npm install pkg@1.x` could mean either.
  if (X_RANGE.test(tag)) return `"${tag}" reads as a version range, which npm refuses as a dist-tag; use a name such as next or release-1`;
  if (tag === 'latest' && isPrerelease(version))
    return `"latest" for the prerelease ${version} would make plain \`npm install\` take it; use generate-version's npm-dist-tag (e.g. pr-7)`;
  return undefined;
}
