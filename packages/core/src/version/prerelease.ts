// Prerelease identifiers that npm, Maven Central and Docker all accept: semver identifiers
// are [0-9A-Za-z-], dot-separated, and a numeric one must not start with a zero.

/** Keeps `1.0.<n>-<slug>.g<sha>` well under Docker's 128-character tag limit. */
const SLUG_MAX_LENGTH = 40;

// Latin letters NFKD does not decompose into a base letter and a diacritic.
const TRANSLITERATIONS: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i' };

/**
 * A ref name as a lowercase ASCII identifier: `feature/Café_Ünïcode` -> `feature-cafe-unicode`.
 * Diacritics are stripped and a few letters transliterated (ß -> ss); any other run of
 * characters outside [a-z0-9] becomes one `-`. At most SLUG_MAX_LENGTH characters; empty
 * when nothing is left (e.g. a name only in CJK script).
 */
export function slugify(name: string): string {
  const ascii = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x00-\x7f]/g, (c) => TRANSLITERATIONS[c] ?? '-');
  const slug = ascii.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  const short = slug.slice(0, SLUG_MAX_LENGTH).replace(/-+$/, '');
  // An all-digit identifier is numeric in semver: `007` would be invalid, `42` would sort as a number.
  return /^[0-9]+$/.test(short) ? `branch-${short}` : short;
}

/**
 * The commit as a prerelease identifier: `g` and 7 hex digits, as `git describe` writes it.
 * Always prefixed, so a hash made only of digits (`0123456`) never becomes a numeric
 * identifier with a leading zero, which semver forbids.
 */
export function commitIdentifier(sha: string): string {
  return `g${sha.slice(0, 7).toLowerCase()}`;
}

/**
 * npm dist-tag for a ref's prereleases: its slug, unless npm would read the slug as a version
 * range and refuse it (`npm publish`: "Tag name must not be a valid SemVer range"), or it is
 * `latest`, which only releases take. Among slugs, semver 7's validRange accepts exactly
 * `v*` followed by `x` or digits (`x`, `v2`, `vv10`).
 */
export function refDistTag(slug: string): string {
  return /^v*(x|[0-9]+)$/.test(slug) || slug === 'latest' ? `branch-${slug}` : slug;
}
