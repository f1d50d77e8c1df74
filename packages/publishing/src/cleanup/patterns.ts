// Tag and package patterns as dataaxiom/ghcr-cleanup-action reads them: a comma- or
// newline-separated list of globs (`*` and `**` any run of characters, `?` one), each
// matching the whole tag; or, with use-regex, one regular expression that matches when
// it matches anywhere (RegExp.test), as theirs does. Pure: test/unit/cleanup-plan.test.ts.
import type { TagMatcher } from './retention.js';
import { DomainError } from '../errors.js';

export function patternMatcher(text: string, useRegex: boolean): TagMatcher | undefined {
  const value = text.trim();
  if (!value) return undefined;
  if (useRegex) {
    let regex: RegExp;
    try {
      regex = new RegExp(value);
    } catch (err) {
      throw new DomainError(`"${value}" is not a regular expression (${(err as Error).message})`, { cause: err });
    }
    return (candidate) => regex.test(candidate);
  }
  const globs = value
    .split(/[,\n]/)
    .map((g) => g.trim())
    .filter(Boolean)
    .map(globRegExp);
  return (candidate) => globs.some((g) => g.test(candidate));
}

function globRegExp(glob: string): RegExp {
  const body = glob
    .split(/(\*+|\?)/)
    .map((part) => (part.startsWith('*') ? '.*' : part === '?' ? '.' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`);
}
