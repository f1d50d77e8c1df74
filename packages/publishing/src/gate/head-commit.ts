// Which commit the run's head is, for the cleanup's [preserve] marker. Only a push (and a merge
// queue's merge_group) carries the head commit's message in its payload; a pull request names
// its head by hash only, and a manual or scheduled run names nothing but the run's commit
// (GITHUB_SHA). Those messages are then read from the checkout. Pure: the table in
// test/unit/head-commit.test.ts is its specification.

/** Where the head commit's message comes from: the event payload, or the commit to read it from. */
export type HeadCommitSource = { message: string } | { sha: string } | { none: string };

export interface RunEvent {
  /** GITHUB_EVENT_NAME */
  eventName: string;
  /** The webhook payload (GITHUB_EVENT_PATH); anything, since it is the event's JSON. */
  payload: unknown;
  /** GITHUB_SHA: for a pull request GitHub's merge commit, whose message is its own ("Merge X into Y"). */
  sha: string;
}

export function headCommitSource(event: RunEvent): HeadCommitSource {
  const payload = asRecord(event.payload);
  // push: the commit the branch now points at; absent when the push deleted the branch.
  const pushed = stringAt(payload, 'head_commit', 'message');
  if (pushed !== undefined) return { message: pushed };
  const queued = stringAt(payload, 'merge_group', 'head_commit', 'message');
  if (queued !== undefined) return { message: queued };
  if (event.eventName.startsWith('pull_request')) {
    // The pull request's head, what its author pushed; GITHUB_SHA is GitHub's merge commit.
    const head = stringAt(payload, 'pull_request', 'head', 'sha');
    return head ? { sha: head } : { none: `the ${event.eventName} event names no pull_request.head.sha` };
  }
  return event.sha ? { sha: event.sha } : { none: `the ${event.eventName} event has no head_commit and GITHUB_SHA is empty` };
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function stringAt(root: Record<string, unknown> | undefined, ...path: string[]): string | undefined {
  let node: unknown = root;
  for (const key of path) node = asRecord(node)?.[key];
  return typeof node === 'string' ? node : undefined;
}
