// The head commit's message, from the event or, where the event has none (a pull request, a
// manual or scheduled run), from the checkout: the stage gate's prepare job has one with the
// whole history, so a pull request's head (a parent of GitHub's merge commit) is in it.
import { commitMessage } from '../git/index.js';
import { headCommitSource, type RunEvent } from './head-commit.js';

export type HeadCommitMessage = { message: string; from: string } | { message: undefined; why: string };

export async function readHeadCommitMessage(cwd: string, event: RunEvent): Promise<HeadCommitMessage> {
  const source = headCommitSource(event);
  if ('message' in source) return { message: source.message, from: `the ${event.eventName} event` };
  if ('none' in source) return { message: undefined, why: source.none };
  const message = await commitMessage(cwd, source.sha);
  return message === undefined
    ? { message: undefined, why: `commit ${source.sha} is not in the checkout at ${cwd} (check out with fetch-depth: 0)` }
    : { message, from: `commit ${source.sha.slice(0, 12)} in the checkout` };
}
