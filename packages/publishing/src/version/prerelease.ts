// Prerelease identifiers that npm, Maven Central and Docker all accept: semver identifiers
// are [0-9A-Za-z-], dot-separated, and a numeric one must not start with a zero.
import { createHash } from 'node:crypto';

/** Keeps `1.0.<n>-<slug>-<hash>.g<sha>` well under Docker's 128-character tag limit. */
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
  // NFKD before lowercasing: toLowerCase leaves 𝐀 (mathematical bold) as it is, NFKD makes it A.
  const ascii = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/\p{M}/gu, '')
    .replace(/[^\x00-\x7f]/g, (c) => TRANSLITERATIONS[c] ?? '-');
  const slug = ascii.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return slug.slice(0, SLUG_MAX_LENGTH).replace(/-+$/, '');
}

// What refLabel appends to a lossy slug; a name that already ends like it is taken as lossy too.
const HASH_LENGTH = 8;
const HASH_SUFFIX = new RegExp(`(^|-)[0-9a-f]{${HASH_LENGTH}}$`);

/**
 * A ref as a prerelease identifier that no other ref shares. A name that is its own slug
 * (`feature-login`) is the label as it is. Any other (`feature/login`, `Feature_Login`, a name
 * cut at 40 characters, `фича`) loses information in the slug, so the label is the slug and
 * the first 8 hex digits of SHA-256 of the exact ref: `feature-login-3f2a1b4c`, or
 * `ref-9c1d…` when no ASCII letter or digit is left. All-digit names are hashed too, so the
 * label is never a numeric identifier. Labels of the first kind never end in `-` and 8 hex
 * digits, labels of the second always do: two refs share a label only if their hashes collide.
 */
export function refLabel(name: string, ref: string): string {
  const slug = slugify(name);
  if (slug === name && !HASH_SUFFIX.test(slug) && !/^[0-9]+$/.test(slug)) return slug;
  const hash = createHash('sha256').update(ref).digest('hex').slice(0, HASH_LENGTH);
  return `${slug || 'ref'}-${hash}`;
}

/**
 * The commit as a prerelease identifier: `g` and 7 hex digits, as `git describe` writes it.
 * Always prefixed, so a hash made only of digits (`0123456`) never becomes a numeric
 * identifier with a leading zero, which semver forbids.
 */
export function commitIdentifier(sha: string): string {
  return `g${sha.slice(0, 7).toLowerCase()}`;
}
