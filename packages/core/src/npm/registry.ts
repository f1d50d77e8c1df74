// The registry side of a release: what is published at a version, and publishing a packed
// tarball. Every command runs in the step's temporary directory, where no project .npmrc can
// redirect it, with the step's npmrc, and names the registry on the command line, which
// outranks every config file and npm_config_* variable.
import { redact } from '../secrets.js';
import { NpmError, parseNpmJson, tryNpm, type NpmOutput } from './cli.js';

export interface RegistrySession {
  /** Registry URL, ending in `/`. */
  url: string;
  /** The step's npmrc, holding the token. */
  npmrc: string;
  workDir: string;
}

export interface PublishFlags {
  distTag: string;
  access: 'public' | 'restricted';
  provenance: boolean;
  dryRun: boolean;
}

/** The registry refused the token: a workflow problem, so the message names the input. */
export class NpmAuthenticationError extends Error {
  constructor(registry: string, detail: string) {
    super(redact(`input "npm-token": ${registry} rejected it (${detail}); use an npm automation or granular access token with publish rights for the packages`));
    this.name = 'NpmAuthenticationError';
  }
}

/** dist.integrity of name@version in the registry; undefined when that version is not published. */
export async function publishedIntegrity(session: RegistrySession, name: string, version: string): Promise<string | undefined> {
  const args = ['view', `${name}@${version}`, 'dist.integrity', '--json', ...registryArgs(session)];
  const output = await tryNpm(session.workDir, args);
  if (output.exitCode === 0) {
    const integrity = parseNpmJson(session.workDir, args, output);
    return typeof integrity === 'string' && integrity ? integrity : undefined;
  }
  const code = errorCode(output);
  // E404 for a package never published and for a version it does not have.
  if (code === 'E404') return undefined;
  if (code === 'E401' || code === 'ENEEDAUTH') throw new NpmAuthenticationError(session.url, `${code} on npm view ${name}`);
  throw new NpmError(session.workDir, args, output);
}

export async function publishTarball(session: RegistrySession, tarball: string, flags: PublishFlags): Promise<void> {
  const args = ['publish', tarball, '--tag', flags.distTag, '--access', flags.access, ...registryArgs(session)];
  if (flags.provenance) args.push('--provenance');
  if (flags.dryRun) args.push('--dry-run');
  const output = await tryNpm(session.workDir, args);
  if (output.exitCode === 0) return;
  if (errorCode(output) === 'E401' || errorCode(output) === 'ENEEDAUTH') throw new NpmAuthenticationError(session.url, `${errorCode(output)} on npm publish`);
  throw new NpmError(session.workDir, args, output);
}

function registryArgs(session: RegistrySession): string[] {
  return ['--registry', session.url, '--userconfig', session.npmrc];
}

/** npm's error code: from the `--json` error object, else from its `npm error code X` line. */
function errorCode(output: NpmOutput): string | undefined {
  try {
    const code = (JSON.parse(output.stdout) as { error?: { code?: unknown } }).error?.code;
    if (typeof code === 'string') return code;
  } catch {
    // publish prints no JSON: read the stderr line below
  }
  return /^npm error code (\S+)/m.exec(output.stderr)?.[1];
}
