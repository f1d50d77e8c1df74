// Git's rules for a branch name, as `git check-ref-format --branch` applies them (refs.c).
// A branch name reaches git's command line, shells and GITHUB_OUTPUT; one that git accepts
// has no newline, space or control character to split or inject anything with.

// Control characters, space, DEL, and ~ ^ : ? * [ \ (revision syntax and globs).
const FORBIDDEN_CHARACTER = /[\x00-\x20\x7f~^:?*[\\]/;

/** Why `name` is not a valid git branch name, or undefined when it is one. */
export function branchNameProblem(name: string): string | undefined {
  const reason = invalidBecause(name);
  return reason && `${quote(name)} is not a valid git branch name: ${reason}`;
}

// JSON quoting escapes every control character but DEL.
function quote(text: string): string {
  return JSON.stringify(text).replace(/\x7f/g, '\\u007f');
}

function invalidBecause(name: string): string | undefined {
  if (!name) return 'it is empty';
  const character = FORBIDDEN_CHARACTER.exec(name)?.[0];
  if (character) return `it contains ${quote(character)}`;
  if (name.startsWith('-')) return 'it starts with "-", which git would read as an option';
  if (name === 'HEAD') return 'HEAD names the checked-out commit';
  if (name.includes('..')) return 'it contains ".."';
  if (name.includes('@{')) return 'it contains "@{"';
  if (name.endsWith('.')) return 'it ends with "."';
  for (const component of name.split('/')) {
    if (!component) return 'it has an empty path component (a leading, trailing or double "/")';
    if (component.startsWith('.')) return `its path component "${component}" starts with "."`;
    if (component.endsWith('.lock')) return `its path component "${component}" ends with ".lock"`;
  }
  return undefined;
}

/** `name` when it is a valid git branch name; throws the reason otherwise (for parsedInput). */
export function checkBranchName(name: string): string {
  const problem = branchNameProblem(name);
  if (problem) throw new Error(problem);
  return name;
}
