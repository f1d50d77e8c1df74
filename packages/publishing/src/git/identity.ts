// Who commits and tags when no one configured git: on a fresh runner, the identity GitHub
// gives its own commits (generate-version's release tag, the suite's release commit).
import { tryGit } from './exec.js';

const ACTIONS_BOT = { name: 'github-actions[bot]', email: '41898282+github-actions[bot]@users.noreply.github.com' };

/** `-c user.name=… -c user.email=…` when the repository has no committer configured, else nothing. */
export async function identityArgs(cwd: string): Promise<string[]> {
  const configured = (await tryGit(cwd, ['config', 'user.email'])).exitCode === 0;
  return configured ? [] : ['-c', `user.name=${ACTIONS_BOT.name}`, '-c', `user.email=${ACTIONS_BOT.email}`];
}
