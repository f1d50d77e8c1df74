// Tags: listing them with the commits they mark, creating an annotated one, pushing it.
import { git, GitError } from './exec.js';
import { identityArgs } from './identity.js';
import { resolveCommit } from './repository.js';
import { DomainError } from '../errors.js';

export interface GitTag {
  name: string;
  /** The commit the tag marks, through annotated tags; undefined for a tag of a tree or blob. */
  commit: string | undefined;
  /** The first line of an annotated tag's message; undefined for a lightweight tag. */
  subject?: string;
}

export async function listTags(cwd: string): Promise<GitTag[]> {
  // One process for all tags: %(*...) reads the object an annotated tag points to.
  const format = '%(refname:strip=2) %(objecttype) %(objectname) %(*objecttype) %(*objectname) %(contents:subject)';
  const out = await git(cwd, ['for-each-ref', `--format=${format}`, 'refs/tags']);
  const tags: GitTag[] = [];
  for (const line of out.split('\n').filter(Boolean)) {
    // Ref names cannot contain spaces, so the fields split cleanly up to the subject, which
    // takes the rest; lightweight tags leave the peeled fields empty.
    const [name = '', type, object, peeledType, peeled, ...words] = line.split(' ');
    // For a lightweight tag %(contents:subject) is the commit's, not the tag's.
    const subject = type === 'tag' ? { subject: words.join(' ') } : {};
    if (type === 'commit') tags.push({ name, commit: object });
    else if (type === 'tag' && peeledType === 'commit') tags.push({ name, commit: peeled, ...subject });
    // A tag of a tag: %(*...) peels one level only, so ask git to peel it all the way.
    else if (type === 'tag' && peeledType === 'tag') tags.push({ name, commit: await resolveCommit(cwd, `refs/tags/${name}`), ...subject });
    else tags.push({ name, commit: undefined, ...subject });
  }
  return tags;
}

/** The names of the tags whose commit is `commit` or one of its ancestors. */
export async function tagsInHistoryOf(cwd: string, commit: string): Promise<Set<string>> {
  const out = await git(cwd, ['for-each-ref', `--merged=${commit}`, '--format=%(refname:strip=2)', 'refs/tags']);
  return new Set(out.split('\n').filter(Boolean));
}

export class TagConflictError extends DomainError {
  constructor(tag: string, existing: string, wanted: string) {
    super(`tag ${tag} already exists on commit ${existing}, not on ${wanted}; a tag is never moved, so ${wanted} cannot be tagged ${tag}`);
  }
}

/**
 * Creates the annotated tag `name` on `commit`. Idempotent: a tag already on that commit is
 * left as it is ('exists'); a tag of that name on another commit is never moved (TagConflictError).
 */
export async function createAnnotatedTag(cwd: string, name: string, commit: string, message: string): Promise<'created' | 'exists'> {
  const existing = await resolveCommit(cwd, `refs/tags/${name}`);
  if (existing === commit) return 'exists';
  if (existing) throw new TagConflictError(name, existing, commit);
  await git(cwd, [...(await identityArgs(cwd)), 'tag', '--annotate', '--message', message, name, commit]);
  return 'created';
}

/** Pushes the tag to `remote`; a no-op when the remote has it already on the same commit. */
export async function pushTag(cwd: string, name: string, remote = 'origin'): Promise<void> {
  const ref = `refs/tags/${name}`;
  try {
    await git(cwd, ['push', remote, `${ref}:${ref}`]);
  } catch (err) {
    if (!(err instanceof GitError)) throw err;
    throw new DomainError(
      `cannot push tag ${name} to ${remote}: ${err.message}. The job needs "permissions: contents: write" and the credentials ` +
        'actions/checkout keeps (persist-credentials: true, its default); "rejected (already exists)" means another build pushed that tag first.',
      { cause: err },
    );
  }
}
