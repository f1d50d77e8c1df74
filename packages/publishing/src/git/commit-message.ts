// One commit's message, for the gate's [preserve] marker on events that carry none.
import { tryGit } from './exec.js';

/** The full message of `sha`; undefined when the checkout does not have that commit. */
export async function commitMessage(cwd: string, sha: string): Promise<string | undefined> {
  // --end-of-options: a hash from an event payload is data, never an option.
  const result = await tryGit(cwd, ['log', '-1', '--format=%B', '--end-of-options', `${sha}^{commit}`, '--']);
  return result.exitCode === 0 ? result.stdout.replace(/\n+$/, '') : undefined;
}
