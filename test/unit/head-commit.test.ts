// Where the [preserve] marker is read from (gate/head-commit.ts): the rows are the events a
// caller of the stage gate runs on, with their payloads as GitHub sends them
// (https://docs.github.com/en/webhooks/webhook-events-and-payloads).
import { headCommitSource, type HeadCommitSource, type RunEvent } from '@ci-actions/publishing/gate/index.js';

const RUN_SHA = 'a'.repeat(40);
const HEAD_SHA = 'b'.repeat(40);

describe('headCommitSource', () => {
  test.each<[string, Omit<RunEvent, 'sha'> & { sha?: string }, HeadCommitSource]>([
    [
      'a push: the message is in the payload',
      { eventName: 'push', payload: { head_commit: { id: RUN_SHA, message: 'fix: x [preserve]' } } },
      { message: 'fix: x [preserve]' },
    ],
    ['a push with an empty message: the payload still answers', { eventName: 'push', payload: { head_commit: { id: RUN_SHA, message: '' } } }, { message: '' }],
    [
      'a push that deleted the branch (head_commit null): the run commit',
      { eventName: 'push', payload: { head_commit: null, deleted: true } },
      { sha: RUN_SHA },
    ],
    [
      'a pull request: its head, not the merge commit GITHUB_SHA names',
      { eventName: 'pull_request', payload: { pull_request: { number: 7, head: { sha: HEAD_SHA } } } },
      { sha: HEAD_SHA },
    ],
    ['pull_request_target: its head too', { eventName: 'pull_request_target', payload: { pull_request: { head: { sha: HEAD_SHA } } } }, { sha: HEAD_SHA }],
    [
      'a pull request whose payload lacks the head',
      { eventName: 'pull_request', payload: { pull_request: { number: 7 } } },
      { none: 'the pull_request event names no pull_request.head.sha' },
    ],
    ['a manual run: the commit of its ref', { eventName: 'workflow_dispatch', payload: { ref: 'refs/heads/hotfix', inputs: {} } }, { sha: RUN_SHA }],
    ['a scheduled run: the default branch commit', { eventName: 'schedule', payload: { schedule: '17 3 * * *' } }, { sha: RUN_SHA }],
    [
      'a merge queue group: the payload has its head commit',
      { eventName: 'merge_group', payload: { merge_group: { head_sha: HEAD_SHA, head_commit: { id: HEAD_SHA, message: 'Merge #7 [preserve]' } } } },
      { message: 'Merge #7 [preserve]' },
    ],
    ['a message that is not a string is not taken', { eventName: 'push', payload: { head_commit: { message: 42 } } }, { sha: RUN_SHA }],
    ['no payload at all (outside a runner)', { eventName: 'workflow_dispatch', payload: undefined }, { sha: RUN_SHA }],
    [
      'no payload and no GITHUB_SHA',
      { eventName: 'workflow_dispatch', payload: undefined, sha: '' },
      { none: 'the workflow_dispatch event has no head_commit and GITHUB_SHA is empty' },
    ],
  ])('%s', (_, event, expected) => {
    expect(headCommitSource({ sha: RUN_SHA, ...event })).toEqual(expected);
  });
});
