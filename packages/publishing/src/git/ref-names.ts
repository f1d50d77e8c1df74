// Ref names as `git check-ref-format` judges them (refs.c), so a name is refused before it
// reaches git, a shell or GITHUB_OUTPUT: a name git accepts has no newline, space or control
// character to split or inject anything with, and a tag git would refuse would otherwise fail
// the step after the version was decided.
import { DomainError } from '../errors.js';

// Control characters, space, DEL, and ~ ^ : ? * [ \ (revision syntax and globs).
const FORBIDDEN_CHARACTER = /[\x00-\x20\x7f~^:?*[\\]/;

/**
 * Why git would refuse `ref` (a full name such as refs/tags/v1.0.42), or undefined when it
 * takes it. The rules of git-check-ref-format(1), without --allow-onelevel or --normalize.
 */
export function refFormatProblem(ref: string): string | undefined {
  const forbidden = FORBIDDEN_CHARACTER.exec(ref);
  if (forbidden) return `contains ${quote(forbidden[0])}`;
  // git's own commands read a leading "-" as an option, so `git check-ref-format` cannot even be asked.
  if (ref.startsWith('-')) return 'starts with "-", which git would read as an option';
  if (ref === '@') return 'is "@"';
  if (ref.includes('@{')) return 'contains "@{"';
  if (ref.includes('..')) return 'contains ".."';
  if (ref.endsWith('.')) return 'ends with "."';
  if (!ref.includes('/')) return 'has a single component (git wants at least refs/<name>)';
  for (const component of ref.split('/')) {
    if (component === '') return 'has an empty component (a leading, trailing or doubled "/")';
    if (component.startsWith('.')) return `has a component starting with "." (${component})`;
    if (component.endsWith('.lock')) return `has a component ending with ".lock" (${component})`;
  }
  return undefined;
}

/** Why `name` is not a valid git branch name (`git check-ref-format --branch`), or undefined when it is one. */
export function branchNameProblem(name: string): string | undefined {
  const reason = !name
    ? 'is empty'
    : name.startsWith('-')
      ? 'starts with "-", which git would read as an option'
      : name === 'HEAD'
        ? 'is HEAD, which names the checked-out commit'
        : refFormatProblem(`refs/heads/${name}`);
  return reason && `${quote(name)} is not a valid git branch name: it ${reason}`;
}

/** `name` when it is a valid git branch name; throws the reason otherwise (for parsedInput). */
export function checkBranchName(name: string): string {
  const problem = branchNameProblem(name);
  if (problem) throw new DomainError(problem);
  return name;
}

// JSON quoting escapes every control character but DEL.
function quote(text: string): string {
  return JSON.stringify(text).replace(/\x7f/g, '\\u007f');
}
