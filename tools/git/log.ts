// Commit history: the commits between two points, for a changelog.
import { git } from '@ci-actions/publishing/git/exec.js';

export interface GitCommit {
  sha: string;
  subject: string;
  /** The message after the subject line, trimmed; '' when there is none. */
  body: string;
}

// Unit and record separators: neither appears in a commit message git would print.
const FIELD = '\x1f';
const RECORD = '\x1e';

/**
 * The commits reachable from `to` and not from `from` (every commit reachable from `to` when
 * `from` is undefined), oldest first. Merge commits are left out: their subjects name a
 * branch, the commits they bring in say what changed.
 */
export async function listCommits(cwd: string, from: string | undefined, to: string): Promise<GitCommit[]> {
  const range = from ? `${from}..${to}` : to;
  const out = await git(cwd, ['log', '--reverse', '--no-merges', `--format=%H${FIELD}%s${FIELD}%b${RECORD}`, range, '--']);
  const commits: GitCommit[] = [];
  for (const record of out.split(RECORD)) {
    const [sha = '', subject = '', body = ''] = record.replace(/^\n/, '').split(FIELD);
    if (sha.trim() === '') continue;
    commits.push({ sha: sha.trim(), subject, body: body.trim() });
  }
  return commits;
}
