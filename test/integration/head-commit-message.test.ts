// The head commit's message read from a real checkout (gate/head-commit-message.ts), as the
// stage gate's prepare job reads it for a pull request: the head is a parent of the merge
// commit GitHub checks out.
import { readHeadCommitMessage } from '@ci-actions/publishing/gate/index.js';
import { git, isolateGitConfig, tempDir } from '../support/git-repo.js';

isolateGitConfig();

function checkoutOfPullRequest(): { dir: string; head: string; merge: string } {
  const dir = tempDir('head-commit');
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'Dev');
  git(dir, 'config', 'user.email', 'dev@example.com');
  git(dir, 'commit', '-q', '--allow-empty', '-m', 'base');
  git(dir, 'checkout', '-q', '-b', 'feature');
  git(dir, 'commit', '-q', '--allow-empty', '-m', 'fix: flaky session handling [preserve]\n\nKeep the images: the login test fails on them.');
  const head = git(dir, 'rev-parse', 'HEAD');
  git(dir, 'checkout', '-q', 'main');
  git(dir, 'merge', '-q', '--no-ff', '-m', 'Merge b into a', 'feature');
  return { dir, head, merge: git(dir, 'rev-parse', 'HEAD') };
}

describe('readHeadCommitMessage', () => {
  test("a pull request: the head's whole message from the checkout, not the merge commit's", async () => {
    const { dir, head, merge } = checkoutOfPullRequest();
    const read = await readHeadCommitMessage(dir, { eventName: 'pull_request', payload: { pull_request: { head: { sha: head } } }, sha: merge });
    expect(read).toEqual({
      message: 'fix: flaky session handling [preserve]\n\nKeep the images: the login test fails on them.',
      from: `commit ${head.slice(0, 12)} in the checkout`,
    });
  });

  test('a manual run: the message of GITHUB_SHA', async () => {
    const { dir, merge } = checkoutOfPullRequest();
    expect(await readHeadCommitMessage(dir, { eventName: 'workflow_dispatch', payload: {}, sha: merge })).toMatchObject({ message: 'Merge b into a' });
  });

  test('a push: the payload answers, the checkout is not asked', async () => {
    expect(await readHeadCommitMessage('/nonexistent', { eventName: 'push', payload: { head_commit: { message: 'feat: x' } }, sha: 'c'.repeat(40) })).toEqual({
      message: 'feat: x',
      from: 'the push event',
    });
  });

  test('a head the checkout does not have (a shallow clone) or that is not a commit hash: unknown, saying why', async () => {
    const { dir } = checkoutOfPullRequest();
    for (const sha of ['d'.repeat(40), '--output=/tmp/x']) {
      const read = await readHeadCommitMessage(dir, { eventName: 'pull_request', payload: { pull_request: { head: { sha } } }, sha: '' });
      expect(read).toEqual({ message: undefined, why: `commit ${sha} is not in the checkout at ${dir} (check out with fetch-depth: 0)` });
    }
  });
});
