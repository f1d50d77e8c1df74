// The one way an action entry runs, and the one place a failure becomes a failed step. Two
// kinds of failure, told apart by class: a DomainError (an input to fix, a registry that
// refused, a deployment Central rejected) fails the step with its message, one line a person
// acts on; anything else is a bug in the suite, and says so, with its stack in the debug log.
// Configuration problems also become file annotations in the Actions UI. Outputs are written
// by the entry only after its work succeeded, and then the step's start and end times too
// (the stage gate's run summary times its stages by them).
import * as core from '@actions/core';
import { ConfigError, formatProblem } from '../config/problems.js';
import { DomainError } from '../errors.js';
import { redact, setSecretMask } from '../secrets.js';

export async function runAction(work: () => Promise<void>): Promise<void> {
  // Credentials the core learns (tokens from token services) are masked as they appear.
  setSecretMask((secret) => core.setSecret(secret));
  const startedAt = new Date().toISOString();
  try {
    await work();
    setOutputs({ 'started-at': startedAt, 'finished-at': new Date().toISOString() });
  } catch (err) {
    if (err instanceof ConfigError) {
      // One annotation per problem, pinned to its line in the file's view of the run.
      for (const p of err.problems) {
        const place = p.line > 0 ? { startLine: p.line, startColumn: p.column } : {};
        core.error(formatProblem(p), { title: 'Invalid configuration', file: p.file, ...place });
      }
      core.setFailed(`${err.problems.length} problem(s) in ${err.problems[0]?.file}, each reported above`);
      return;
    }
    core.setFailed(failureMessage(err, (stack) => core.debug(redact(stack))));
  }
}

/** The step's failure message for `err`; a bug's stack goes to `debug`, for a run with debug logging. */
export function failureMessage(err: unknown, debug: (stack: string) => void): string {
  const message = err instanceof Error ? err.message : String(err);
  if (isAnticipated(err)) return redact(message);
  if (err instanceof Error && err.stack) debug(err.stack);
  return redact(
    `${message} (this is a bug in ci-actions, not in your workflow: please report it ${whereToReport()} with this step's log; re-run with debug logging for the stack)`,
  );
}

/**
 * A failure the suite expects and describes: its domain errors, the HTTP layer's among them
 * (a status turned into an error, a request that got no answer, retries given up, a malformed
 * response), and the system's (a file that cannot be read, a connection refused), none of
 * which a change to the suite would fix.
 */
function isAnticipated(err: unknown): boolean {
  if (err instanceof DomainError) return true;
  return typeof (err as NodeJS.ErrnoException | undefined)?.syscall === 'string';
}

/** Where the running action's issues are: the runner names the action's repository (not for a local `uses: ./`). */
function whereToReport(): string {
  const repository = process.env.GITHUB_ACTION_REPOSITORY;
  const server = process.env.GITHUB_SERVER_URL || 'https://github.com';
  return repository ? `at ${server}/${repository}/issues` : "to the ci-actions repository your workflow's uses: names";
}

export function setOutputs(outputs: Record<string, string>): void {
  for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);
}
