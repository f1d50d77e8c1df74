// The work tree and the branch: is anything uncommitted, which branch is checked out, and
// committing a few files.
import { git, tryGit } from '@ci-actions/publishing/git/exec.js';
import { identityArgs } from '@ci-actions/publishing/git/identity.js';

/**
 * What `git status --porcelain` reports: one line per modified, staged or untracked path
 * (ignored files excluded). Empty for a clean work tree.
 */
export async function workTreeChanges(cwd: string): Promise<string[]> {
  const out = await git(cwd, ['status', '--porcelain', '--untracked-files=all']);
  return out.split('\n').filter((line) => line.trim() !== '');
}

/** The checked-out branch's short name; undefined on a detached HEAD (a tag or a commit checked out). */
export async function currentBranch(cwd: string): Promise<string | undefined> {
  const result = await tryGit(cwd, ['symbolic-ref', '--quiet', '--short', 'HEAD']);
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
}

/** Stages `paths` and commits them (only them) with `message`; returns the new commit. */
export async function commitPaths(cwd: string, paths: string[], message: string): Promise<string> {
  await git(cwd, ['add', '--', ...paths]);
  await git(cwd, [...(await identityArgs(cwd)), 'commit', '--quiet', '--message', message, '--', ...paths]);
  return (await git(cwd, ['rev-parse', 'HEAD'])).trim();
}

/** True when `ancestor` is `descendant` or one of its ancestors; undefined when git does not know one of them. */
export async function isAncestor(cwd: string, ancestor: string, descendant: string): Promise<boolean | undefined> {
  const result = await tryGit(cwd, ['merge-base', '--is-ancestor', ancestor, descendant]);
  if (result.exitCode === 0) return true;
  if (result.exitCode === 1) return false;
  return undefined;
}
