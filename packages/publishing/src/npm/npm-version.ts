// The npm CLI a release needs. Trusted publishing (the OIDC token exchange) came with npm
// 11.5.1 and `npm stage publish` with 11.15.0; an older npm does neither, and fails late
// with a bare ENEEDAUTH or "Unknown command". When the npm on PATH is too old, the step
// installs a pinned npm 11 into its temporary directory and runs that one instead.
import path from 'node:path';
import type { Log } from '../log.js';
import { NpmError, tryNpm } from './cli.js';
import { DomainError } from '../errors.js';

/** https://docs.npmjs.com/trusted-publishers: "npm CLI version 11.5.1 or later". */
export const TRUSTED_PUBLISHING_NPM = '11.5.1';
/** https://docs.npmjs.com/staged-publishing: "npm CLI version 11.15.0 or later". */
export const STAGED_PUBLISHING_NPM = '11.15.0';
/** Installed when PATH's npm is older than needed: new enough for both. */
export const PINNED_NPM = '11.19.1';

/** Whether the npm `version` (as `npm --version` prints it) is `needed` or later; a prerelease of `needed` is not. */
export function isAtLeast(version: string, needed: string): boolean {
  const parse = (v: string) => /^(\d+)\.(\d+)\.(\d+)(-\S+)?$/.exec(v.trim());
  const found = parse(version);
  const floor = parse(needed);
  if (!found || !floor) return false;
  for (const part of [1, 2, 3]) {
    const difference = Number(found[part]) - Number(floor[part]);
    if (difference !== 0) return difference > 0;
  }
  return found[4] === undefined;
}

/** The npm command to run: PATH's when it is `needed` or later, else npm PINNED_NPM installed into `workDir`. */
export async function npmAtLeast(needed: string, purpose: string, workDir: string, log: Log): Promise<string> {
  const found = await npmVersionOnPath(needed, purpose, workDir);
  if (isAtLeast(found, needed)) return 'npm';
  const prefix = path.join(workDir, 'npm-cli');
  const args = ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--ignore-scripts', `npm@${PINNED_NPM}`];
  log.info(`npm ${found} on PATH is older than ${needed}, which ${purpose} needs: installing npm ${PINNED_NPM} for this step`);
  const output = await tryNpm(workDir, args);
  if (output.exitCode !== 0) {
    throw new DomainError(
      `${purpose} needs npm ${needed} or later, and the npm on PATH is ${found}; installing npm ${PINNED_NPM} failed: ${new NpmError(workDir, args, output).message}`,
    );
  }
  return path.join(prefix, 'node_modules', '.bin', 'npm');
}

/** What `npm --version` prints; without an npm on PATH there is none to install a newer one with, so that fails the step. */
async function npmVersionOnPath(needed: string, purpose: string, workDir: string): Promise<string> {
  try {
    const output = await tryNpm(workDir, ['--version']);
    return output.stdout.trim() || '(no version printed)';
  } catch (err) {
    // @actions/exec looks the command up on PATH first, and throws when it is not there.
    if (!/Unable to locate executable/.test((err as Error).message)) throw err;
    throw new DomainError(
      `${purpose} needs npm ${needed} or later, and there is no npm on PATH: set up Node.js, which brings npm, before this step (e.g. actions/setup-node)`,
    );
  }
}
