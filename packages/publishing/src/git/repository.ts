// Questions about the checked-out repository.
import { git, tryGit } from './exec.js';

export async function isRepository(cwd: string): Promise<boolean> {
  return (await tryGit(cwd, ['rev-parse', '--git-dir'])).exitCode === 0;
}

/** True in a clone made with --depth (actions/checkout's default fetch-depth: 1). */
export async function isShallowRepository(cwd: string): Promise<boolean> {
  return (await git(cwd, ['rev-parse', '--is-shallow-repository'])).trim() === 'true';
}

/** The full hash of the commit `revision` names (tags peeled); undefined when there is none. */
export async function resolveCommit(cwd: string, revision: string): Promise<string | undefined> {
  const result = await tryGit(cwd, ['rev-parse', '--verify', '--quiet', `${revision}^{commit}`]);
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
}
