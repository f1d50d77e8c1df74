// Runs the real npm CLI: it is the authority on what goes into a package (files, ignore rules,
// bundled dependencies), on registry authentication and on provenance, which needs the
// runner's OIDC token and npm's own Sigstore client.
import { getExecOutput } from '@actions/exec';
import { DomainError } from '../errors.js';

export interface NpmOutput {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export class NpmError extends DomainError {
  constructor(cwd: string, args: string[], output: NpmOutput) {
    super(`npm ${args.join(' ')} failed in ${cwd} (exit ${output.exitCode}): ${npmErrorText(output)}`);
  }
}

/**
 * Runs npm and returns its output whatever the exit code: callers read npm's error code, some of which are answers (E404).
 * `npm` is the command: the one on PATH, or a newer one the step installed (see npm-version.ts).
 */
export async function tryNpm(cwd: string, args: string[], npm = 'npm'): Promise<NpmOutput> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined) env[name] = value;
  // No look-up of npm's own latest version: one more request, and a notice in every error.
  env.npm_config_update_notifier = 'false';
  const { exitCode, stdout, stderr } = await getExecOutput(npm, args, { cwd, env, silent: true, ignoreReturnCode: true });
  return { exitCode, stdout, stderr };
}

/** npm's `--json` output; a command that failed prints `{"error": {code, summary, detail}}`. */
export function parseNpmJson(cwd: string, args: string[], output: NpmOutput): unknown {
  try {
    return output.stdout.trim() ? JSON.parse(output.stdout) : undefined;
  } catch {
    throw new NpmError(cwd, args, { ...output, stderr: `standard output is not JSON: ${output.stdout.slice(0, 200)}` });
  }
}

/** The `npm error` lines, without the pointer to a log file that the runner discards. */
function npmErrorText({ stderr, stdout }: NpmOutput): string {
  const lines = stderr
    .split('\n')
    .filter((line) => line.startsWith('npm error') && !line.includes('A complete log of this run'))
    .map((line) => line.replace(/^npm error ?/, '').trim())
    .filter(Boolean);
  return (lines.length > 0 ? lines.join('; ') : stderr.trim() || stdout.trim() || 'no message').slice(0, 2000);
}
