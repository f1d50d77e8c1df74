// Refs beyond the release tags: a moving tag, what a remote holds, and pushing several refs
// as one.
import { git, GitError, tryGit } from '@ci-actions/publishing/git/exec.js';
import { resolveCommit } from '@ci-actions/publishing/git/repository.js';
import type { GitTag } from '@ci-actions/publishing/git/tags.js';
import { DomainError } from '@ci-actions/publishing/errors.js';

/**
 * Points the lightweight tag `name` at `commit`, creating it or moving it (git tag --force).
 * For a tag that is meant to move, such as an action's major version tag v1.
 */
export async function setMovingTag(cwd: string, name: string, commit: string): Promise<'created' | 'moved' | 'unchanged'> {
  const existing = await resolveCommit(cwd, `refs/tags/${name}`);
  // An annotated tag on the right commit is left too: it already resolves to that commit.
  if (existing === commit) return 'unchanged';
  await git(cwd, ['tag', '--force', '--no-sign', name, commit]);
  return existing ? 'moved' : 'created';
}

export interface RemoteRefs {
  /** Tags on the remote with the commit each resolves to (annotated tags peeled), like listTags. */
  tags: GitTag[];
  /** Branch name -> commit. */
  branches: Map<string, string>;
}

/** Reads the remote's tags and branches with `git ls-remote`, without fetching anything. */
export async function listRemoteRefs(cwd: string, remote = 'origin'): Promise<RemoteRefs> {
  let out: string;
  try {
    out = await git(cwd, ['ls-remote', '--tags', '--heads', remote]);
  } catch (err) {
    if (!(err instanceof GitError)) throw err;
    throw new DomainError(`cannot read the refs of ${remote}: ${err.message}`, { cause: err });
  }
  const objects = new Map<string, string>();
  const peeled = new Map<string, string>();
  const branches = new Map<string, string>();
  for (const line of out.split('\n').filter(Boolean)) {
    const [sha = '', ref = ''] = line.split('\t');
    if (ref.startsWith('refs/heads/')) branches.set(ref.slice('refs/heads/'.length), sha);
    else if (ref.startsWith('refs/tags/') && ref.endsWith('^{}')) peeled.set(ref.slice('refs/tags/'.length, -3), sha);
    else if (ref.startsWith('refs/tags/')) objects.set(ref.slice('refs/tags/'.length), sha);
  }
  // An annotated tag is listed twice: the tag object, then `name^{}` with the object it
  // finally points to (git peels tags of tags all the way).
  const tags = [...objects.keys()].sort().map((name) => ({ name, commit: peeled.get(name) ?? objects.get(name) }));
  return { tags, branches };
}

/**
 * Pushes `refspecs` to `remote` in one atomic push: the remote takes every ref or none
 * (a `+` refspec is forced). Errors name the refs and what the job needs.
 */
export async function pushRefs(cwd: string, refspecs: string[], remote = 'origin'): Promise<void> {
  if (refspecs.length === 0) return;
  const result = await tryGit(cwd, ['push', '--atomic', '--porcelain', remote, ...refspecs]);
  if (result.exitCode !== 0) {
    const detail = (result.stderr.trim() || result.stdout.trim() || 'no message').split('\n').slice(-6).join('\n');
    throw new DomainError(
      `cannot push ${refspecs.join(' ')} to ${remote} (the push is atomic: nothing was updated there):\n${detail}\n` +
        'A rejected branch means the remote has commits this checkout lacks; a rejected tag, that someone pushed it first. ' +
        'In a workflow the job needs "permissions: contents: write" and the credentials actions/checkout keeps.',
    );
  }
}
