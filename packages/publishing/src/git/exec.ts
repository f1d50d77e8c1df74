// Runs the real git CLI: the repository actions/checkout left behind is plain git, and git
// itself is the authority on tags, shallow clones and pushes with checkout's credentials.
import { getExecOutput } from '@actions/exec';
import { DomainError } from '../errors.js';

export class GitError extends DomainError {
  constructor(args: string[], cwd: string, exitCode: number, stderr: string) {
    super(`git ${args.join(' ')} failed in ${cwd} (exit ${exitCode}): ${stderr.trim() || 'no message'}`);
  }
}

export interface GitResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs git and returns its result whatever the exit code, for commands where failure is an answer. */
export async function tryGit(cwd: string, args: string[]): Promise<GitResult> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined) env[name] = value;
  // A push without credentials must fail, not wait for a password nobody will type.
  env.GIT_TERMINAL_PROMPT = '0';
  const { exitCode, stdout, stderr } = await getExecOutput('git', args, { cwd, env, silent: true, ignoreReturnCode: true });
  return { exitCode, stdout, stderr };
}

/** Runs git and returns its standard output; throws a GitError with git's message when it fails. */
export async function git(cwd: string, args: string[]): Promise<string> {
  const result = await tryGit(cwd, args);
  if (result.exitCode !== 0) throw new GitError(args, cwd, result.exitCode, result.stderr);
  return result.stdout;
}
