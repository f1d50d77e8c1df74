// The registry side of a release: what is published at a version, and publishing a packed
// tarball. Every command runs in the step's temporary directory, where no project .npmrc can
// redirect it, with the step's npmrc, and names the registry on the command line, which
// outranks every config file and npm_config_* variable.
import { NpmError, parseNpmJson, tryNpm, type NpmOutput } from './cli.js';
import { DomainError, type Subject } from '../errors.js';

export interface RegistrySession {
  /** Registry URL, ending in `/`. */
  url: string;
  /** The step's npmrc, holding the token when there is one. */
  npmrc: string;
  workDir: string;
  /** The npm command: PATH's, or one new enough for trusted or staged publishing (npm-version.ts). */
  npm: string;
  /** No token: npm publishes with the job's OIDC identity (trusted publishing). */
  trusted: boolean;
}

export interface PublishFlags {
  distTag: string;
  access: 'public' | 'restricted';
  provenance: boolean;
  dryRun: boolean;
  /** `npm stage publish`: the version waits for a maintainer's approval (with 2FA) before anyone can install it. */
  staged: boolean;
}

/** A version waiting in the registry's staging area (npm stage list --json). */
export interface StagedVersion {
  id: string;
  version: string;
  shasum: string;
}

/** The registry already holds this version, published or staged (409 "Cannot stage previously published version"). */
export class NpmVersionTakenError extends DomainError {
  constructor(message: string) {
    super(message);
  }
}

/** The registry refused the token. */
export class NpmAuthenticationError extends DomainError {
  constructor(registry: string, detail: string) {
    super(`${registry} rejected the token (${detail}); use an npm automation or granular access token with publish rights for the packages`, {
      subject: npmCredentials(registry),
    });
  }
}

/**
 * npm could not publish through trusted publishing. npm's exchange of the job's OIDC token
 * fails quietly (a `verbose` line), and the publish then fails as if no one had logged in;
 * the message says what the registry checks and carries npm's line when there is one.
 */
export class NpmTrustedPublishingError extends DomainError {
  constructor(registry: string, name: string, detail: string) {
    super(
      `${registry} did not accept this job as a trusted publisher of ${name} (${detail}). Without a token the package's trusted publisher on npmjs.com ` +
        "must name this repository and the workflow file that started the run (for a reusable workflow: the calling workflow's file), " +
        'and the job needs "permissions: id-token: write"; or publish with a token',
      { subject: npmCredentials(registry) },
    );
  }
}

/** What a refusal of the registry's credentials (a token, or the job's trusted-publisher identity) is about. */
function npmCredentials(registry: string): Subject {
  return { kind: 'credentials', service: 'npm', address: registry };
}

/** dist.integrity of name@version in the registry; undefined when that version is not published. */
export async function publishedIntegrity(session: RegistrySession, name: string, version: string): Promise<string | undefined> {
  const args = ['view', `${name}@${version}`, 'dist.integrity', '--json', ...registryArgs(session)];
  const output = await tryNpm(session.workDir, args, session.npm);
  if (output.exitCode === 0) {
    const integrity = parseNpmJson(session.workDir, args, output);
    return typeof integrity === 'string' && integrity ? integrity : undefined;
  }
  const code = errorCode(output);
  // E404 for a package never published and for a version it does not have.
  if (code === 'E404') return undefined;
  if ((code === 'E401' || code === 'ENEEDAUTH') && session.trusted) {
    throw new DomainError(
      `${session.url} shows ${name} only to a logged-in user (${code}); trusted publishing has no token to read with, so publish with a token`,
      {
        subject: npmCredentials(session.url),
      },
    );
  }
  if (code === 'E401' || code === 'ENEEDAUTH') throw new NpmAuthenticationError(session.url, `${code} on npm view ${name}`);
  throw new NpmError(session.workDir, args, output);
}

/** Publishes (or stages) the tarball; returns the stage id of a staged version. */
export async function publishTarball(session: RegistrySession, name: string, tarball: string, flags: PublishFlags): Promise<{ stageId?: string }> {
  // --provenance=false too: npm turns provenance on by itself after a trusted-publishing exchange from a public repository.
  const command = flags.staged ? ['stage', 'publish', '--json'] : ['publish'];
  const args = [...command, tarball, '--tag', flags.distTag, '--access', flags.access, `--provenance=${flags.provenance}`, ...registryArgs(session)];
  if (flags.dryRun) args.push('--dry-run');
  // npm says why the OIDC exchange failed at the verbose level only.
  if (session.trusted) args.push('--loglevel=verbose');
  const output = await tryNpm(session.workDir, args, session.npm);
  if (output.exitCode === 0) return flags.staged ? { stageId: stageIdOf(parseNpmJson(session.workDir, args, output)) } : {};
  const code = errorCode(output);
  if (session.trusted && (code === 'E401' || code === 'ENEEDAUTH' || code === 'E404')) {
    const exchange = /^npm verbose oidc (.+)$/m.exec(output.stderr)?.[1];
    throw new NpmTrustedPublishingError(session.url, name, `${code} on npm publish${exchange ? `; npm: ${exchange}` : ''}`);
  }
  if (code === 'E401' || code === 'ENEEDAUTH') throw new NpmAuthenticationError(session.url, `${code} on npm publish`);
  if (code === 'E409') throw new NpmVersionTakenError(new NpmError(session.workDir, args, output).message);
  throw new NpmError(session.workDir, args, output);
}

/**
 * The staged versions of `name`; undefined where they cannot be listed: trusted publishing has
 * no token to list with (npm exchanges the OIDC token inside `npm stage publish` only).
 */
export async function stagedVersions(session: RegistrySession, name: string): Promise<StagedVersion[] | undefined> {
  if (session.trusted) return undefined;
  const args = ['stage', 'list', name, '--json', ...registryArgs(session)];
  const output = await tryNpm(session.workDir, args, session.npm);
  if (output.exitCode !== 0) throw new NpmError(session.workDir, args, output);
  const items = parseNpmJson(session.workDir, args, output);
  return (Array.isArray(items) ? (items as Partial<StagedVersion>[]) : []).flatMap((item) =>
    typeof item.id === 'string' && typeof item.version === 'string' ? [{ id: item.id, version: item.version, shasum: String(item.shasum ?? '') }] : [],
  );
}

/** `npm stage publish --json` prints `{"<name>": {..., "stageId": "<uuid>"}}`. */
function stageIdOf(report: unknown): string | undefined {
  const contents = report && typeof report === 'object' ? (Object.values(report)[0] as { stageId?: unknown } | undefined) : undefined;
  return typeof contents?.stageId === 'string' ? contents.stageId : undefined;
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
